using Bunit;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Persistence;
using Ladybug.Web.Components.Pages.Dashboard;
using Microsoft.EntityFrameworkCore;

namespace Ladybug.Tests.Unit.Web.Components;

/// <summary>The dashboard against the real queries (SQLite).</summary>
public sealed class DashboardTests() : ComponentTest(withEngine: true)
{
    [Fact]
    public void BeforeTheFirstClusterOnlyTheWayToCreateOneIsShown()
    {
        var cut = Render<Dashboard>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=empty-state]")));
        Assert.Empty(cut.FindAll("[data-testid=phase-breakdown]"));
        Assert.Empty(cut.FindAll("[data-testid=node-map]"));
        Assert.Contains(cut.FindAll("[data-testid=empty-state] a"), a => a.GetAttribute("href") == "connections");
    }

    [Fact]
    public async Task WithClustersTheTotalsAndTheCountPerPhaseShareOneRow()
    {
        await using (var db = await Engine.Get<IDbContextFactory<LadybugDbContext>>().CreateDbContextAsync())
        {
            foreach (var (name, phase) in new[] { ("alpha", ClusterPhase.Provisioned), ("beta", ClusterPhase.Failed) })
                db.Clusters.Add(new Cluster { Name = name, Phase = phase, KubernetesVersion = "1.34.2", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        var cut = Render<Dashboard>();

        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find("[data-testid=stat-clusters]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=empty-state]"));
        var row = cut.Find(".overview-grid");
        Assert.NotNull(row.QuerySelector(".stat-totals"));
        Assert.NotNull(row.QuerySelector("[data-testid=phase-breakdown]"));
        Assert.Equal("1", cut.Find("[data-testid=phase-count-Failed]").TextContent);
    }
}
