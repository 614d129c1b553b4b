using Ladybug.Engine.Domain;
using Ladybug.Engine.Jobs;
using Ladybug.Engine.Persistence;
using Ladybug.Sandbox.Catalog;
using Ladybug.Tests.Support;
using Ladybug.Tests.Unit.Engine;
using Ladybug.Tests.Unit.Engine.Clusters;
using Ladybug.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ladybug.Tests.Unit.Web.Infrastructure;

public sealed class SandboxDemoClusterTests
{
    [Fact]
    public void DemoAsksOnlyForConnectionsAndNodeSizedSpecsTheSandboxOffers()
    {
        var catalog = new CloudCatalog();
        foreach (var pool in SandboxDemoCluster.Spec.WorkerPools.Prepend(SandboxDemoCluster.Spec.ControlPlane))
        {
            var region = catalog.FindConnection(pool.Connection);
            Assert.True(region is not null, $"The sandbox has no connection '{pool.Connection}'.");
            Assert.Contains(catalog.Specs, s => s.Region == region && s.CspSpecName == pool.Spec && s.VCpu >= 2 && s.MemoryGiB >= 2);
        }
        Assert.Equal(3, SandboxDemoCluster.Spec.WorkerPools.Prepend(SandboxDemoCluster.Spec.ControlPlane)
            .Select(p => p.Connection.Split('-')[0]).Distinct().Count());
    }

    [Fact]
    public async Task FirstRunCreatesTheDemoClusterThroughTheClusterService()
    {
        var create = new ScriptedJobHandler(JobKind.Create).Step("provision");
        await using var engine = await EngineHost.StartAsync(s => s.AddSingleton<IJobHandler>(create));

        await RunSeederAsync(engine);

        var demo = await Eventually.ReturnsAsync(() => engine.Queries.GetAsync(ClusterSpec.DefaultNamespace, "demo"), c => c is not null, "the demo cluster");
        Assert.Equal(3, demo!.Pools.Count);
        Assert.Equal(4, demo.Pools.Sum(p => p.Count));
        await Eventually.TrueAsync(() => Task.FromResult(create.Started.Any()), "the demo's create job to run");
    }

    [Fact]
    public async Task ADatabaseThatEverHeldAClusterGetsNoDemo()
    {
        await using var engine = await EngineHost.StartAsync(s => s.AddSingleton<IJobHandler>(new ScriptedJobHandler(JobKind.Create)));
        await engine.Clusters.CreateAsync(ClusterSpecs.Valid("mine"));

        await RunSeederAsync(engine);

        await using var db = await engine.Services.GetRequiredService<IDbContextFactory<LadybugDbContext>>().CreateDbContextAsync();
        Assert.Equal(["mine"], await db.Clusters.Select(c => c.Name).ToListAsync());
    }

    private static async Task RunSeederAsync(EngineHost engine)
    {
        using var seeder = new SandboxDemoCluster(engine.Clusters, engine.Services.GetRequiredService<IDbContextFactory<LadybugDbContext>>(),
            NullLogger<SandboxDemoCluster>.Instance);
        await seeder.StartAsync(CancellationToken.None);
        await seeder.ExecuteTask!;
    }
}
