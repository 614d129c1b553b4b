using Bunit;
using Ladybug.Engine.Jobs;
using Ladybug.Web.Components.Shared;
using Ladybug.Web.Services;

namespace Ladybug.Tests.Unit.Web.Components;

[Trait(TestTier.Category, TestTier.Unit)]
public sealed class ActivityRowTests : ComponentTest
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(JobState.Running, "join-workers", null, "3 minutes ago · running join-workers")]
    [InlineData(JobState.Succeeded, "fetch-kubeconfig", 95, "3 minutes ago · took 1 min 35 s")]
    [InlineData(JobState.Failed, "join-workers", 60, "3 minutes ago · stopped at join-workers")]
    [InlineData(JobState.Queued, null, null, "3 minutes ago · waiting for its turn")]
    public void SaysHowTheJobIsGoingOrHowItEnded(JobState state, string? step, int? secondsTaken, string expected)
    {
        var created = Now.AddMinutes(-3);
        var job = new RecentJob(Guid.NewGuid(), "default", "edge", JobKind.DeleteCluster, state, step, null, created,
            secondsTaken is { } s ? created.AddSeconds(s) : null);

        var cut = Render<ActivityRow>(p => p.Add(r => r.Job, job).Add(r => r.Now, Now));

        Assert.Equal(expected, cut.Find("[data-testid=activity-detail]").TextContent);
        Assert.Equal("clusters/default/edge", cut.Find("a").GetAttribute("href"));
        Assert.Contains("Delete cluster", cut.Markup);
    }
}
