using Bunit;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Tests.Unit.Engine.Clusters;
using Ladybug.Tests.Unit.Web.Api;
using Ladybug.Web.Components.Pages.Clusters;
using Microsoft.EntityFrameworkCore;

namespace Ladybug.Tests.Unit.Web.Components;

/// <summary>
/// The cluster page's step timeline against the real store and event feed. Steps are stored and events published here
/// by hand, in exactly the order that shows a problem, instead of by a running job whose timing decides the order.
/// </summary>
public sealed class ClusterDetailTests() : ComponentTest(withEngine: true)
{
    private const int JoinOrder = 7;
    private const string JoinStep = "join-control-planes";
    private const string JoinSubStep = "join-control-plane";

    /// <summary>A start time with sub-millisecond ticks, as TimeProvider gives them; the database keeps fewer.</summary>
    private static readonly DateTimeOffset Start = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero).AddTicks(1_234);

    [Fact]
    public async Task ALiveEventUpdatesTheStoredStepItIsAboutThoughTheStoreRoundedItsStartTime()
    {
        var (cluster, job) = await SeedRunningJobAsync();
        var cp2 = await StoreStepAsync(job, "cp-2", StepState.Running, Start.AddSeconds(1));
        var cut = await RenderReadyAsync(cluster);
        Assert.NotEqual(cp2.StartedAt, (await Engine.StepsOfAsync(job.Id)).Single(s => s.Id == cp2.Id).StartedAt);
        // The page shows a job's events once it has read that job's steps (before, the read itself covers them).
        cut.WaitForAssertion(() => Assert.Equal([("cp-2", "Running")], JoinSubSteps(cut)));

        // What the engine does next: cp-2's join ends, then cp-3's starts.
        cp2.State = StepState.Succeeded;
        cp2.FinishedAt = Start.AddSeconds(3);
        Engine.Events.Publish(Changed(cluster, cp2));
        var cp3 = await StoreStepAsync(job, "cp-3", StepState.Running, Start.AddSeconds(3));
        Engine.Events.Publish(Changed(cluster, cp3));

        cut.WaitForAssertion(() => Assert.Equal([("cp-2", "Succeeded"), ("cp-3", "Running")], JoinSubSteps(cut)));
    }

    [Fact]
    public async Task ARunningEventOlderThanTheStoredStepDoesNotStartTheFinishedStepAgain()
    {
        var (cluster, job) = await SeedRunningJobAsync();
        var cp2 = await StoreStepAsync(job, "cp-2", StepState.Succeeded, Start.AddSeconds(1), finishedAt: Start.AddSeconds(3));
        var cp3 = await StoreStepAsync(job, "cp-3", StepState.Running, Start.AddSeconds(3));
        var cut = await RenderReadyAsync(cluster);
        cut.WaitForAssertion(() => Assert.Equal([("cp-2", "Succeeded"), ("cp-3", "Running")], JoinSubSteps(cut)));

        // cp-2's start event was still queued for the page when it read the store, which already had cp-2 finished.
        Engine.Events.Publish(Changed(cluster, cp2) with { State = StepState.Running, FinishedAt = null });
        cp3.State = StepState.Succeeded;
        cp3.FinishedAt = Start.AddSeconds(5);
        Engine.Events.Publish(Changed(cluster, cp3));

        cut.WaitForAssertion(() => Assert.Equal([("cp-2", "Succeeded"), ("cp-3", "Succeeded")], JoinSubSteps(cut)));
    }

    [Fact]
    public async Task ADeletedClusterShowsNoApiEndpointItsMachinesAreGone()
    {
        var live = await ClusterSeeder.ProvisionedAsync(Engine.Services, "default", "live");
        var gone = await ClusterSeeder.ProvisionedAsync(Engine.Services, "default", "gone");
        await using (var db = await Engine.OpenDbAsync())
        {
            foreach (var stored in await db.Clusters.Where(c => c.Id == live.Id || c.Id == gone.Id).ToListAsync())
                stored.ApiEndpoint = "https://203.0.113.10:6443";
            (await db.Clusters.SingleAsync(c => c.Id == gone.Id)).SetPhase(ClusterPhase.Deleted, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }

        var shown = Render<ClusterDetail>(p => p.Add(c => c.Namespace, "default").Add(c => c.Name, "live"));
        shown.WaitForAssertion(() => Assert.Equal("https://203.0.113.10:6443", shown.Find("[data-testid=api-endpoint]").TextContent));
        var deleted = Render<ClusterDetail>(p => p.Add(c => c.Namespace, "default").Add(c => c.Name, "gone"));
        deleted.WaitForAssertion(() => Assert.Contains("Deleted", deleted.Markup));
        Assert.Empty(deleted.FindAll("[data-testid=api-endpoint]"));
    }

    [Fact]
    public async Task ANodeWhoseMachineMovedShowsItsNewPublicIpLive()
    {
        var cluster = await ClusterSeeder.ProvisionedAsync(Engine.Services, "default", "edge");
        var cut = Render<ClusterDetail>(p => p.Add(c => c.Namespace, "default").Add(c => c.Name, "edge"));
        cut.WaitForAssertion(() => Assert.Contains("203.0.113.10", cut.Find("tbody").TextContent));

        Engine.Events.Publish(new NodeChanged(cluster.Id, "edge-cp-1", NodeStatus.Ready, null, "203.0.113.99"));

        cut.WaitForAssertion(() =>
        {
            var nodes = cut.Find("tbody").TextContent;
            Assert.Contains("203.0.113.99", nodes);
            Assert.DoesNotContain("203.0.113.10", nodes);
        });
    }

    private async Task<(Cluster Cluster, Job Job)> SeedRunningJobAsync()
    {
        var cluster = await Engine.AddClusterAsync(ClusterSpecs.Valid(), ClusterPhase.Provisioning);
        // Stored only, never queued: no runner touches it, so the test alone decides what happens.
        var job = new Job { ClusterId = cluster.Id, Kind = JobKind.Create, State = JobState.Running, CurrentStep = JoinStep, CreatedAt = Start, StartedAt = Start };
        await using (var db = await Engine.OpenDbAsync())
        {
            db.Jobs.Add(job);
            await db.SaveChangesAsync();
        }
        await StoreStepAsync(job, null, StepState.Running, Start);
        return (cluster, job);
    }

    private async Task<JobStep> StoreStepAsync(Job job, string? node, StepState state, DateTimeOffset startedAt, DateTimeOffset? finishedAt = null)
    {
        var step = new JobStep
        {
            JobId = job.Id, Order = JoinOrder, Name = node is null ? JoinStep : JoinSubStep, NodeName = node, State = state,
            StartedAt = startedAt, FinishedAt = finishedAt, ExitCode = finishedAt is null ? null : 0,
        };
        await using var db = await Engine.OpenDbAsync();
        db.JobSteps.Add(step);
        await db.SaveChangesAsync();
        return step;
    }

    private static StepChanged Changed(Cluster cluster, JobStep step) =>
        new(cluster.Id, step.JobId, step.Id, step.Order, step.Name, step.NodeName, step.State, step.StartedAt, step.FinishedAt, step.ExitCode, step.Message);

    /// <summary>Renders the page and waits until its feed is live: it subscribes before it delivers the stored log, so a stored line on screen means later events reach it.</summary>
    private async Task<IRenderedComponent<ClusterDetail>> RenderReadyAsync(Cluster cluster)
    {
        Engine.JobLog.Append(cluster.Id, null, null, JoinStep, LogStream.System, "joining control planes");
        await Engine.JobLog.FlushAsync();
        var cut = Render<ClusterDetail>(p => p.Add(c => c.Namespace, cluster.Namespace).Add(c => c.Name, cluster.Name));
        cut.WaitForAssertion(() => Assert.Contains("1 lines", cut.Find("[data-testid=log-count]").TextContent));
        return cut;
    }

    private static List<(string? Node, string? State)> JoinSubSteps(IRenderedComponent<ClusterDetail> cut) =>
        [.. cut.FindAll($"[data-testid=step][data-step={JoinStep}] [data-testid=sub-step]").Select(s => (s.GetAttribute("data-node"), s.GetAttribute("data-state")))];
}
