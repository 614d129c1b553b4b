using Bunit;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Persistence;
using Ladybug.Web.Components.Pages.Clusters;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;

namespace Ladybug.Tests.Unit.Web.Components;

/// <summary>The cluster list against the real queries (SQLite), filtered by the phase in its address.</summary>
public sealed class ClusterListTests() : ComponentTest(withEngine: true)
{
    private async Task SeedAsync()
    {
        await using var db = await Engine.Get<IDbContextFactory<LadybugDbContext>>().CreateDbContextAsync();
        foreach (var (name, phase) in new[] { ("alpha", ClusterPhase.Provisioned), ("beta", ClusterPhase.Failed), ("gamma", ClusterPhase.Failed) })
            db.Clusters.Add(new Cluster { Name = name, Phase = phase, KubernetesVersion = "1.34.2", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }

    private static IReadOnlyList<string> Names(IRenderedComponent<ClusterList> cut) =>
        cut.FindAll("[data-testid=cluster-link]").Select(a => a.TextContent).Order().ToList();

    [Fact]
    public async Task ShowsOnlyClustersInThePhaseItsAddressNames()
    {
        await SeedAsync();

        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("clusters?phase=Failed");

        var cut = Render<ClusterList>();

        cut.WaitForAssertion(() => Assert.Equal(["beta", "gamma"], Names(cut)));
        Assert.Equal(ClusterPhase.Failed, cut.FindComponent<MudSelect<ClusterPhase?>>().Instance.GetState(s => s.Value));
        navigation.NavigateTo("clusters");
        cut.WaitForAssertion(() => Assert.Equal(["alpha", "beta", "gamma"], Names(cut)));
    }

    [Fact]
    public async Task ARowsMenuDeletesTheClusterOnceItsNameIsTyped()
    {
        await SeedAsync();
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<ClusterList>();
        cut.WaitForAssertion(() => Assert.Equal(3, Names(cut).Count));

        var row = cut.FindAll("tr").Single(r => r.QuerySelector("[data-testid=cluster-link]")?.TextContent == "alpha");
        await row.QuerySelector("[data-testid=row-actions] button")!.ClickAsync(new());
        var clicked = Popovers.WaitForElement("[data-testid=row-delete]").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("This deletes every VM of", dialogs.Markup));
        Assert.True(dialogs.Find("[data-testid=delete-confirm]").HasAttribute("disabled"), "Delete stays disabled until the name is typed");
        await dialogs.Find("input[data-testid=delete-confirm-name], [data-testid=delete-confirm-name] input").InputAsync(new() { Value = "alpha" });
        await dialogs.Find("[data-testid=delete-confirm]").ClickAsync(new());
        await Eventually.CompletesAsync(clicked, "the row's delete handler");

        // The delete was asked for: its job is queued (what becomes of it is the engine's, not the list's, concern).
        var alpha = (await Engine.Queries.ListAsync(includeDeleted: true)).Single(c => c.Name == "alpha");
        Assert.Contains(await Engine.Queries.JobsAsync(alpha.Id), j => j.Kind == Ladybug.Engine.Domain.JobKind.DeleteCluster);
        Assert.DoesNotContain((await Engine.Queries.ListAsync(includeDeleted: true)).Where(c => c.Name != "alpha"),
            c => c.Phase is ClusterPhase.Deleting or ClusterPhase.Deleted);
    }

    [Fact]
    public async Task ChoosingAPhasePutsItInTheAddressAndAnEmptyPhaseSaysSo()
    {
        await SeedAsync();
        var cut = Render<ClusterList>();
        cut.WaitForAssertion(() => Assert.Equal(3, Names(cut).Count));

        await cut.InvokeAsync(() => cut.FindComponent<MudSelect<ClusterPhase?>>().Instance.ValueChanged.InvokeAsync(ClusterPhase.Deleting));

        Assert.EndsWith("/clusters?phase=Deleting", Services.GetRequiredService<NavigationManager>().Uri);
        cut.WaitForAssertion(() => Assert.Equal("No cluster is Deleting right now.", cut.Find("[data-testid=no-cluster-matches]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=empty-state]"));
    }

    [Fact]
    public void WithoutAnyClusterTheListGivesWayToTheEmptyStateAndItsCreateButton()
    {
        var cut = Render<ClusterList>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=empty-state]")));
        Assert.Equal("clusters/new", cut.Find("[data-testid=create-first-cluster]").GetAttribute("href"));
    }
}
