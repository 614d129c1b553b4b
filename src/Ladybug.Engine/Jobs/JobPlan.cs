using Ladybug.Engine.Domain;

namespace Ladybug.Engine.Jobs;

/// <summary>
/// One named step of a job. <paramref name="Repeatable"/> says whether the step may simply run
/// again after the console died in the middle of it (true for steps that check what exists first);
/// when false, an interrupted job fails with reason Interrupted and is rolled back.
/// </summary>
public sealed record PlanStep(string Name, bool Repeatable, Func<JobContext, CancellationToken, Task> Run);

/// <summary>Turns a job of one kind into its ordered steps, and knows what failure means for it.</summary>
public interface IJobHandler
{
    JobKind Kind { get; }

    IReadOnlyList<PlanStep> Plan(JobContext context);

    /// <summary>Called once when the job ends as Succeeded.</summary>
    Task OnSucceededAsync(JobContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Called once when a step failed, the job was cancelled, or it was interrupted. Records phase,
    /// reason and message, and returns true when the runner should queue a rollback job.
    /// </summary>
    Task<bool> OnFailedAsync(JobContext context, JobFailure failure, CancellationToken cancellationToken);
}

/// <summary>Why a job stopped short: which step, with what reason code and message.</summary>
public sealed record JobFailure(string Step, string Reason, string Message, Exception? Exception = null);

/// <summary>A step throws this to fail with a specific reason code and a message meant for people.</summary>
public sealed class StepFailedException(string reason, string message, int? exitCode = null, Exception? inner = null)
    : Exception(message, inner)
{
    public string Reason { get; } = reason;
    public int? ExitCode { get; } = exitCode;
}
