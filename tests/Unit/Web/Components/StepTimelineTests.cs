using Bunit;
using Ladybug.Engine.Domain;
using Ladybug.Web.Components.Shared;

namespace Ladybug.Tests.Unit.Web.Components;

[Trait(TestTier.Category, TestTier.Unit)]
public sealed class StepTimelineTests : ComponentTest
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static JobStepView Step(int order, string name, StepState state, string? node = null, double? took = null) => new()
    {
        Order = order, Name = name, NodeName = node, State = state, StartedAt = Now.AddSeconds(-5),
        FinishedAt = took is { } seconds ? Now.AddSeconds(-5 + seconds) : null,
    };

    [Fact]
    public void ARunningStepSaysSoWhileItsNodesSubStepsLeaveThatToTheirSpinner()
    {
        var cut = Render<StepTimeline>(p => p
            .Add(t => t.Steps, [Step(1, "prepare-nodes", StepState.Succeeded, took: 1.2), Step(2, "join-workers", StepState.Running),
                Step(2, "join-worker", StepState.Running, node: "w1-1"), Step(2, "join-worker", StepState.Succeeded, node: "w1-2", took: 0.4)])
            .Add(t => t.Now, Now));

        Assert.Equal("1.2 s", cut.Find("[data-step=prepare-nodes] .step-duration").TextContent);
        Assert.Equal("running · 5.0 s", cut.Find("[data-step=join-workers] .step-duration").TextContent);
        var running = cut.Find("[data-testid=sub-step][data-node=w1-1]");
        Assert.Equal("5.0 s", running.Children[2].TextContent);
        Assert.Equal("0.4 s", cut.Find("[data-testid=sub-step][data-node=w1-2]").Children[2].TextContent);
    }

    [Fact]
    public void EveryStateShowsItsIconInTheSameBoxSoRowsLineUpAndARunningOneTurns()
    {
        var cut = Render<StepTimeline>(p => p
            .Add(t => t.Steps, [Step(1, "resolve", StepState.Succeeded, took: 0.4), Step(2, "create-machines", StepState.Running)])
            .Add(t => t.Now, Now));

        var boxes = cut.FindAll(".step-row > .step-icon");
        Assert.Equal(["Succeeded", "Running"], boxes.Select(b => b.GetAttribute("aria-label")));
        Assert.All(boxes, b => Assert.NotNull(b.QuerySelector("svg")));
        Assert.Contains("step-icon-running", boxes[1].ClassList);
        Assert.DoesNotContain("step-icon-running", boxes[0].ClassList);
    }

    [Fact]
    public void FromTheStartEveryPlannedStepIsListedWithThoseNotRunGreyedAndTheJobSaysStepNOfM()
    {
        var job = new JobView { Kind = JobKind.Create, State = JobState.Running, StartedAt = Now.AddSeconds(-75) };
        var cut = Render<StepTimeline>(p => p
            .Add(t => t.Steps, [Step(0, "resolve", StepState.Succeeded, took: 0.4), Step(1, "create-machines", StepState.Running)])
            .Add(t => t.Planned, ["resolve", "create-machines", "record-machines", "prepare-nodes"])
            .Add(t => t.Job, job)
            .Add(t => t.Now, Now));

        Assert.Equal(["resolve", "create-machines", "record-machines", "prepare-nodes"], cut.FindAll("[data-testid=step]").Select(s => s.GetAttribute("data-step")));
        Assert.Equal(["Succeeded", "Running", "Pending", "Pending"], cut.FindAll("[data-testid=step]").Select(s => s.GetAttribute("data-state")));
        Assert.All(cut.FindAll("[data-state=Pending].step-row"), row => Assert.Contains("step-pending", row.ClassList));
        Assert.Equal("step 2 of 4 · create-machines", cut.Find("[data-testid=job-progress-text]").TextContent);
        Assert.Equal("1 min 15 s", cut.Find("[data-testid=job-progress-elapsed]").TextContent);
        Assert.Equal("25", cut.Find("[role=progressbar]").GetAttribute("aria-valuenow"));
    }

    [Fact]
    public void NodeSubStepsAreOrderedByNodeNotByWhenTheyFinished()
    {
        JobStepView Sub(string node, int startedSecondsAgo) => new()
        {
            Order = 1, Name = "prepare", NodeName = node, State = StepState.Running, StartedAt = Now.AddSeconds(-startedSecondsAgo),
        };
        var cut = Render<StepTimeline>(p => p
            .Add(t => t.Steps, [Step(1, "prepare-nodes", StepState.Running), Sub("w1-10", 9), Sub("w1-2", 3), Sub("cp-1", 1), Sub("w1-1", 5)])
            .Add(t => t.Now, Now));

        Assert.Equal(["cp-1", "w1-1", "w1-2", "w1-10"], cut.FindAll("[data-testid=sub-step]").Select(s => s.GetAttribute("data-node")));
    }
}
