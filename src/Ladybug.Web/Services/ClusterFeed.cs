using Ladybug.Engine.Events;
using Ladybug.Engine.Jobs;

namespace Ladybug.Web.Services;

/// <summary>
/// Follows one cluster: first the stored log lines after a sequence number, then live events, with
/// no gap and no duplicate. The live subscription starts before the store is read, so nothing
/// published meanwhile is missed; lines already delivered are skipped by sequence; a live batch that
/// starts past the next expected sequence (its subscriber buffer dropped events) is completed from
/// the store first. Used by the SignalR hub and by the cluster page alike.
/// </summary>
public sealed class ClusterFeed : IDisposable
{
    /// <summary>Stored lines are read and delivered in batches of this size.</summary>
    public const int BatchSize = 1_000;

    private readonly Guid _clusterId;
    private readonly IJobLog _log;
    private readonly Func<IReadOnlyList<LogLineView>, Task> _onLines;
    private readonly Func<ProvisioningEvent, Task> _onEvent;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IDisposable? _subscription;
    private volatile bool _disposed;

    private ClusterFeed(Guid clusterId, long afterSequence, IJobLog log,
        Func<IReadOnlyList<LogLineView>, Task> onLines, Func<ProvisioningEvent, Task> onEvent)
    {
        _clusterId = clusterId;
        LastSequence = afterSequence;
        _log = log;
        _onLines = onLines;
        _onEvent = onEvent;
    }

    /// <summary>The sequence of the last line delivered.</summary>
    public long LastSequence { get; private set; }

    /// <summary>
    /// Subscribes, runs <paramref name="beforeStoredLines"/> (e.g. send the current phase), delivers
    /// the stored lines, then keeps delivering live ones until disposed.
    /// </summary>
    public static async Task<ClusterFeed> StartAsync(Guid clusterId, long afterSequence, IJobLog log, IProvisioningEvents events,
        Func<IReadOnlyList<LogLineView>, Task> onLines, Func<ProvisioningEvent, Task> onEvent,
        Func<Task>? beforeStoredLines = null, CancellationToken cancellationToken = default)
    {
        var feed = new ClusterFeed(clusterId, Math.Max(0, afterSequence), log, onLines, onEvent);
        await feed._gate.WaitAsync(cancellationToken);
        try
        {
            feed._subscription = events.Subscribe(clusterId, feed.HandleAsync);
            if (beforeStoredLines is not null) await beforeStoredLines();
            await feed.DeliverStoredAsync(long.MaxValue, cancellationToken);
        }
        catch
        {
            feed.Dispose();
            throw;
        }
        finally
        {
            feed._gate.Release();
        }
        return feed;
    }

    private async ValueTask HandleAsync(ProvisioningEvent e)
    {
        if (_disposed) return;
        await _gate.WaitAsync();
        try
        {
            if (_disposed) return;
            if (e is not LogLinesAppended appended)
            {
                await _onEvent(e);
                return;
            }
            var fresh = appended.Lines.Where(l => l.Sequence > LastSequence).ToList();
            if (fresh.Count == 0) return;
            if (fresh[0].Sequence > LastSequence + 1)
                await DeliverStoredAsync(fresh[0].Sequence - 1, CancellationToken.None);
            fresh = fresh.Where(l => l.Sequence > LastSequence).ToList();
            if (fresh.Count == 0) return;
            await _onLines(fresh);
            LastSequence = fresh[^1].Sequence;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Delivers stored lines after <see cref="LastSequence"/> up to <paramref name="untilSequence"/>.</summary>
    private async Task DeliverStoredAsync(long untilSequence, CancellationToken cancellationToken)
    {
        while (LastSequence < untilSequence && !_disposed)
        {
            var batch = await _log.ReadAsync(_clusterId, LastSequence, BatchSize, cancellationToken);
            var wanted = batch.Where(l => l.Sequence <= untilSequence).ToList();
            if (wanted.Count > 0)
            {
                await _onLines(wanted);
                LastSequence = wanted[^1].Sequence;
            }
            if (batch.Count < BatchSize || wanted.Count < batch.Count) break;
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _subscription?.Dispose();
    }
}
