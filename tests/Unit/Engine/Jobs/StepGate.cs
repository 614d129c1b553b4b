using System.Collections.Concurrent;
using Ladybug.Engine.Jobs;
using Ladybug.Tests.Support;

namespace Ladybug.Tests.Unit.Engine.Jobs;

public static class StepGates
{
    /// <summary>Adds a step that holds each job until the test releases it.</summary>
    public static StepGate Gate(this ScriptedJobHandler handler, string name, bool repeatable = true)
    {
        var gate = new StepGate();
        handler.Step(name, repeatable, gate.PassAsync);
        return gate;
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
