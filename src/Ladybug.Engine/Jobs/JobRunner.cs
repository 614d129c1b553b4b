using System.Threading.Channels;
using Ladybug.Engine.Clusters;
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
/// fails as Interrupted and is rolled back.
/// </summary>
internal sealed class JobRunner(
    IDbContextFactory<LadybugDbContext> dbFactory,
    IServiceScopeFactory scopes,
    IJobLog log,
    IProvisioningEvents events,
    TimeProvider time,
    IOptions<EngineOptions> options,
    ILogger<JobRunner> logger) : BackgroundService, IJobQueue
{
    private readonly Channel<Guid> _queue = Channel.CreateBounded<Guid>(
        new BoundedChannelOptions(Math.Max(1, options.Value.QueueCapacity)) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.Value.MaxConcurrentJobs));
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Queue<Guid>> _waitingByCluster = [];
    private readonly Dictionary<Guid, CancellationTokenSource> _running = [];
    private readonly List<Task> _tasks = [];
    private CancellationToken _stopping;

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
        await RequeueUnfinishedJobsAsync(stoppingToken);
        try
        {
            await foreach (var jobId in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                Guid clusterId;
                await using (var db = await dbFactory.CreateDbContextAsync(stoppingToken))
                {
                    var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, stoppingToken);
                    if (job is null || job.IsFinished) continue;
                    clusterId = job.ClusterId;
                }
                lock (_gate)
                {
                    if (_waitingByCluster.TryGetValue(clusterId, out var waiting))
                    {
                        if (!waiting.Contains(jobId)) waiting.Enqueue(jobId);
                        continue;
                    }
                    _waitingByCluster[clusterId] = new Queue<Guid>();
                    Start(clusterId, jobId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        Task[] running;
        lock (_gate) running = [.. _tasks];
        await Task.WhenAll(running);
    }

    /// <summary>On start-up the database, not memory, says what still has to run.</summary>
    private async Task RequeueUnfinishedJobsAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var unfinished = await db.Jobs.AsNoTracking()
            .Where(j => j.State == JobState.Queued || j.State == JobState.Running)
            .OrderBy(j => j.CreatedAt).Select(j => new { j.Id, j.State }).ToListAsync(cancellationToken);
        foreach (var job in unfinished)
        {
            if (job.State == JobState.Running)
                logger.LogWarning("Job {JobId} was running when the console stopped; resuming or rolling back", job.Id);
            await _queue.Writer.WriteAsync(job.Id, cancellationToken);
        }
    }

    // Called under _gate.
    private void Start(Guid clusterId, Guid jobId)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        _running[jobId] = cts;
        Task task = null!;
        task = Task.Run(async () =>
        {
            try
            {
                await _slots.WaitAsync(_stopping);
                try
                {
                    await RunAsync(jobId, cts.Token);
                }
                finally
                {
                    _slots.Release();
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
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

    private async Task RunAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        Job job;
        List<JobStep> previousSteps;
        await using (var db = await dbFactory.CreateDbContextAsync(_stopping))
        {
            job = await db.Jobs.SingleAsync(j => j.Id == jobId, _stopping);
            if (job.IsFinished) return;
            previousSteps = await db.JobSteps.Where(s => s.JobId == jobId).OrderBy(s => s.Id).ToListAsync(_stopping);
        }

        var context = new JobContext(job, dbFactory, log, events, time, scope.ServiceProvider);
        var handler = scope.ServiceProvider.GetServices<IJobHandler>().FirstOrDefault(h => h.Kind == job.Kind);
        if (handler is null)
        {
            await FinishAsync(context, JobState.Failed, $"No handler is registered for {job.Kind} jobs.");
            await SetClusterFailedAsync(context, FailureReason.InternalError, $"No handler is registered for {job.Kind} jobs.");
            return;
        }

        var plan = handler.Plan(context);
        var completed = previousSteps.Where(s => s.NodeName is null && s.State is StepState.Succeeded or StepState.Skipped)
            .Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var interrupted = previousSteps.Where(s => s.State == StepState.Running).ToList();
        foreach (var step in interrupted)
            await context.FinishStepAsync(step, StepState.Failed, null, "Interrupted: the console stopped while this step ran.");

        if (job.CancelRequested)
        {
            await FailAsync(context, handler, new JobFailure(job.CurrentStep ?? "queued", FailureReason.Cancelled, "Cancelled before it started."), JobState.Cancelled);
            return;
        }

        var interruptedPlanStep = interrupted.FirstOrDefault(s => s.NodeName is null);
        var unsafeStep = interruptedPlanStep is null ? null : plan.FirstOrDefault(p => p.Name == interruptedPlanStep.Name && !p.Repeatable);
        if (unsafeStep is not null || (job.State == JobState.Running && job.Attempts >= options.Value.MaxAttempts))
        {
            var stepName = unsafeStep?.Name ?? job.CurrentStep ?? "unknown";
            var why = unsafeStep is not null
                ? $"The console stopped during step '{stepName}', which is not safe to repeat."
                : $"The job was interrupted {job.Attempts} times.";
            await FailAsync(context, handler, new JobFailure(stepName, FailureReason.Interrupted, why), JobState.Failed);
            return;
        }

        var resuming = job.State == JobState.Running;
        job.State = JobState.Running;
        job.Attempts++;
        job.StartedAt ??= time.GetUtcNow();
        await SaveJobAsync(job);
        PublishJob(job);
        if (resuming)
            context.Info($"Resuming {job.Kind} after a restart (attempt {job.Attempts}); {completed.Count} of {plan.Count} steps were already done.");

        for (var i = 0; i < plan.Count; i++)
        {
            var planStep = plan[i];
            if (completed.Contains(planStep.Name)) continue;
            context.EnterPlanStep(i, planStep.Name);
            job.CurrentStep = planStep.Name;
            await SaveJobAsync(job);
            PublishJob(job);

            var record = await context.StartStepAsync(planStep.Name, null, _stopping);
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                await planStep.Run(context, cancellationToken);
                await context.FinishStepAsync(record, StepState.Succeeded, null, null);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                // The console is stopping: leave the job Running so the next start resumes it.
                await log.FlushAsync(CancellationToken.None);
                return;
            }
            catch (Exception ex)
            {
                var cancelled = cancellationToken.IsCancellationRequested;
                var failure = ex switch
                {
                    _ when cancelled => new JobFailure(planStep.Name, FailureReason.Cancelled, $"Cancelled during step '{planStep.Name}'.", ex),
                    StepFailedException sf => new JobFailure(planStep.Name, sf.Reason, sf.Message, ex),
                    _ => new JobFailure(planStep.Name, FailureReason.InternalError, $"Step '{planStep.Name}' failed: {ex.Message}", ex),
                };
                if (failure.Reason == FailureReason.InternalError)
                    logger.LogError(ex, "Job {JobId} step {Step} failed unexpectedly", job.Id, planStep.Name);
                await context.FinishStepAsync(record, StepState.Failed, (ex as StepFailedException)?.ExitCode, failure.Message);
                await FailAsync(context, handler, failure, cancelled ? JobState.Cancelled : JobState.Failed);
                return;
            }
        }

        await handler.OnSucceededAsync(context, CancellationToken.None);
        await FinishAsync(context, JobState.Succeeded, null);
    }

    private async Task FailAsync(JobContext context, IJobHandler handler, JobFailure failure, JobState state)
    {
        context.Info($"{context.Job.Kind} failed at '{failure.Step}' ({failure.Reason}): {failure.Message}");
        bool rollback;
        try
        {
            rollback = await handler.OnFailedAsync(context, failure, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Failure handling of job {JobId} failed", context.Job.Id);
            await SetClusterFailedAsync(context, failure.Reason, failure.Message);
            rollback = false;
        }
        await FinishAsync(context, state, $"{failure.Reason}: {failure.Message}");
        if (rollback)
        {
            var rollbackJob = new Job { ClusterId = context.ClusterId, Kind = JobKind.Rollback, CreatedAt = time.GetUtcNow(), Payload = context.Job.Id.ToString() };
            await using (var db = await dbFactory.CreateDbContextAsync(CancellationToken.None))
            {
                db.Jobs.Add(rollbackJob);
                await db.SaveChangesAsync(CancellationToken.None);
            }
            PublishJob(rollbackJob);
            await EnqueueAsync(rollbackJob.Id, CancellationToken.None);
        }
    }

    private async Task FinishAsync(JobContext context, JobState state, string? error)
    {
        var job = context.Job;
        job.State = state;
        job.Error = error;
        job.FinishedAt = time.GetUtcNow();
        await SaveJobAsync(job);
        await log.FlushAsync(CancellationToken.None);
        PublishJob(job);
    }

    private static async Task SetClusterFailedAsync(JobContext context, string reason, string message) =>
        await context.SetPhaseAsync(ClusterPhase.Failed, reason, message, CancellationToken.None);

    private async Task SaveJobAsync(Job job)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        db.Jobs.Attach(job);
        db.Entry(job).State = EntityState.Modified;
        // CancelRequested is written only by CancelAsync; never overwrite it with a stale copy.
        db.Entry(job).Property(j => j.CancelRequested).IsModified = false;
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private void PublishJob(Job job) =>
        events.Publish(new JobChanged(job.ClusterId, job.Id, job.Kind, job.State, job.CurrentStep, job.Error));
}
