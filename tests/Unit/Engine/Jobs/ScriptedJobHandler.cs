using System.Collections.Concurrent;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Jobs;

namespace Ladybug.Tests.Unit.Engine.Jobs;

/// <summary>
/// A job handler whose plan the test writes. Every step run is recorded, so a test can tell which steps ran,
/// for which job, in which order; failures are recorded with the reason the runner gave.
/// On failure the cluster goes to Failed with that reason, like a real handler.
/// </summary>
public sealed class ScriptedJobHandler(JobKind kind) : IJobHandler
{
    private readonly List<(string Name, bool Repeatable, Func<JobContext, CancellationToken, Task> Run)> _steps = [];

    public JobKind Kind => kind;
    /// <summary>Each step as it starts: which job, which step.</summary>
    public ConcurrentQueue<(Guid JobId, string Step)> Started { get; } = new();
    public ConcurrentQueue<(Guid JobId, JobFailure Failure)> Failures { get; } = new();
    public ConcurrentQueue<Guid> Successes { get; } = new();
    /// <summary>What <see cref="OnFailedAsync"/> answers: whether the runner should queue a rollback.</summary>
    public bool RollbackOnFailure { get; set; }
    /// <summary>The phase the cluster gets when a job succeeds, if any.</summary>
    public ClusterPhase? PhaseOnSuccess { get; set; }

    public IReadOnlyList<string> StepsStartedBy(Guid jobId) =>
        [.. Started.Where(s => s.JobId == jobId).Select(s => s.Step)];

    public ScriptedJobHandler Step(string name, bool repeatable = true, Func<JobContext, CancellationToken, Task>? run = null)
    {
        _steps.Add((name, repeatable, run ?? ((_, _) => Task.CompletedTask)));
        return this;
    }

    /// <summary>Adds a step that holds each job until the test releases it.</summary>
    public StepGate Gate(string name, bool repeatable = true)
    {
        var gate = new StepGate();
        Step(name, repeatable, gate.PassAsync);
        return gate;
    }

    public IReadOnlyList<PlanStep> Plan(JobContext context) =>
        [.. _steps.Select(s => new PlanStep(s.Name, s.Repeatable, (ctx, ct) =>
        {
            Started.Enqueue((ctx.Job.Id, s.Name));
            return s.Run(ctx, ct);
        }))];

    public async Task OnSucceededAsync(JobContext context, CancellationToken cancellationToken)
    {
        Successes.Enqueue(context.Job.Id);
        if (PhaseOnSuccess is { } phase)
            await context.SetPhaseAsync(phase, cancellationToken: cancellationToken);
    }

    public async Task<bool> OnFailedAsync(JobContext context, JobFailure failure, CancellationToken cancellationToken)
    {
        Failures.Enqueue((context.Job.Id, failure));
        await context.SetPhaseAsync(ClusterPhase.Failed, failure.Reason, failure.Message, cancellationToken);
        return RollbackOnFailure;
    }
}

/// <summary>
/// Holds every job that reaches a step until the test releases it, and tells the test which jobs are inside
/// and how many were inside at once.
/// </summary>
public sealed class StepGate
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _entered = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _released = new();
    private readonly ConcurrentQueue<Guid> _entryOrder = new();
    private int _inside;
    private int _mostInsideAtOnce;

    /// <summary>Jobs in the order they reached the gate.</summary>
    public IReadOnlyList<Guid> EntryOrder => [.. _entryOrder];
    public int MostInsideAtOnce => Volatile.Read(ref _mostInsideAtOnce);
    public bool HasEntered(Guid jobId) => _entered.TryGetValue(jobId, out var tcs) && tcs.Task.IsCompleted;

    public async Task PassAsync(JobContext context, CancellationToken cancellationToken)
    {
        var jobId = context.Job.Id;
        var inside = Interlocked.Increment(ref _inside);
        int most;
        while (inside > (most = Volatile.Read(ref _mostInsideAtOnce)) && Interlocked.CompareExchange(ref _mostInsideAtOnce, inside, most) != most)
        {
        }
        try
        {
            _entryOrder.Enqueue(jobId);
            Signal(_entered, jobId).TrySetResult();
            await Signal(_released, jobId).Task.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inside);
        }
    }

    public Task WaitEnteredAsync(Guid jobId) =>
        Eventually.CompletesAsync(Signal(_entered, jobId).Task, $"job {jobId} to reach the gate");

    /// <summary>Lets the job pass now, or as soon as it arrives.</summary>
    public void Release(Guid jobId) => Signal(_released, jobId).TrySetResult();

    private static TaskCompletionSource Signal(ConcurrentDictionary<Guid, TaskCompletionSource> signals, Guid jobId) =>
        signals.GetOrAdd(jobId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
