using Bunit;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Persistence;
using Ladybug.Tests.Unit.Web.Api;
using Ladybug.Web.Components.Pages.Clusters;
using Ladybug.Web.Components.Pages.Dashboard;
using Ladybug.Web.Components.Shared;
using Ladybug.Web.Services;
using Microsoft.EntityFrameworkCore;

namespace Ladybug.Tests.Unit.Web.Components;

/// <summary>What the cluster watch found, on the pages: health, readiness, the map, and live NodeChanged events.</summary>
public sealed class ClusterWatchViewTests() : ComponentTest(withEngine: true)
{
    private static readonly DateTimeOffset Since = new(2026, 12, 6, 12, 3, 0, TimeSpan.Zero);

    private static NodeWatchFacts Facts(NodeReadiness readiness, string reason) =>
        new(readiness, reason, Since, "v1.23.17", "Ubuntu 22.04.4 LTS", "containerd://1.7.12", "2", "3996Mi", 5, false,
            "topology.cloud-barista.github.io/csp=gcp\ntopology.kubernetes.io/region=asia-northeast3", null);

    [Fact]
    public async Task TheNodeTableShowsReadinessWithReasonKubeletAndRuntimeAndANodeGoingUnknownLive()
    {
        var cluster = await ClusterSeeder.ProvisionedAsync(Engine.Services, "default", "live");
        await StoreAsync(cluster.Id, c =>
        {
            (c.Health, c.WatchMode) = (ClusterHealth.Healthy, ClusterWatchMode.Api);
            foreach (var node in c.Nodes)
            {
                Facts(NodeReadiness.Ready, "KubeletReady").ApplyTo(node);
                (node.Latitude, node.Longitude) = node.Role == NodeRole.Worker ? (37.57, 126.98) : (37.45, 126.70);
            }
        });
        var cut = Render<ClusterDetail>(p => p.Add(c => c.Namespace, "default").Add(c => c.Name, "live"));
        cut.WaitForAssertion(() => Assert.Equal(["Ready", "Ready"], cut.FindAll("[data-testid=node-readiness]").Select(e => e.GetAttribute("data-readiness"))));
        Assert.Contains("KubeletReady", cut.Find("tbody").TextContent);
        Assert.Contains("containerd://1.7.12", cut.Find("[data-testid=node-runtime]").TextContent);
        Assert.Equal("Healthy", cut.Find("[data-testid=cluster-health]").GetAttribute("data-health"));

        // The watch stores, then publishes: the page follows the events without reading again.
        Engine.Events.Publish(new NodeChanged(cluster.Id, "live-w1-1", NodeStatus.Ready, null, Facts: Facts(NodeReadiness.Unknown, "NodeStatusUnknown")));
        Engine.Events.Publish(new ClusterHealthChanged(cluster.Id, ClusterHealth.Degraded, "node live-w1-1 Unknown since 12:03 (NodeStatusUnknown)", Since, ClusterWatchMode.Api));

        cut.WaitForAssertion(() =>
        {
            var worker = cut.FindAll("tbody tr").Single(r => r.TextContent.Contains("live-w1-1"));
            Assert.Equal("Unknown", worker.QuerySelector("[data-testid=node-readiness]")!.GetAttribute("data-readiness"));
            Assert.Contains("NodeStatusUnknown", worker.TextContent);
            Assert.Equal("Degraded", cut.Find("[data-testid=cluster-health]").GetAttribute("data-health"));
        });
        // The map's marker for the worker's region says so.
        cut.FindAll(".mud-tab").Single(t => t.TextContent.Contains("Map")).Click();
        cut.WaitForAssertion(() =>
        {
            var marker = cut.FindAll("[data-testid=map-marker]").Single(m => m.GetAttribute("data-csp") == "gcp");
            Assert.Equal("1", marker.GetAttribute("data-not-ready"));
            Assert.Contains("1 not Ready", marker.QuerySelector("title")!.TextContent);
            Assert.Contains("live-w1-1 Unknown (NodeStatusUnknown)", marker.QuerySelector("title")!.TextContent);
        });
        Assert.Contains(cut.FindAll("[data-testid=region-not-ready]"), e => e.TextContent.Contains("1 not Ready"));
        Assert.Empty(cut.FindAll("[data-testid=watch-notice]"));
    }

