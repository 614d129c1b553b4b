using System.Text.Json;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Jobs;
using Ladybug.Tests.Unit.Engine.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ladybug.Tests.Support;

namespace Ladybug.Tests.Unit.Engine.Clusters;

/// <summary>An engine whose job handlers are scripted: each test holds or releases a job's steps to see what the service allows meanwhile.</summary>
public abstract class ClusterServiceTestBase : IAsyncLifetime
{
    protected readonly ScriptedJobHandler _create = new(JobKind.Create) { PhaseOnSuccess = ClusterPhase.Provisioned };
    protected readonly ScriptedJobHandler _delete = new(JobKind.DeleteCluster) { PhaseOnSuccess = ClusterPhase.Deleted };
    protected readonly ScriptedJobHandler _addNodes = new(JobKind.AddNodes) { PhaseOnSuccess = ClusterPhase.Provisioned };
    protected readonly ScriptedJobHandler _removeNode = new(JobKind.RemoveNode);
    protected readonly ScriptedJobHandler _rollback = new(JobKind.Rollback);
    protected readonly ScriptedJobHandler _renew = new(JobKind.RenewCertificates) { PhaseOnSuccess = ClusterPhase.Provisioned };
    protected readonly StepGate _provisioning;
    protected readonly StepGate _adding;
    protected EngineHost _engine = null!;

    protected ClusterServiceTestBase()
    {
        _provisioning = _create.Gate("provision");
        _adding = _addNodes.Gate("add");
        _removeNode.Gate("remove");
        _delete.Step("delete machines");
        _rollback.Step("delete machines");
        _renew.Step("renew-certificates");
    }

    public async Task InitializeAsync() => _engine = await EngineHost.StartAsync(services =>
    {
        foreach (var handler in new[] { _create, _delete, _addNodes, _removeNode, _rollback, _renew })
            services.AddSingleton<IJobHandler>(handler);
    });

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    protected ClusterService Service => _engine.Clusters;
}
