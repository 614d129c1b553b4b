using Ladybug.Engine.Domain;

namespace Ladybug.Engine.Jobs;

/// <summary>
/// What the runner does with a job it picks up — queued, or found Running after a restart or a take-over — decided from
/// stored facts alone: run it (skipping plan steps already done), end it as cancelled, or fail it as Interrupted
/// because the step it was in is not safe to repeat or it was interrupted too often.
/// </summary>
public abstract record ResumeDecision
{
    private ResumeDecision() { }

    /// <param name="Completed">Plan steps that succeeded (or were skipped) in an earlier attempt.</param>
    /// <param name="Resuming">True when the job was already Running: an earlier attempt stopped short.</param>
    public sealed record Run(IReadOnlySet<string> Completed, bool Resuming) : ResumeDecision;

    public sealed record Cancel(string Step) : ResumeDecision;

    public sealed record FailInterrupted(string Step, string Why) : ResumeDecision;

    public static ResumeDecision Decide(Job job, IReadOnlyList<PlanStep> plan, IReadOnlyList<JobStep> previousSteps, int maxAttempts)
    {
        // Plan steps are the cluster-wide records named like a step of the plan; node sub-steps never count.
        var planNames = plan.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        bool IsPlanStep(JobStep s) => s.NodeName is null && planNames.Contains(s.Name);

        if (job.CancelRequested)
            return new Cancel(job.CurrentStep ?? "queued");

        var interrupted = previousSteps.FirstOrDefault(s => s.State == StepState.Running && IsPlanStep(s));
        var unsafeStep = interrupted is null ? null : plan.FirstOrDefault(p => p.Name == interrupted.Name && !p.Repeatable);
        if (unsafeStep is not null)
            return new FailInterrupted(unsafeStep.Name, $"The console stopped during step '{unsafeStep.Name}', which is not safe to repeat.");
        if (job.State == JobState.Running && job.Attempts >= maxAttempts)
            return new FailInterrupted(job.CurrentStep ?? "unknown", $"The job was interrupted {job.Attempts} times.");

        var completed = previousSteps.Where(s => IsPlanStep(s) && s.State is StepState.Succeeded or StepState.Skipped)
            .Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        return new Run(completed, job.State == JobState.Running);
    }
}
