using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ladybug.Engine.Jobs;

/// <summary>
/// One run of one job, once <see cref="JobRunner"/> has claimed it: decides with <see cref="ResumeDecision"/> where it
/// starts, runs its plan's steps in order storing each step's start and end, then records the outcome — the job's
/// end and the cluster's phase in one commit — and queues a rollback when the handler asks for one.
/// </summary>
internal sealed class JobExecution(
    IDbContextFactory<LadybugDbContext> dbFactory,
    IServiceScopeFactory scopes,
    IJobLog log,
    IProvisioningEvents events,
    TimeProvider time,
    int maxAttempts,
    GroupCommit groupCommit,
    IJobQueue queue,
    ILogger<JobRunner> logger)
{
    public async Task RunAsync(Guid jobId, CancellationToken cancellationToken, CancellationToken stopping)
    {
        await using var scope = scopes.CreateAsyncScope();
        Job job;
        List<JobStep> previousSteps;
        await using (var db = await dbFactory.CreateDbContextAsync(stopping))
        {
            job = await db.Jobs.SingleAsync(j => j.Id == jobId, stopping);
            if (job.IsFinished) return;
            previousSteps = await db.JobSteps.Where(s => s.JobId == jobId).OrderBy(s => s.Id).ToListAsync(stopping);
        }

        using var telemetry = JobTelemetry.Start(logger, job);
        try
        {
            await RunLoadedAsync(job, previousSteps, scope.ServiceProvider, telemetry, cancellationToken, stopping);
        }
        finally
        {
            telemetry.Finished(job);
        }
    }

    private async Task RunLoadedAsync(Job job, List<JobStep> previousSteps, IServiceProvider services, JobTelemetry telemetry,
        CancellationToken cancellationToken, CancellationToken stopping)
    {
        var context = new JobContext(job, dbFactory, log, events, time, services, groupCommit);
        var handler = services.GetServices<IJobHandler>().FirstOrDefault(h => h.Kind == job.Kind);
        if (handler is null)
        {
            var missing = $"No handler is registered for {job.Kind} jobs.";
            await SetClusterFailedAsync(context, FailureReason.InternalError, missing);
            await FinishAsync(context, JobState.Failed, $"{FailureReason.InternalError}: {missing}");
            return;
        }

        var plan = handler.Plan(context);
        var decision = ResumeDecision.Decide(job, plan, previousSteps, maxAttempts);
        foreach (var step in previousSteps.Where(s => s.State == StepState.Running))
            await context.FinishStepAsync(step, StepState.Failed, null, "Interrupted: the console stopped while this step ran.");
        IReadOnlySet<string> completed;
        bool resuming;
        switch (decision)
        {
            case ResumeDecision.Cancel cancel:
                await FailAsync(context, handler, new JobFailure(cancel.Step, FailureReason.Cancelled, "Cancelled before it started."), JobState.Cancelled);
                return;
            case ResumeDecision.FailInterrupted failed:
                await FailAsync(context, handler, new JobFailure(failed.Step, FailureReason.Interrupted, failed.Why), JobState.Failed);
                return;
            case ResumeDecision.Run run:
                (completed, resuming) = (run.Completed, run.Resuming);
                break;
            default:
                throw new InvalidOperationException("Unknown resume decision.");
        }

        job.State = JobState.Running;
        job.Attempts++;
        job.StartedAt ??= time.GetUtcNow();
        await context.Record.SaveJobAsync();
        if (resuming)
            context.Info($"Resuming {job.Kind} after a restart (attempt {job.Attempts}); {completed.Count} of {plan.Count} steps were already done.");

        for (var i = 0; i < plan.Count; i++)
        {
            var planStep = plan[i];
            if (completed.Contains(planStep.Name)) continue;
            context.EnterPlanStep(i, planStep.Name);
            job.CurrentStep = planStep.Name;
            await context.Record.SaveJobAsync();

            using var stepTelemetry = telemetry.Step(planStep.Name);
            var record = await context.StartStepAsync(planStep.Name, null, stopping);
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                await planStep.Run(context, cancellationToken);
                await context.FinishStepAsync(record, StepState.Succeeded, null, null);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                // The console is stopping, and a step may fail in any way when its work is cut off (an SSH
                // error rather than a cancellation): leave the job and the step Running so the next start
                // resumes or rolls it back, instead of recording a failure the user never caused.
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
                stepTelemetry.Failed(failure.Reason);
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
        // A success's phase set by a step before the failure does not stand; the failure handler says what does.
        context.PhaseAtEnd = null;
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
        if (rollback && await DeletionQueuedAsync(context.Job))
        {
            context.Info("No rollback: the cluster is being deleted, which removes its machines anyway.");
            rollback = false;
        }
        await FinishAsync(context, state, $"{failure.Reason}: {failure.Message}");
        if (rollback)
        {
            var rollbackJob = new Job { ClusterId = context.ClusterId, Kind = JobKind.Rollback, CreatedAt = time.GetUtcNow(), Payload = context.Job.Id.ToString() };
            await context.Record.AddJobAsync(rollbackJob);
            await queue.EnqueueAsync(rollbackJob.Id, CancellationToken.None);
        }
    }

    /// <summary>A delete waits behind this job; it removes every machine, so a rollback would only run after it on nothing.</summary>
    private async Task<bool> DeletionQueuedAsync(Job job)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        return await db.Jobs.AnyAsync(j => j.ClusterId == job.ClusterId && j.Id != job.Id && j.Kind == JobKind.DeleteCluster
            && (j.State == JobState.Queued || j.State == JobState.Running));
    }

    private async Task FinishAsync(JobContext context, JobState state, string? error)
    {
        var job = context.Job;
        job.State = state;
        job.Error = error;
        job.FinishedAt = time.GetUtcNow();
        // The log is stored before the job shows as finished, so whoever sees it finished can read every line.
        await log.FlushAsync(CancellationToken.None);
        await context.Record.SaveJobAsync(context.PhaseAtEnd);
    }

    private static async Task SetClusterFailedAsync(JobContext context, string reason, string message) =>
        await context.Record.SetPhaseAsync(ClusterPhase.Failed, reason, message, CancellationToken.None);
}
