using Ladybug.Engine.Domain;
using Ladybug.Engine.Persistence;
using Ladybug.Web.Services;
using Microsoft.EntityFrameworkCore;
using Ladybug.Tests.Unit.Engine;

namespace Ladybug.Tests.Unit.Web.Services;

public sealed class ConsoleQueriesTests : IAsyncLifetime
{
    private EngineHost _engine = default!;
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        _engine = await ConsoleEngine.StartAsync(withCloud: false);
        await using var db = await _engine.Get<IDbContextFactory<LadybugDbContext>>().CreateDbContextAsync();
        db.Clusters.AddRange(
            Cluster("alpha", ClusterPhase.Provisioned, 1, ("aws", "ap-northeast-1", 3), ("gcp", "europe-west2", 2)),
            Cluster("beta", ClusterPhase.Provisioning, 2, ("aws", "ap-northeast-1", 1), ("azure", "koreacentral", 1)),
            Cluster("gamma", ClusterPhase.Failed, 3),
            Cluster("old", ClusterPhase.Deleted, 4, ("aws", "us-east-1", 5)));
        await db.SaveChangesAsync();
        var ids = await db.Clusters.ToDictionaryAsync(c => c.Name, c => c.Id);
        for (var i = 0; i < 12; i++)
            db.Jobs.Add(new Job { ClusterId = ids[i % 2 == 0 ? "alpha" : "beta"], Kind = JobKind.AddNodes, State = JobState.Succeeded, CreatedAt = T0.AddMinutes(i) });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private static Cluster Cluster(string name, ClusterPhase phase, int minute, params (string Csp, string Region, int Count)[] placements)
    {
        var cluster = new Cluster { Name = name, Phase = phase, KubernetesVersion = "1.34.2", CreatedAt = T0.AddMinutes(minute), UpdatedAt = T0 };
        var n = 0;
        foreach (var (csp, region, count) in placements)
            for (var i = 0; i < count; i++)
                cluster.Nodes.Add(new Node { ClusterId = cluster.Id, Name = $"{name}-{++n}", Csp = csp, Region = region, Latitude = 10, Longitude = 20, CreatedAt = T0 });
        cluster.Nodes.Add(new Node { ClusterId = cluster.Id, Name = $"{name}-gone", Csp = "ibm", Region = "us-south", DeletedAt = T0, CreatedAt = T0 });
        return cluster;
    }

    [Fact]
    public async Task DashboardCountsLiveClustersByPhaseAndLiveNodesByCloudAndRegion()
    {
        var summary = await _engine.Get<ConsoleQueries>().DashboardAsync();

        Assert.Equal(3, summary.Clusters);
        Assert.Equal(7, summary.Nodes);
        Assert.Equal(1, summary.Phases.Single(p => p.Phase == ClusterPhase.Failed).Count);
        Assert.DoesNotContain(summary.Phases, p => p.Phase == ClusterPhase.Deleted);
        Assert.Equal([("aws", 4), ("azure", 1), ("gcp", 2)], summary.NodesByCsp.Select(c => (c.Csp, c.Nodes)).OrderBy(c => c.Csp));
        var tokyo = summary.Regions.Single(r => r.Region == "ap-northeast-1");
        Assert.Equal(4, tokyo.NodeCount);
        Assert.Equal(["alpha: 3 nodes", "beta: 1 node"], tokyo.Items);
        Assert.Equal(ConsoleQueries.RecentJobCount, summary.RecentJobs.Count);
        Assert.Equal(T0.AddMinutes(11), summary.RecentJobs[0].CreatedAt);
        Assert.Equal("beta", summary.RecentJobs[0].ClusterName);
    }

    [Fact]
    public async Task ClusterListPagesSortsSearchesAndSummarisesNodesPerRow()
    {
        var queries = _engine.Get<ConsoleQueries>();

        var first = await queries.ClustersAsync(new ClusterListQuery(0, 2));
        Assert.Equal(3, first.Total);
        Assert.Equal(["gamma", "beta"], first.Rows.Select(r => r.Name));
        var second = await queries.ClustersAsync(new ClusterListQuery(1, 2));
        var alpha = Assert.Single(second.Rows);
        Assert.Equal(5, alpha.NodeCount);
        Assert.Equal(["aws", "gcp"], alpha.Csps);

        var byName = await queries.ClustersAsync(new ClusterListQuery(0, 10, SortBy: "name", Descending: false));
        Assert.Equal(["alpha", "beta", "gamma"], byName.Rows.Select(r => r.Name));
        var search = await queries.ClustersAsync(new ClusterListQuery(0, 10, Search: "ET"));
        Assert.Equal("beta", Assert.Single(search.Rows).Name);
        var withDeleted = await queries.ClustersAsync(new ClusterListQuery(0, 10, IncludeDeleted: true));
        Assert.Equal(4, withDeleted.Total);
    }

    [Fact]
    public async Task ClusterListKeepsOnlyTheAskedPhaseDeletedIncludedWhenThatIsThePhaseAsked()
    {
        var queries = _engine.Get<ConsoleQueries>();

        var failed = await queries.ClustersAsync(new ClusterListQuery(0, 10, Phase: ClusterPhase.Failed));
        Assert.Equal("gamma", Assert.Single(failed.Rows).Name);
        Assert.Equal(1, failed.Total);
        var deleted = await queries.ClustersAsync(new ClusterListQuery(0, 10, Phase: ClusterPhase.Deleted));
        Assert.Equal("old", Assert.Single(deleted.Rows).Name);
        var none = await queries.ClustersAsync(new ClusterListQuery(0, 10, Search: "alpha", Phase: ClusterPhase.Failed));
        Assert.Equal(0, none.Total);
    }
}