    [Fact]
    public async Task TheClusterPageSaysWhenTheWatchGoesOverSshOrCannotReachTheCluster()
    {
        var cluster = await ClusterSeeder.ProvisionedAsync(Engine.Services, "default", "far");
        await StoreAsync(cluster.Id, c => (c.Health, c.WatchMode) = (ClusterHealth.Healthy, ClusterWatchMode.Ssh));
        var cut = Render<ClusterDetail>(p => p.Add(c => c.Namespace, "default").Add(c => c.Name, "far"));

        cut.WaitForAssertion(() => Assert.Equal("ssh", cut.Find("[data-testid=watch-notice]").GetAttribute("data-mode")));
        Assert.Contains("over SSH", cut.Find("[data-testid=watch-notice]").TextContent);
        Assert.NotEmpty(cut.FindAll("[data-testid=watch-via-ssh]"));

        const string reason = "API server at https://203.0.113.10:6443 unreachable: no answer within 10 s; over SSH: far-cp-1 did not answer SSH within 20 s";
        Engine.Events.Publish(new ClusterHealthChanged(cluster.Id, ClusterHealth.Unreachable, reason, Since, null));

        cut.WaitForAssertion(() =>
        {
            var notice = cut.Find("[data-testid=watch-notice]");
            Assert.Equal("unreachable", notice.GetAttribute("data-mode"));
            Assert.Contains(reason, notice.TextContent);
            Assert.Equal("Unreachable", cut.Find("[data-testid=cluster-health]").GetAttribute("data-health"));
        });
    }

    [Fact]
    public async Task TheClusterListShowsEachClustersHealthWithItsReason()
    {
        var degraded = await ClusterSeeder.ProvisionedAsync(Engine.Services, "default", "sick");
        await StoreAsync(degraded.Id, c => (c.Health, c.HealthReason, c.WatchMode) = (ClusterHealth.Degraded, "node sick-w1-1 NotReady since 12:03 (KubeletNotReady)", ClusterWatchMode.Api));
        await ClusterSeeder.PendingAsync(Engine.Services, "default", "young");

        var cut = Render<ClusterList>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("tbody tr").Count));
        var sick = cut.FindAll("tbody tr").Single(r => r.TextContent.Contains("sick"));
        var health = sick.QuerySelector("[data-testid=cluster-health]")!;
        Assert.Equal("Degraded", health.GetAttribute("data-health"));
        Assert.Contains("NotReady since 12:03", health.GetAttribute("aria-label"));
        Assert.Equal("", cut.FindAll("tbody tr").Single(r => r.TextContent.Contains("young")).QuerySelector("[data-testid=cluster-health]")!.GetAttribute("data-health"));
    }

    [Fact]
    public async Task TheDashboardCountsNodesByHealthAndMarksTheRegionOfANodeThatIsNotReady()
    {
        var cluster = await ClusterSeeder.ProvisionedAsync(Engine.Services, "default", "dash");
        await StoreAsync(cluster.Id, c =>
        {
            Facts(NodeReadiness.Ready, "KubeletReady").ApplyTo(c.Nodes.Single(n => n.Role == NodeRole.ControlPlane));
            var worker = c.Nodes.Single(n => n.Role == NodeRole.Worker);
            Facts(NodeReadiness.NotReady, "KubeletNotReady").ApplyTo(worker);
            (worker.Latitude, worker.Longitude) = (37.57, 126.98);
        });

        var cut = Render<Dashboard>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=readiness-count]").Count));
        Assert.Equal(["Ready:1", "NotReady:1"], cut.FindAll("[data-testid=readiness-count]").Select(e => $"{e.GetAttribute("data-readiness")}:{e.QuerySelector("b")!.TextContent}"));
        var marker = cut.FindAll("[data-testid=map-marker]").Single(m => m.GetAttribute("data-csp") == "gcp");
        Assert.Equal("1", marker.GetAttribute("data-not-ready"));
        Assert.Contains("dash: 1 node, 1 not Ready", marker.QuerySelector("title")!.TextContent);
    }

    [Fact]
    public void ANodeNeverWatchedShowsADashAndACordonedOneSaysSo()
    {
        var cordoned = new NodeView { Name = "w-1", Csp = "aws", Region = "us-east-1", Status = NodeStatus.Ready, Readiness = NodeReadiness.Ready, ReadinessReason = "KubeletReady", Cordoned = true };
        var fresh = new NodeView { Name = "w-2", Csp = "aws", Region = "us-east-1", Status = NodeStatus.Joining };

        var cut = Render<NodeTable>(p => p.Add(t => t.Nodes, [cordoned, fresh]));

        var rows = cut.FindAll("tbody tr");
        Assert.NotNull(rows[0].QuerySelector("[data-testid=node-cordoned]"));
        Assert.Equal("", rows[1].QuerySelector("[data-testid=node-readiness]")!.GetAttribute("data-readiness"));
        Assert.Null(rows[1].QuerySelector("[data-testid=node-cordoned]"));
    }

    private async Task StoreAsync(Guid clusterId, Action<Cluster> change)
    {
        await using var db = await Engine.Get<IDbContextFactory<LadybugDbContext>>().CreateDbContextAsync();
        var cluster = await db.Clusters.Include(c => c.Nodes).SingleAsync(c => c.Id == clusterId);
        change(cluster);
        await db.SaveChangesAsync();
    }
}
