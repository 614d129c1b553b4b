using Bunit;
using Ladybug.Engine.Domain;
using Ladybug.Web.Components.Shared;
using Ladybug.Web.Services;

namespace Ladybug.Tests.Unit.Web.Components;

[Trait(TestTier.Category, TestTier.Unit)]
public sealed class PhaseBreakdownTests : ComponentTest
{
    [Fact]
    public void ShowsEveryLivePhaseInOrderWithItsCountAndZeroForPhasesNobodyIsIn()
    {
        var cut = Render<PhaseBreakdown>(p => p.Add(b => b.Counts, [new PhaseCount(ClusterPhase.Failed, 2), new PhaseCount(ClusterPhase.Provisioned, 1_200)]));

        var cells = cut.FindAll(".phase-cell");
        Assert.Equal(["Pending", "Provisioning", "Provisioned", "Deleting", "Failed"], cells.Select(c => c.GetAttribute("data-phase")));
        Assert.Equal("1,200", cut.Find("[data-testid=phase-count-Provisioned]").TextContent);
        Assert.Equal("2", cut.Find("[data-testid=phase-count-Failed]").TextContent);
        Assert.Equal("0", cut.Find("[data-testid=phase-count-Pending]").TextContent);
    }

    [Fact]
    public void EachCountOpensTheClusterListFilteredToItsPhaseAndEmptyPhasesAreMuted()
    {
        var cut = Render<PhaseBreakdown>(p => p.Add(b => b.Counts, [new PhaseCount(ClusterPhase.Failed, 2)]));

        var failed = cut.Find(".phase-cell[data-phase=Failed]");
        Assert.Equal("clusters?phase=Failed", failed.GetAttribute("href"));
        Assert.DoesNotContain("phase-cell-none", failed.ClassList);
        Assert.Contains("phase-cell-none", cut.Find(".phase-cell[data-phase=Pending]").ClassList);
    }
}
