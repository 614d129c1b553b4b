using Bunit;
using Ladybug.Engine.Domain;
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

    [Fact]
    public void ARunningJobShowsItsStepOfThePlanAndABar()
    {
        var job = new RecentJob(Guid.NewGuid(), "default", "edge", JobKind.Create, JobState.Running, "install-cni", null, Now.AddMinutes(-3), null,
            Now.AddMinutes(-2), ["resolve", "create-machines", "install-cni", "wait-ready"]);

        var cut = Render<ActivityRow>(p => p.Add(r => r.Job, job).Add(r => r.Now, Now));

        Assert.Equal("step 3 of 4 · install-cni", cut.Find("[data-testid=job-progress-text]").TextContent);
        Assert.Equal("2 min 00 s", cut.Find("[data-testid=job-progress-elapsed]").TextContent);
        Assert.Equal("50", cut.Find("[role=progressbar]").GetAttribute("aria-valuenow"));
    }

    [Fact]
    public void AFinishedJobShowsNoBar()
    {
        var job = new RecentJob(Guid.NewGuid(), "default", "edge", JobKind.Create, JobState.Succeeded, "pod-network", null, Now.AddMinutes(-3),
            Now.AddMinutes(-1), Now.AddMinutes(-3), null);

        Assert.Empty(Render<ActivityRow>(p => p.Add(r => r.Job, job).Add(r => r.Now, Now)).FindAll("[data-testid=job-progress]"));
    }
}
