using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Web.Services;

namespace Ladybug.Tests.Unit.Web.Services;

[Trait(TestTier.Category, TestTier.Unit)]
public sealed class LiveJobStepsTests
{
    private static readonly Guid ClusterId = Guid.NewGuid();
    private static readonly Guid JobId = Guid.NewGuid();
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static JobStepView Step(long id, string node, StepState state) => new()
    {
        Id = id, JobId = JobId, Order = 7, Name = "join-control-plane", NodeName = node, State = state,
        StartedAt = Start.AddSeconds(id), FinishedAt = state == StepState.Running ? null : Start.AddSeconds(id + 1),
    };

    private static StepChanged Event(JobStepView s, Guid? jobId = null) =>
        new(ClusterId, jobId ?? s.JobId, s.Id, s.Order, s.Name, s.NodeName, s.State, s.StartedAt, s.FinishedAt, s.ExitCode, s.Message);

    private static LiveJobSteps Showing(params JobStepView[] stored)
    {
        var steps = new LiveJobSteps();
        steps.Show(JobId);
        steps.Merge(JobId, stored);
        return steps;
    }

    private static List<(string? Node, StepState State)> States(LiveJobSteps steps) => [.. steps.Steps.Select(s => (s.NodeName, s.State))];

    [Fact]
    public void EventsOfAStoredStepUpdateItAndEventsOfANewStepAddIt()
    {
        var steps = Showing(Step(2, "cp-2", StepState.Running));

        steps.Apply(Event(Step(2, "cp-2", StepState.Succeeded)));
        steps.Apply(Event(Step(3, "cp-3", StepState.Running)));

        Assert.Equal([("cp-2", StepState.Succeeded), ("cp-3", StepState.Running)], States(steps));
    }

    [Fact]
    public void AStoredReadOlderThanTheEventsAlreadyShownDoesNotUndoThem()
    {
        var steps = Showing(Step(2, "cp-2", StepState.Running));
        steps.Apply(Event(Step(2, "cp-2", StepState.Succeeded)));
        steps.Apply(Event(Step(3, "cp-3", StepState.Running)));

        // Read before those events were stored.
        steps.Merge(JobId, [Step(2, "cp-2", StepState.Running)]);

        Assert.Equal([("cp-2", StepState.Succeeded), ("cp-3", StepState.Running)], States(steps));
    }

    [Fact]
    public void AFinishedStepKeepsItsEndWhenItsStartEventArrivesLate()
    {
        var steps = Showing(Step(2, "cp-2", StepState.Failed), Step(3, "cp-3", StepState.Running));

        steps.Apply(Event(Step(2, "cp-2", StepState.Running)));

        Assert.Equal([("cp-2", StepState.Failed), ("cp-3", StepState.Running)], States(steps));
        Assert.NotNull(steps.Steps[0].FinishedAt);
    }

    [Fact]
    public void StepsOfAnotherJobAreIgnoredAndSwitchingJobsForgetsTheOldOnes()
    {
        var steps = Showing(Step(2, "cp-2", StepState.Running));
        var otherJob = Guid.NewGuid();

        steps.Apply(Event(Step(9, "cp-9", StepState.Running), otherJob));
        steps.Merge(otherJob, [Step(8, "cp-8", StepState.Running)]);
        Assert.Equal([("cp-2", StepState.Running)], States(steps));

        steps.Show(otherJob);
        Assert.Empty(steps.Steps);
        Assert.Equal(otherJob, steps.JobId);
    }
}
