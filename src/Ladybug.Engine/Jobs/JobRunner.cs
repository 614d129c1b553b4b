using System.Threading.Channels;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ladybug.Engine.Jobs;

public interface IJobQueue
{
    /// <summary>Hands a stored, Queued job to the runner. The job row is the truth; this is only a wake-up.</summary>
    ValueTask EnqueueAsync(Guid jobId, CancellationToken cancellationToken = default);

    /// <summary>Asks a queued or running job to stop. Its handler then records the outcome and rolls back.</summary>
    Task CancelAsync(Guid jobId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Runs jobs from a bounded channel. Several clusters run at once; one cluster's jobs run one at a
/// time in the order they were queued. Each plan step's start and end is stored before the next runs,
/// so after a restart a job resumes at the step that was running (when that step is repeatable) or
/// fails as Interrupted and is rolled back. With several replicas on one database, a job runs on the replica that
/// holds its lease (<see cref="JobLeases"/>); a job whose replica died is taken over, by the same rules, once its
/// lease lapses.
/// </summary>
internal sealed class JobRunner(
    IDbContextFactory<LadybugDbContext> dbFactory,
    IServiceScopeFactory scopes,
    IJobLog log,
    IProvisioningEvents events,
    TimeProvider time,
    IOptions<EngineOptions> options,
    GroupCommit groupCommit,
    JobLeases leases,
    ILogger<JobRunner> logger) : BackgroundService, IJobQueue
{
    private readonly Channel<Guid> _queue = Channel.CreateBounded<Guid>(
        new BoundedChannelOptions(Math.Max(1, options.Value.QueueCapacity)) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.Value.MaxConcurrentJobs));
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Queue<Guid>> _waitingByCluster = [];
    private readonly Dictionary<Guid, CancellationTokenSource> _running = [];
    private readonly List<Task> _tasks = [];
    private readonly TimeSpan _renewInterval = TimeSpan.FromMilliseconds(Math.Max(1, options.Value.JobLeaseRenewMs));
    private CancellationToken _stopping;
    private JobExecution? _execution;

    // Built on first use: it queues rollbacks through this runner.
    private JobExecution Execution => _execution ??= new(dbFactory, scopes, log, events, time, options.Value.MaxAttempts, groupCommit, this, logger);

    /// <summary>Its loop runs: started, and neither stopped nor crashed.</summary>
    internal bool IsAlive => ExecuteTask is { IsCompleted: false };

    public ValueTask EnqueueAsync(Guid jobId, CancellationToken cancellationToken = default) =>
        _queue.Writer.WriteAsync(jobId, cancellationToken);

    public async Task CancelAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s.SetProperty(j => j.CancelRequested, true), cancellationToken);
        }
        CancellationTokenSource? cts;
        lock (_gate) _running.TryGetValue(jobId, out cts);
        if (cts is not null) await cts.CancelAsync();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        var scanning = Task.CompletedTask;
        try
        {
            // Dispatched directly, not through the bounded channel: more jobs may be unfinished than it holds,
            // and nothing reads it until this loop is done.
            foreach (var jobId in await UnfinishedJobsAsync(stoppingToken))
                await DispatchAsync(jobId, stoppingToken);
            scanning = ScanForClaimableJobsAsync(stoppingToken);
            await foreach (var jobId in _queue.Reader.ReadAllAsync(stoppingToken))
                await DispatchAsync(jobId, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await scanning;
        Task[] running;
        lock (_gate) running = [.. _tasks];
        await Task.WhenAll(running);
    }

    /// <summary>
    /// On start-up the database, not memory, says what still has to run, oldest first: every unfinished job that no
    /// other live replica holds.
    /// </summary>
    private async Task<IReadOnlyList<Guid>> UnfinishedJobsAsync(CancellationToken cancellationToken)
    {
        var unfinished = await leases.ClaimableAsync(cancellationToken);
        foreach (var job in unfinished.Where(j => j.State == JobState.Running))
            logger.LogWarning("Job {JobId} was running when the console stopped; resuming or rolling back", job.Id);
        return [.. unfinished.Select(j => j.Id)];
    }

    /// <summary>
    /// Picks up what no wake-up announces here: jobs queued on a replica that died before claiming them, jobs
    /// whose replica's lease lapsed, and jobs that waited for their cluster's older job on another replica.
    /// </summary>
    private async Task ScanForClaimableJobsAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_renewInterval, time, stoppingToken);
                try
                {
                    foreach (var (jobId, _) in await leases.ClaimableAsync(stoppingToken))
                        await DispatchAsync(jobId, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Could not look for jobs to claim; trying again in {Interval}", _renewInterval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Starts the job now, or queues it behind the job its cluster is running.</summary>
    private async Task DispatchAsync(Guid jobId, CancellationToken stoppingToken)
    {
        Guid clusterId;
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
            var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, stoppingToken);
            if (job is null || job.IsFinished) return;
            clusterId = job.ClusterId;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The job stays Queued in the database; the next start picks it up. Never stop dispatching others.
            logger.LogError(ex, "Could not dispatch job {JobId}", jobId);
            return;
        }
        lock (_gate)
        {
            // The same job can be woken twice (enqueued while the start-up scan also found it).
            if (_running.ContainsKey(jobId)) return;
            if (_waitingByCluster.TryGetValue(clusterId, out var waiting))
            {
                if (!waiting.Contains(jobId)) waiting.Enqueue(jobId);
                return;
            }
            _waitingByCluster[clusterId] = new Queue<Guid>();
            Start(clusterId, jobId);
        }
    }

    // Called under _gate.
    private void Start(Guid clusterId, Guid jobId)
    {
        // stop: the console stops or the lease is lost, and the job is left for whoever runs it next.
        // cts: a user's cancel as well, which the job records and rolls back.
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        var cts = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        _running[jobId] = cts;
        Task task = null!;
        task = Task.Run(async () =>
        {
            try
            {
                await _slots.WaitAsync(_stopping);
                try
                {
                    await ClaimAndRunAsync(jobId, cts, stop);
                }
                finally
                {
                    _slots.Release();
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Job {JobId} crashed the runner", jobId);
            }
            finally
            {
                lock (_gate)
                {
                    _running.Remove(jobId);
                    _tasks.Remove(task);
                    cts.Dispose();
                    stop.Dispose();
                    var waiting = _waitingByCluster[clusterId];
                    if (!_stopping.IsCancellationRequested && waiting.TryDequeue(out var next))
                        Start(clusterId, next);
                    else
                        _waitingByCluster.Remove(clusterId);
                }
            }
        });
        _tasks.Add(task);
    }

    private async Task ClaimAndRunAsync(Guid jobId, CancellationTokenSource cancel, CancellationTokenSource stop)
    {
        // Not claimed: another replica holds it, or its cluster's older job is unfinished; a later scan retries.
        if (!await leases.TryClaimAsync(jobId, _stopping)) return;
        using var finished = new CancellationTokenSource();
        var keeping = KeepLeaseAsync(jobId, cancel, stop, finished.Token);
        try
        {
            await Execution.RunAsync(jobId, cancel.Token, stop.Token);
        }
        finally
        {
            await finished.CancelAsync();
            await keeping;
            if (_stopping.IsCancellationRequested)
                await ReleaseAsync(jobId);
        }
    }

    /// <summary>
    /// Renews the job's lease while it runs, and passes on a cancel asked on another replica. A lease that could not
    /// be renewed before it lapsed, or that another replica took over, stops the job here without recording
    /// anything: from then on its state belongs to the replica that claims it.
    /// </summary>
    private async Task KeepLeaseAsync(Guid jobId, CancellationTokenSource cancel, CancellationTokenSource stop, CancellationToken finished)
    {
        var heldUntil = time.GetUtcNow() + leases.Lease;
        try
        {
            while (true)
            {
                await Task.Delay(_renewInterval, time, finished);
                var renewedAt = time.GetUtcNow();
                try
                {
                    if (!await leases.RenewAsync(jobId, finished))
                    {
                        logger.LogError("Job {JobId} was taken over by another replica; this replica stops running it", jobId);
                        await stop.CancelAsync();
                        return;
                    }
                    heldUntil = renewedAt + leases.Lease;
                    if (!cancel.IsCancellationRequested && await leases.CancelRequestedAsync(jobId, finished))
                        await cancel.CancelAsync();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    if (time.GetUtcNow() >= heldUntil)
                    {
                        logger.LogError(ex, "The lease of job {JobId} lapsed: the database refused its renewal; this replica stops running it", jobId);
                        await stop.CancelAsync();
                        return;
                    }
                    logger.LogWarning(ex, "Could not renew the lease of job {JobId}; retrying", jobId);
                }
            }
        }
        catch (OperationCanceledException) when (finished.IsCancellationRequested)
        {
        }
    }

    private async Task ReleaseAsync(Guid jobId)
    {
        try
        {
            await leases.ReleaseAsync(jobId, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Its lease lapses anyway; the job only waits that long for another replica.
            logger.LogWarning(ex, "Could not release the lease of job {JobId} while stopping", jobId);
        }
    }
}
