using Ladybug.Engine.Domain;
using Ladybug.Engine.Jobs;

namespace Ladybug.Web.Services;

/// <summary>
/// How far a job is through its plan: "step <see cref="Step"/> of <see cref="Of"/>", how many steps are done, and since
/// when it runs. The plan's step names come from the engine (<see cref="JobPlans"/>); pages only count.
/// </summary>
public sealed record JobProgress(int Step, int Of, int Done, string? StepName, JobState State, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
{
    public double Percent => Of == 0 ? 0 : 100.0 * Done / Of;

    public bool Finished => State is JobState.Succeeded or JobState.Failed or JobState.Cancelled;

    /// <summary>"step 3 of 12", or what a queued job is waiting for.</summary>
    public string Text => State == JobState.Queued || Step == 0 ? $"waiting to start · {Of} steps" : $"step {Step} of {Of}";

    /// <summary>Running for how long, or how long it took; empty before it started.</summary>
    public string Elapsed(DateTimeOffset now) => StartedAt is { } start ? DisplayFormat.Duration((FinishedAt ?? now) - start) : "";

    /// <summary>From the job's own record: the step it is on, as the runner stored it.</summary>
    public static JobProgress FromJob(JobState state, string? currentStep, DateTimeOffset? startedAt, DateTimeOffset? finishedAt, IReadOnlyList<string> planned)
    {
        var index = currentStep is null ? -1 : IndexOf(planned, currentStep);
        return state switch
        {
            JobState.Succeeded => new(planned.Count, planned.Count, planned.Count, null, state, startedAt, finishedAt),
            JobState.Queued => new(0, planned.Count, 0, null, state, startedAt, finishedAt),
            _ => new(index + 1, planned.Count, Math.Max(index, 0), index < 0 ? null : planned[index], state, startedAt, finishedAt),
        };
    }

    /// <summary>From the recorded steps: a resumed job's steps may end out of order, so each planned step is judged by its latest record.</summary>
    public static JobProgress FromSteps(JobState state, DateTimeOffset? startedAt, DateTimeOffset? finishedAt, IReadOnlyList<string> planned, IReadOnlyList<JobStepView> steps)
    {
        var latest = steps.Where(s => s.NodeName is null).GroupBy(s => s.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(s => s.StartedAt)!.State, StringComparer.Ordinal);
        bool IsDone(string name) => latest.TryGetValue(name, out var s) && s is StepState.Succeeded or StepState.Skipped;
        var done = planned.Count(IsDone);
        if (state == JobState.Succeeded) return new(planned.Count, planned.Count, planned.Count, null, state, startedAt, finishedAt);
        var current = planned.Select((name, i) => (name, i)).FirstOrDefault(p => latest.TryGetValue(p.name, out var s) && s is StepState.Running or StepState.Failed, (name: "", i: -1));
        if (current.i < 0) current = planned.Select((name, i) => (name, i)).FirstOrDefault(p => !IsDone(p.name), (name: "", i: -1));
        var started = state != JobState.Queued && latest.Count > 0;
        return started && current.i >= 0
            ? new(current.i + 1, planned.Count, done, current.name, state, startedAt, finishedAt)
            : new(0, planned.Count, done, null, state, startedAt, finishedAt);
    }

    private static int IndexOf(IReadOnlyList<string> planned, string name)
    {
        for (var i = 0; i < planned.Count; i++)
            if (string.Equals(planned[i], name, StringComparison.Ordinal)) return i;
        return -1;
    }
}
