namespace Ladybug.Engine.Infrastructure.Tumblebug;

/// <summary>
/// The creating calls (infraDynamic, nodeGroupDynamic) this process has in flight, per Infra. Tumblebug refuses to
/// delete a node while its Infra is under Create (cb-tumblebug src/core/infra/control.go:293-300 @v0.13.0), so node
/// deletes wait until the Infra's creating calls are over rather than collect refusals.
/// </summary>
internal sealed class CreatingCalls
{
    private readonly Dictionary<(string Ns, string Group), (int Count, TaskCompletionSource Idle)> _inFlight = [];
    private readonly Lock _lock = new();

    /// <summary>Marks a creating call on the Infra as in flight until the returned handle is disposed.</summary>
    public IDisposable Enter(string ns, string groupId)
    {
        lock (_lock)
        {
            var (count, idle) = _inFlight.GetValueOrDefault((ns, groupId), (0, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)));
            _inFlight[(ns, groupId)] = (count + 1, idle);
        }
        return new Exit(this, ns, groupId);
    }

    /// <summary>Completes once no creating call on the Infra is in flight.</summary>
    public Task WhenIdleAsync(string ns, string groupId, CancellationToken cancellationToken)
    {
        lock (_lock)
            return _inFlight.TryGetValue((ns, groupId), out var entry) ? entry.Idle.Task.WaitAsync(cancellationToken) : Task.CompletedTask;
    }

    private void Leave(string ns, string groupId)
    {
        lock (_lock)
        {
            var (count, idle) = _inFlight[(ns, groupId)];
            if (count > 1)
            {
                _inFlight[(ns, groupId)] = (count - 1, idle);
                return;
            }
            _inFlight.Remove((ns, groupId));
            idle.TrySetResult();
        }
    }

    private sealed class Exit(CreatingCalls calls, string ns, string groupId) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) calls.Leave(ns, groupId);
        }
    }
}
