using System.Threading.Channels;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Persistence;
using Ladybug.Engine.Secrets;
using Ladybug.Engine.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ladybug.Engine.Jobs;

/// <summary>The job log: every line a step or a VM prints goes through here.</summary>
public interface IJobLog
{
    /// <summary>
    /// Never drops: lines are queued, redacted, numbered, stored in batches, then published. Returns at once
    /// unless the buffer is full (the database has been refusing writes for a while); then it waits for room.
    /// </summary>
    void Append(Guid clusterId, Guid? jobId, string? nodeName, string? step, LogStream stream, string text);

    /// <summary>Completes when every line appended before the call is stored and published.</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>Stored lines after <paramref name="afterSequence"/>, oldest first.</summary>
    Task<IReadOnlyList<LogLineView>> ReadAsync(Guid clusterId, long afterSequence, int limit, CancellationToken cancellationToken = default);
}

internal sealed class BatchedJobLog(
    IDbContextFactory<LadybugDbContext> dbFactory,
    IProvisioningEvents events,
    TimeProvider time,
    IOptions<EngineOptions> options,
    ILogger<BatchedJobLog> logger) : BackgroundService, IJobLog
{
    private const int MaxBatch = 2_000;

    private readonly Channel<object> _queue = Channel.CreateBounded<object>(
        new BoundedChannelOptions(Math.Max(1, options.Value.LogBufferCapacity)) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Dictionary<Guid, long> _lastSequence = [];
    private readonly Dictionary<(Guid, string?, string?, LogStream), LogRedactor> _redactors = [];

    private sealed record Pending(Guid ClusterId, Guid? JobId, string? NodeName, string? Step, LogStream Stream, string Text, DateTimeOffset Time);

    public void Append(Guid clusterId, Guid? jobId, string? nodeName, string? step, LogStream stream, string text)
    {
        var key = (clusterId, nodeName, step, stream);
        string clean;
        lock (_redactors)
        {
            if (!_redactors.TryGetValue(key, out var redactor))
                redactor = new LogRedactor();
            clean = redactor.Redact(text);
            // Only a stream inside a private-key block needs memory; forgetting the rest keeps this map from
            // growing with every node and step the console ever ran.
            if (redactor.InsidePrivateKey) _redactors[key] = redactor;
            else _redactors.Remove(key);
        }
        var line = new Pending(clusterId, jobId, nodeName, step, stream, clean, time.GetUtcNow());
        // A full buffer means the database is behind: wait for room rather than drop a line. After the drain on
        // stop the writer is complete and the line is refused, as nothing would store it any more.
        while (!_queue.Writer.TryWrite(line))
        {
            if (!_queue.Writer.WaitToWriteAsync().AsTask().GetAwaiter().GetResult())
                return;
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _queue.Writer.WriteAsync(marker, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            return;
        }
        await marker.Task.WaitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<LogLineView>> ReadAsync(Guid clusterId, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var lines = await db.LogLines.AsNoTracking()
            .Where(l => l.ClusterId == clusterId && l.Sequence > afterSequence)
            .OrderBy(l => l.Sequence)
            .Take(limit)
            .ToListAsync(cancellationToken);
        return lines.Select(LogLineView.From).ToList();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(Math.Max(1, options.Value.LogFlushIntervalMs));
        var batch = new List<Pending>();
        var markers = new List<TaskCompletionSource>();
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                // Gather what arrives within one interval so a chatty step becomes few INSERT batches.
                var deadline = time.GetUtcNow() + interval;
                while (batch.Count < MaxBatch)
                {
                    while (batch.Count < MaxBatch && reader.TryRead(out var item))
                    {
                        if (item is Pending p) batch.Add(p);
                        else markers.Add((TaskCompletionSource)item);
                    }
                    if (markers.Count > 0 || batch.Count >= MaxBatch) break;
                    var left = deadline - time.GetUtcNow();
                    if (left <= TimeSpan.Zero) break;
                    var waitForMore = reader.WaitToReadAsync(stoppingToken).AsTask();
                    if (await Task.WhenAny(waitForMore, Task.Delay(left, time, stoppingToken)) != waitForMore) break;
                }
                await StoreUntilDoneAsync(batch, stoppingToken);
                batch.Clear();
                foreach (var marker in markers) marker.TrySetResult();
                markers.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await DrainAsync(batch, markers);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // A BackgroundService stopped before its ExecuteAsync got going never runs it (its Task.Run is cancelled),
        // so the drain cannot rely on the loop's finally alone. After a completed loop this finds nothing left.
        if (ExecuteTask is null || ExecuteTask.IsCompleted)
            await DrainAsync([], []);
    }

    /// <summary>
    /// The stored log must be complete even when the console stops. Completing the writer first means a later
    /// Append is refused and a later FlushAsync returns instead of waiting forever. A batch whose retries were
    /// cut short by the stop is still in <paramref name="batch"/>, ahead of what the queue holds.
    /// </summary>
    private async Task DrainAsync(List<Pending> batch, List<TaskCompletionSource> markers)
    {
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var item))
        {
            if (item is Pending p) batch.Add(p);
            else markers.Add((TaskCompletionSource)item);
        }
        var attempts = Math.Max(1, options.Value.LogAttemptsOnStop);
        for (var attempt = 1; batch.Count > 0; attempt++)
        {
            var error = await TryStoreAsync(batch);
            if (error is null) break;
            if (attempt >= attempts)
            {
                logger.LogCritical(error, "Lost {Count} log line(s): the database refused them {Attempts} times while the console stopped", batch.Count, attempt);
                break;
            }
            var delay = RetryDelay(attempt);
            logger.LogWarning(error, "Could not store {Count} log line(s) while stopping (attempt {Attempt}); retrying in {Delay} ms", batch.Count, attempt, delay.TotalMilliseconds);
            await Task.Delay(delay, time);
        }
        batch.Clear();
        foreach (var marker in markers) marker.TrySetResult();
    }

    /// <summary>
    /// Retries a refused batch (a busy or briefly unavailable database) with a doubling delay until it is stored.
    /// Meanwhile new lines wait in the buffer behind it, so nothing is reordered, and a line is numbered only in
    /// the attempt that stores it, so nothing is duplicated. Throws only when the console stops during a wait;
    /// the batch is then left to the drain.
    /// </summary>
    private async Task StoreUntilDoneAsync(List<Pending> batch, CancellationToken stoppingToken)
    {
        for (var attempt = 1; batch.Count > 0; attempt++)
        {
            var error = await TryStoreAsync(batch);
            if (error is null) return;
            var delay = RetryDelay(attempt);
            logger.LogWarning(error, "Could not store {Count} log line(s) (attempt {Attempt}); retrying in {Delay} ms", batch.Count, attempt, delay.TotalMilliseconds);
            await Task.Delay(delay, time, stoppingToken);
        }
    }

    private TimeSpan RetryDelay(int attempt)
    {
        var first = Math.Max(1, options.Value.LogRetryDelayMs);
        var most = Math.Max(first, options.Value.LogRetryMaxDelayMs);
        return TimeSpan.FromMilliseconds(Math.Min(most, first * Math.Pow(2, Math.Min(attempt - 1, 30))));
    }

    /// <summary>
    /// Stores the batch in one transaction and publishes it; returns the error instead when the database refused it.
    /// Not cancellable: a batch cut off half-way would have taken sequence numbers it never stored.
    /// </summary>
    private async Task<Exception?> TryStoreAsync(List<Pending> batch)
    {
        if (batch.Count == 0) return null;
        List<LogLine> rows;
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            rows = new List<LogLine>(batch.Count);
            foreach (var p in batch)
            {
                if (!_lastSequence.TryGetValue(p.ClusterId, out var last))
                    last = await db.LogLines.Where(l => l.ClusterId == p.ClusterId).MaxAsync(l => (long?)l.Sequence) ?? 0;
                _lastSequence[p.ClusterId] = ++last;
                rows.Add(new LogLine
                {
                    ClusterId = p.ClusterId, JobId = p.JobId, Sequence = last, NodeName = p.NodeName,
                    Step = p.Step, Stream = p.Stream, Time = p.Time, Text = p.Text,
                });
            }
            db.LogLines.AddRange(rows);
            await db.SaveChangesAsync();
        }
        catch (Exception ex)
        {
            // Forget cached sequences: the next attempt re-reads them from what was really stored.
            _lastSequence.Clear();
            return ex;
        }
        EngineTelemetry.LogLinesStored(rows.Count);
        // Outside the try: once stored, a line is never stored again, whatever a subscriber does.
        foreach (var group in rows.GroupBy(r => r.ClusterId))
            events.Publish(new LogLinesAppended(group.Key, group.Select(LogLineView.From).ToList()));
        return null;
    }
}
