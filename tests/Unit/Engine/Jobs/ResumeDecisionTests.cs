using Ladybug.Engine.Domain;
using Ladybug.Engine.Jobs;

namespace Ladybug.Tests.Unit.Engine.Jobs;

[Trait(TestTier.Category, TestTier.Unit)]
public sealed class ResumeDecisionTests
{
    private static readonly IReadOnlyList<PlanStep> Plan =
    [
        new("resolve", true, (_, _) => Task.CompletedTask),
        new("create-machines", true, (_, _) => Task.CompletedTask),
        new("init-control-plane", false, (_, _) => Task.CompletedTask),
        new("join-workers", true, (_, _) => Task.CompletedTask),
    ];

    private const int MaxAttempts = 3;

    private static JobStep Step(string name, StepState state, string? node = null) => new() { Name = name, State = state, NodeName = node };

    public static TheoryData<string, JobState, int, bool, JobStep[], string> Cases => new()
    {
        { "queued: runs everything", JobState.Queued, 0, false, [], "Run fresh []" },
        { "queued and cancelled: never starts", JobState.Queued, 0, true, [], "Cancel queued" },
        { "running, stopped in a repeatable step: resumes after what is done",
            JobState.Running, 1, false, [Step("resolve", StepState.Succeeded), Step("create-machines", StepState.Running)], "Run resuming [resolve]" },
        { "running, stopped in a step not safe to repeat: interrupted",
            JobState.Running, 1, false, [Step("resolve", StepState.Succeeded), Step("create-machines", StepState.Succeeded), Step("init-control-plane", StepState.Running)],
            "FailInterrupted init-control-plane" },
        { "a node sub-step named like an unsafe plan step does not count",
            JobState.Running, 1, false, [Step("resolve", StepState.Succeeded), Step("init-control-plane", StepState.Running, "cp-1"), Step("create-machines", StepState.Running)],
            "Run resuming [resolve]" },
        { "node sub-steps that succeeded are not plan steps done",
            JobState.Running, 1, false, [Step("resolve", StepState.Succeeded, "cp-1")], "Run resuming []" },
        { "a record of a step the plan does not have is ignored",
            JobState.Running, 1, false, [Step("retired-step", StepState.Running), Step("resolve", StepState.Skipped)], "Run resuming [resolve]" },
        { "interrupted as often as allowed: fails",
            JobState.Running, MaxAttempts, false, [Step("create-machines", StepState.Running)], "FailInterrupted create-machines" },
        { "cancel asked before a resume wins over resuming",
            JobState.Running, 1, true, [Step("create-machines", StepState.Running)], "Cancel create-machines" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decides(string why, JobState state, int attempts, bool cancelRequested, JobStep[] previous, string expected)
    {
        var current = previous.LastOrDefault(s => s.NodeName is null)?.Name;
        var job = new Job { State = state, Attempts = attempts, CancelRequested = cancelRequested, CurrentStep = state == JobState.Queued ? null : current };

        var decision = ResumeDecision.Decide(job, Plan, previous, MaxAttempts);

        Assert.True(Describe(decision) == expected, $"{why}: expected {expected}, got {Describe(decision)}");
    }

    private static string Describe(ResumeDecision decision) => decision switch
    {
        ResumeDecision.Run run => $"Run {(run.Resuming ? "resuming" : "fresh")} [{string.Join(",", run.Completed.Order(StringComparer.Ordinal))}]",
        ResumeDecision.Cancel cancel => $"Cancel {cancel.Step}",
        ResumeDecision.FailInterrupted failed => $"FailInterrupted {failed.Step}",
        _ => "?",
    };
}
