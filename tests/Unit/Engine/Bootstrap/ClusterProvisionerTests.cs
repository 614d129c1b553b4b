using System.Collections.Concurrent;
using Ladybug.Engine;
using Ladybug.Engine.Bootstrap;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Infrastructure;
using Ladybug.Engine.Jobs;
using Ladybug.Engine.Persistence;
using Ladybug.Tests.Unit.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Ladybug.Tests.Unit.Engine.Bootstrap;

/// <summary>
/// The kubeadm plan through the real job runner and SQLite, with machines that answer like kubeadm
/// (see <see cref="ScriptedMachines"/>). Full runs against the sandbox's sshd VMs come with the simulator.
/// </summary>
public sealed class ClusterProvisionerTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "ladybug-plan-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly InstantInfrastructure _infrastructure = new();
    private readonly ScriptedMachines _machines = new();
    private IHost _host = null!;

    private ClusterService Clusters => _host.Services.GetRequiredService<ClusterService>();
    private ClusterQueries Queries => _host.Services.GetRequiredService<ClusterQueries>();

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Test", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ladybug:DataDir"] = _dataDir,
            ["Ladybug:Engine:LogFlushIntervalMs"] = "5",
            // Scripted machines answer the provisioning's scripts only; the scripted kubeconfig names no real endpoint.
            ["Ladybug:Watch:Enabled"] = "false",
        });
        builder.AddLadybugEngine();
        builder.AddLadybugBootstrap();
        builder.Services.AddSingleton<IInfrastructure>(_infrastructure);
        builder.Services.AddSingleton<IRemoteShell>(_machines);
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
    }

    private static ClusterSpec Spec(int controlPlanes = 1, bool keep = false, string version = "1.23.17") => new()
    {
        Name = "cb-cluster",
        KubernetesVersion = version,
        Cni = Cni.Kilo,
        PodCidr = "10.32.0.0/16",
        KeepMachinesOnFailure = keep,
        ControlPlane = new() { Connection = InstantInfrastructure.Aws.Name, Spec = "medium", Count = controlPlanes },
        WorkerPools =
        [
            new() { Connection = InstantInfrastructure.Gcp.Name, Spec = "medium", Count = 2 },
            new() { Connection = InstantInfrastructure.Azure.Name, Spec = "medium", Count = 1 },
        ],
    };

    private Task<ClusterView> WaitForAsync(Guid clusterId, params ClusterPhase[] phases) =>
        WaitForAsync(clusterId, (cluster, _) => phases.Contains(cluster.Phase));

    private Task<ClusterView> WaitForAsync(Guid clusterId, Func<ClusterView, IReadOnlyList<JobView>, bool> done) =>
        Queries.WaitForSettledAsync(clusterId, done, TimeSpan.FromSeconds(60));

    private async Task<IReadOnlyList<string>> LogAsync(Guid clusterId)
    {
        var log = _host.Services.GetRequiredService<IJobLog>();
        await log.FlushAsync();
        return (await log.ReadAsync(clusterId, 0, 100_000)).Select(l => l.Text).ToList();
    }

    private async Task<List<Node>> AllNodesAsync(Guid clusterId)
    {
        var db = await _host.Services.GetRequiredService<IDbContextFactory<LadybugDbContext>>().CreateDbContextAsync();
        await using (db)
            return await db.Nodes.AsNoTracking().Where(n => n.ClusterId == clusterId).OrderBy(n => n.Name).ToListAsync();
    }

    [Fact]
    public async Task CreateRunsEveryStepAndEndsProvisionedWithAPublicKubeconfig()
    {
        var created = await Clusters.CreateAsync(Spec());
        var cluster = await WaitForAsync(created.Id, ClusterPhase.Provisioned, ClusterPhase.Failed);

        Assert.Equal(ClusterPhase.Provisioned, cluster.Phase);
        Assert.Equal("cp-1", cluster.LeaderNodeName);
        Assert.Equal(["prepare", "public-ip", "kubeadm-init", "cni", "label", "wait-ready", "overlay-addresses", "pod-network", "fetch-kubeconfig"], _machines.StepsOn("cp-1"));
        foreach (var worker in new[] { "w1-1", "w1-2", "w2-1" })
            Assert.Equal(["prepare", "public-ip", "join-worker", "pod-network"], _machines.StepsOn(worker));

        var nodes = await AllNodesAsync(created.Id);
        Assert.All(nodes, n =>
        {
            Assert.Equal(NodeStatus.Ready, n.Status);
            Assert.Equal("v1.23.17", n.KubeletVersion);
            Assert.Equal($"SHA256:{n.Name}-host-key", n.HostKeyFingerprint);
            Assert.DoesNotContain("PRIVATE KEY", n.SealedSshPrivateKey);
        });
        Assert.Equal(["aws", "azure", "gcp", "gcp"], nodes.Select(n => n.Csp).Order());

        var leaderIp = nodes.Single(n => n.Name == "cp-1").PublicIp;
        var kubeconfig = await Queries.ReadKubeconfigAsync(created.Id, "test");
        Assert.Equal($"https://{leaderIp}:6443", Kubeconfig.Server(kubeconfig!));
        Assert.Equal($"https://{leaderIp}:6443", cluster.ApiEndpoint);

        // The worker join used exactly the token kubeadm init was given, and no log line shows it.
        var init = _machines.Runs.Single(r => r.Step == "kubeadm-init").Script;
        var joins = _machines.Runs.Where(r => r.Step == "join-worker").Select(r => r.Script).ToList();
        Assert.All(joins, j => Assert.Equal(init.Argument("token"), j.Argument("token")));
        Assert.All(joins, j => Assert.Equal(ScriptedMachines.Hash, j.Argument("discovery-hash")));
        var log = string.Join('\n', await LogAsync(created.Id));
        Assert.DoesNotContain(init.Argument("token")!, log);
        Assert.DoesNotContain(init.Argument("certificate-key")!, log);
        Assert.DoesNotContain("client-key-data", log);
        Assert.Contains("[REDACTED]", log);
    }

    [Fact]
    public async Task HaJoinsControlPlanesThroughTheLeaderAndGivesWorkersALocalHaproxy()
    {
        var created = await Clusters.CreateAsync(Spec(controlPlanes: 3));
        var cluster = await WaitForAsync(created.Id, ClusterPhase.Provisioned, ClusterPhase.Failed);

        Assert.Equal(ClusterPhase.Provisioned, cluster.Phase);
        var nodes = await AllNodesAsync(created.Id);
        var leaderIp = nodes.Single(n => n.Name == "cp-1").PublicIp;
        var controlPlaneJoins = _machines.Runs.Where(r => r.Step == "join-control-plane").ToList();
        Assert.Equal(["cp-2", "cp-3"], controlPlaneJoins.Select(r => r.Node));
        Assert.All(controlPlaneJoins, r => Assert.Equal(leaderIp, r.Script.Argument("bootstrap-ip")));
        Assert.All(controlPlaneJoins, r => Assert.NotNull(r.Script.Argument("certificate-key")));

        Assert.Equal(["w1-1", "w1-2", "w2-1"], _machines.Runs.Where(r => r.Step == "haproxy").Select(r => r.Node).Order());
        var backends = _machines.Runs.First(r => r.Step == "haproxy").Script.ArgumentValues("backend").ToList();
        Assert.Equal(nodes.Where(n => n.Role == NodeRole.ControlPlane).Select(n => $"{n.PublicIp}:6443").Order(), backends.Order());
        Assert.All(_machines.Runs.Where(r => r.Step == "join-worker"), r => Assert.Equal("127.0.0.1", r.Script.Argument("endpoint-ip")));
        var sans = _machines.Runs.Single(r => r.Step == "kubeadm-init").Script.Argument("cert-sans")!.Split(',');
        Assert.Equal(["ladybug-api.cluster.internal", .. nodes.Where(n => n.Role == NodeRole.ControlPlane).Select(n => n.PublicIp!)], sans);
    }

    [Fact]
    public async Task AFailedWorkerJoinFailsTheClusterWithReasonNodeStepExitCodeAndLastLinesThenRollsBack()
    {
        _machines.Fail("w1-2", "join-worker");
        var created = await Clusters.CreateAsync(Spec());
        // The runner queues the rollback right after the failed job ends; what it deleted is known once it succeeded.
        var cluster = await WaitForAsync(created.Id,
            (c, jobs) => c.Phase == ClusterPhase.Failed && jobs.Any(j => j.Kind == JobKind.Rollback && j.State == JobState.Succeeded));

        Assert.Equal(FailureReason.JoinWorkerFailed, cluster.Reason);
        Assert.Contains("Step 'join-worker' failed on node w1-2 with exit code 1.", cluster.Message);
        Assert.Contains("Last 20 lines:", cluster.Message);
        Assert.Contains("check 24 of join-worker", cluster.Message);
        Assert.DoesNotContain("check 4 of join-worker", cluster.Message);
        Assert.DoesNotContain(_machines.Runs.First(r => r.Step == "kubeadm-init").Script.Argument("token")!, cluster.Message);
        Assert.Contains("The machines were deleted.", cluster.Message);

        // The join was tried twice with a reset between, then the rollback deleted everything.
        Assert.Equal(["prepare", "public-ip", "join-worker", "reset", "join-worker"], _machines.StepsOn("w1-2"));
        Assert.Equal(["default/cb-cluster"], _infrastructure.DeletedGroups);
        Assert.All(await AllNodesAsync(created.Id), n =>
        {
            Assert.Equal(NodeStatus.Deleted, n.Status);
            Assert.Null(n.SealedSshPrivateKey);
        });
        var jobs = await Queries.JobsAsync(created.Id);
        Assert.Contains(jobs, j => j.Kind == JobKind.Rollback && j.State == JobState.Succeeded);
    }

    [Fact]
    public async Task WhenTheRollbackFailsTooTheNodesShowTheirMachinesRemainInsteadOfStayingDeleting()
    {
        _machines.Fail("w1-2", "join-worker");
        _infrastructure.DeleteAllFails = true;
        var created = await Clusters.CreateAsync(Spec());
        var cluster = await WaitForAsync(created.Id, (c, jobs) => jobs.Any(j => j.Kind == JobKind.Rollback && j.IsFinished));

        Assert.Equal(ClusterPhase.Failed, cluster.Phase);
        Assert.Contains("The rollback failed too", cluster.Message);
        Assert.DoesNotContain("The machines were deleted.", cluster.Message);
        Assert.All(await AllNodesAsync(created.Id), n =>
        {
            Assert.Equal(NodeStatus.Failed, n.Status);
            Assert.Contains("Its machine remains", n.StatusMessage);
        });
    }

    [Fact]
    public async Task AClusterThatAskedToKeepItsMachinesKeepsThemAfterAFailure()
    {
        _machines.Fail("cp-1", "kubeadm-init");
        var created = await Clusters.CreateAsync(Spec(keep: true));
        // The decision not to roll back is written with the failure, so once the message says so no rollback can follow.
        var cluster = await WaitForAsync(created.Id, (c, _) => c.Phase == ClusterPhase.Failed && c.Message?.Contains("kept for debugging") == true);

        Assert.Equal(FailureReason.InitControlPlaneFailed, cluster.Reason);
        Assert.Contains("Step 'kubeadm-init' failed on node cp-1 with exit code 1.", cluster.Message);
        Assert.Empty(_infrastructure.DeletedGroups);
        Assert.DoesNotContain(await Queries.JobsAsync(created.Id), j => j.Kind == JobKind.Rollback);
        Assert.Equal(NodeStatus.Failed, (await AllNodesAsync(created.Id)).Single(n => n.Name == "cp-1").Status);
    }

    [Fact]
    public async Task AFailedPrepareIsASetupBootstrapFailure()
    {
        _machines.Fail("w2-1", "prepare");
        var created = await Clusters.CreateAsync(Spec());
        var cluster = await WaitForAsync(created.Id, ClusterPhase.Failed);

        Assert.Equal(FailureReason.SetupBootstrapFailed, cluster.Reason);
        Assert.Contains("node w2-1", cluster.Message);
        Assert.DoesNotContain(_machines.Runs, r => r.Step == "kubeadm-init");
    }

    [Fact]
    public async Task AddedNodesJoinWithAFreshTokenAndRemovedNodesAreDrainedAndDeleted()
    {
        var created = await Clusters.CreateAsync(Spec());
        await WaitForAsync(created.Id, ClusterPhase.Provisioned);
        var initToken = _machines.Runs.Single(r => r.Step == "kubeadm-init").Script.Argument("token");

        await Clusters.AddNodesAsync(created.Id, [new NodePoolSpec { Connection = InstantInfrastructure.Azure.Name, Spec = "medium", Count = 1 }]);
        var afterAdd = await WaitForAsync(created.Id, ClusterPhase.Provisioned, ClusterPhase.Failed);

        Assert.Equal(ClusterPhase.Provisioned, afterAdd.Phase);
        var mint = _machines.Runs.Single(r => r.Step == "join-token");
        Assert.Equal("cp-1", mint.Node);
        Assert.NotEqual(initToken, mint.Script.Argument("token"));
        Assert.Equal(["prepare", "public-ip", "join-worker", "pod-network"], _machines.StepsOn("w3-1"));
        Assert.Equal(mint.Script.Argument("token"), _machines.Runs.Single(r => r.Node == "w3-1" && r.Step == "join-worker").Script.Argument("token"));
        Assert.Equal(NodeStatus.Ready, (await AllNodesAsync(created.Id)).Single(n => n.Name == "w3-1").Status);

        await Clusters.RemoveNodeAsync(created.Id, "w1-1");
        var afterRemove = await WaitForAsync(created.Id, ClusterPhase.Provisioned, ClusterPhase.Failed);

        Assert.Equal(ClusterPhase.Provisioned, afterRemove.Phase);
        var drain = _machines.Runs.Single(r => r.Step == "drain-delete-node");
        Assert.Equal(("cp-1", "w1-1", "worker"), (drain.Node, drain.Script.Argument("node-name"), drain.Script.Argument("role")));
        Assert.Equal(["w1-1"], _infrastructure.DeletedMachines);
        Assert.DoesNotContain(afterRemove.Nodes, n => n.Name == "w1-1");
    }

    [Fact]
    public async Task AJobOnARunningClusterConnectsWhereTheInfrastructureSaysAMovedMachineAnswersNow()
    {
        var created = await Clusters.CreateAsync(Spec());
        await WaitForAsync(created.Id, ClusterPhase.Provisioned);
        var before = (await AllNodesAsync(created.Id)).Single(n => n.Name == "cp-1");
        // Stopped and started again: the leader has another public IP and SSH port, and nothing answers at the old one.
        _infrastructure.Move("cp-1", "127.0.5.77", 2222);
        _machines.Unreachable(before.PublicIp!, before.SshPort);
        var published = new ConcurrentQueue<NodeChanged>();
        using var subscription = _host.Services.GetRequiredService<IProvisioningEvents>().Subscribe(created.Id, e =>
        {
            if (e is NodeChanged changed) published.Enqueue(changed);
            return ValueTask.CompletedTask;
        });

        var runsBefore = _machines.Runs.Count;
        await Clusters.AddNodesAsync(created.Id, [new NodePoolSpec { Connection = InstantInfrastructure.Azure.Name, Spec = "medium", Count = 1 }]);
        var grown = await WaitForAsync(created.Id, ClusterPhase.Provisioned, ClusterPhase.Failed);

        Assert.True(grown.Phase == ClusterPhase.Provisioned, grown.Message);
        Assert.Equal(JobState.Succeeded, (await Queries.JobsAsync(created.Id)).Single(j => j.Kind == JobKind.AddNodes).State);
        var onLeader = _machines.Runs.Skip(runsBefore).Where(r => r.Node == "cp-1").ToList();
        Assert.Equal(["join-token", "label", "wait-ready", "overlay-addresses", "pod-network"], onLeader.Select(r => r.Step));
        Assert.All(onLeader, r => Assert.Equal(("127.0.5.77", 2222, "SHA256:cp-1-host-key"), (r.Host.Address, r.Host.Port, r.Host.PinnedHostKey)));
        var after = (await AllNodesAsync(created.Id)).Single(n => n.Name == "cp-1");
        Assert.Equal(("127.0.5.77", 2222, before.HostKeyFingerprint), (after.PublicIp, after.SshPort, after.HostKeyFingerprint));
        Assert.Contains($"cp-1 answers SSH at 127.0.5.77:2222 now, no longer at {before.PublicIp}:{before.SshPort}; it must still present its pinned host key there.",
            await LogAsync(created.Id));
        Assert.True(await TestSandbox.EventuallyAsync(() => published.Any(e => e is { NodeName: "cp-1", PublicIp: "127.0.5.77", Status: NodeStatus.Ready }),
            TimeSpan.FromSeconds(5)), "no NodeChanged told watchers the leader's new address");
    }

    [Fact]
    public async Task AMovedMachineThatPresentsAnotherHostKeyIsStillRefused()
    {
        var created = await Clusters.CreateAsync(Spec());
        await WaitForAsync(created.Id, ClusterPhase.Provisioned);
        _infrastructure.Move("cp-1", "127.0.5.78", 22);
        _machines.ChangeHostKey("cp-1");

        await Clusters.RemoveNodeAsync(created.Id, "w1-1");
        var cluster = await WaitForAsync(created.Id, (_, jobs) => jobs.Any(j => j.Kind == JobKind.Rollback && j.IsFinished));

        var removal = (await Queries.JobsAsync(created.Id)).Single(j => j.Kind == JobKind.RemoveNode);
        Assert.Equal(JobState.Failed, removal.State);
        Assert.Contains("The host key of cp-1 (cb-user@127.0.5.78:22) changed: it was SHA256:cp-1-host-key when first seen", removal.Error);
        Assert.Equal(ClusterPhase.Provisioned, cluster.Phase);
        Assert.Equal("SHA256:cp-1-host-key", (await AllNodesAsync(created.Id)).Single(n => n.Name == "cp-1").HostKeyFingerprint);
        Assert.Empty(_infrastructure.DeletedMachines);
    }

    [Fact]
    public async Task WhenTheInfrastructureCannotSayWhereMachinesAnswerAJobConnectsToTheRecordedAddresses()
    {
        var created = await Clusters.CreateAsync(Spec());
        await WaitForAsync(created.Id, ClusterPhase.Provisioned);
        var leader = (await AllNodesAsync(created.Id)).Single(n => n.Name == "cp-1");
        _infrastructure.MachinesUnreadable = true;

        await Clusters.RemoveNodeAsync(created.Id, "w1-1");
        var shrunk = await WaitForAsync(created.Id, ClusterPhase.Provisioned, ClusterPhase.Failed);

        Assert.True(shrunk.Phase == ClusterPhase.Provisioned, shrunk.Message);
        Assert.Equal(JobState.Succeeded, (await Queries.JobsAsync(created.Id)).Single(j => j.Kind == JobKind.RemoveNode).State);
        var drain = _machines.Runs.Single(r => r.Step == "drain-delete-node");
        Assert.Equal((leader.PublicIp, leader.SshPort), (drain.Host.Address, drain.Host.Port));
        Assert.Contains("Could not ask the infrastructure where the machines of default/cb-cluster answer now (Tumblebug at http://127.0.0.1:1323 refused the connection.); " +
            "connecting to the recorded addresses.", await LogAsync(created.Id));
        Assert.Equal(["w1-1"], _infrastructure.DeletedMachines);
    }

    [Fact]
    public async Task DeleteRemovesEveryMachineAndKeepsTheClusterAsDeleted()
    {
        var created = await Clusters.CreateAsync(Spec());
        await WaitForAsync(created.Id, ClusterPhase.Provisioned);

        await Clusters.DeleteAsync(created.Id);
        var deleted = await WaitForAsync(created.Id, ClusterPhase.Deleted);

        Assert.Equal(["default/cb-cluster"], _infrastructure.DeletedGroups);
        Assert.Null(await Queries.ReadKubeconfigAsync(created.Id, "test"));
        Assert.All(await AllNodesAsync(created.Id), n => Assert.Equal(NodeStatus.Deleted, n.Status));
        Assert.NotNull(deleted.DeletedAt);
    }
}
