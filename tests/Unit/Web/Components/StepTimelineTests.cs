using Bunit;
using Ladybug.Engine.Jobs;
using Ladybug.Web.Components.Shared;

namespace Ladybug.Tests.Unit.Web.Components;

[Trait(TestTier.Category, TestTier.Unit)]
public sealed class StepTimelineTests : ComponentTest
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static JobStep Step(int order, string name, StepState state, string? node = null, double? took = null) => new()
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
}
