using System.Threading.Channels;
using Ladybug.Engine.Events;
using Ladybug.Engine.Persistence;
using Ladybug.Engine.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ladybug.Engine.Jobs;

/// <summary>The job log: every line a step or a VM prints goes through here.</summary>
public interface IJobLog
{
    /// <summary>Never blocks and never drops: lines are queued, redacted, numbered, stored in batches, then published.</summary>
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

    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
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
        _queue.Writer.TryWrite(new Pending(clusterId, jobId, nodeName, step, stream, clean, time.GetUtcNow()));
    }

    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(marker))
            return Task.CompletedTask;
        return marker.Task.WaitAsync(cancellationToken);
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
                await WriteAsync(batch);
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
    /// Append is refused and a later FlushAsync returns instead of waiting forever.
    /// </summary>
    private async Task DrainAsync(List<Pending> batch, List<TaskCompletionSource> markers)
    {
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var item))
        {
            if (item is Pending p) batch.Add(p);
            else markers.Add((TaskCompletionSource)item);
        }
        await WriteAsync(batch);
        foreach (var marker in markers) marker.TrySetResult();
    }

    /// <summary>Not cancellable: a batch cut off half-way would have taken sequence numbers it never stored.</summary>
    private async Task WriteAsync(List<Pending> batch)
    {
        if (batch.Count == 0) return;
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var rows = new List<LogLine>(batch.Count);
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
            foreach (var group in rows.GroupBy(r => r.ClusterId))
                events.Publish(new LogLinesAppended(group.Key, group.Select(LogLineView.From).ToList()));
        }
        catch (Exception ex)
        {
            // Forget cached sequences: the next batch re-reads them from what was really stored.
            _lastSequence.Clear();
            logger.LogError(ex, "Could not store {Count} log line(s)", batch.Count);
        }
    }
}
