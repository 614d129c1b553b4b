using Microsoft.EntityFrameworkCore;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Jobs;
using Ladybug.Tests.Unit.Engine.Clusters;
using Microsoft.Extensions.DependencyInjection;
using Ladybug.Tests.Support;

namespace Ladybug.Tests.Unit.Engine.Jobs;

/// <summary>What happens to a job when the console stops or dies while it runs, and starts again on the same data dir.</summary>
public sealed class JobRunnerRestartTests
{
    private static readonly string[] Plan = ["resolve", "create machines", "init", "join"];

    /// <summary>A Create handler with <see cref="Plan"/>; <paramref name="held"/> is a gate, <paramref name="unsafeStep"/> is not repeatable.</summary>
    private static (ScriptedJobHandler Handler, StepGate? Gate) CreateHandler(string? held = null, string? unsafeStep = null)
    {
        var handler = new ScriptedJobHandler(JobKind.Create) { PhaseOnSuccess = ClusterPhase.Provisioned, RollbackOnFailure = true };
        StepGate? gate = null;
        foreach (var step in Plan)
        {
            if (step == held) gate = handler.Gate(step, repeatable: step != unsafeStep);
            else handler.Step(step, repeatable: step != unsafeStep);
        }
        return (handler, gate);
    }

    private static Action<IServiceCollection> With(params IJobHandler[] handlers) => services =>
    {
        foreach (var handler in handlers)
            services.AddSingleton(handler);
    };

    private static ScriptedJobHandler RollbackHandler() => new ScriptedJobHandler(JobKind.Rollback).Step("delete machines");

    /// <summary>Runs a create job until it is inside <paramref name="step"/>, then stops the console.</summary>
    private static async Task<(EngineHost Stopped, Guid ClusterId, Guid JobId)> StopInsideStepAsync(string step, string? unsafeStep = null)
    {
        var (handler, gate) = CreateHandler(held: step, unsafeStep: unsafeStep);
        var engine = await EngineHost.StartAsync(With(handler));
        var cluster = await engine.Clusters.CreateAsync(ClusterSpecs.Valid());
        var job = Assert.Single(await engine.JobsOfAsync(cluster.Id));
        await gate!.WaitEnteredAsync(job.Id);

        await engine.StopAsync();

        var stopped = await engine.GetJobAsync(job.Id);
        Assert.Equal((JobState.Running, step, 1), (stopped.State, stopped.CurrentStep, stopped.Attempts));
        Assert.Equal(StepState.Running, (await engine.StepsOfAsync(job.Id)).Single(s => s.Name == step).State);
        return (engine, cluster.Id, job.Id);
    }

    [Fact]
    public async Task JobStoppedInARepeatableStepResumesThereWithoutRepeatingCompletedSteps()
    {
        var (stopped, clusterId, jobId) = await StopInsideStepAsync("init");
        await using var first = stopped;
        var (handler, _) = CreateHandler();

        await using var second = await first.RestartAsync(With(handler));

        var job = await second.WaitForJobToFinishAsync(jobId);
        Assert.Equal((JobState.Succeeded, 2), (job.State, job.Attempts));
        Assert.Equal(["init", "join"], handler.StepsStartedBy(jobId));
        var steps = await second.StepsOfAsync(jobId);
        Assert.Equal(
            [("resolve", StepState.Succeeded), ("create machines", StepState.Succeeded), ("init", StepState.Failed), ("init", StepState.Succeeded), ("join", StepState.Succeeded)],
            steps.Select(s => (s.Name, s.State)));
        Assert.StartsWith("Interrupted", steps[2].Message);
        Assert.Equal(ClusterPhase.Provisioned, (await second.GetClusterAsync(clusterId)).Phase);
        var log = await second.JobLog.ReadAsync(clusterId, 0, 100);
        Assert.Contains(log, l => l.Text.StartsWith("Resuming Create after a restart (attempt 2); 2 of 4 steps were already done."));
    }

    [Fact]
    public async Task JobStoppedInAStepThatIsNotRepeatableFailsAsInterruptedAndIsRolledBack()
    {
        var (stopped, clusterId, jobId) = await StopInsideStepAsync("init", unsafeStep: "init");
        await using var first = stopped;
        var (handler, _) = CreateHandler(unsafeStep: "init");
        var rollback = RollbackHandler();

        await using var second = await first.RestartAsync(With(handler, rollback));

        var job = await second.WaitForJobToFinishAsync(jobId);
        Assert.Equal(JobState.Failed, job.State);
        Assert.Empty(handler.StepsStartedBy(jobId));
        var (_, failure) = Assert.Single(handler.Failures);
        Assert.Equal((FailureReason.Interrupted, "init"), (failure.Reason, failure.Step));
        Assert.Equal("The console stopped during step 'init', which is not safe to repeat.", failure.Message);
        var cluster = await second.GetClusterAsync(clusterId);
        Assert.Equal((ClusterPhase.Failed, FailureReason.Interrupted), (cluster.Phase, cluster.Reason));
        var jobs = await Eventually.ReturnsAsync(() => second.JobsOfAsync(clusterId), j => j.Count == 2 && j[1].IsFinished, "the rollback job to finish");
        Assert.Equal((JobKind.Rollback, JobState.Succeeded, jobId.ToString()), (jobs[1].Kind, jobs[1].State, jobs[1].Payload));
        Assert.Equal(["delete machines"], rollback.StepsStartedBy(jobs[1].Id));
    }

    [Fact]
    public async Task StepThatFailsBecauseTheConsoleIsStoppingIsResumedNotFailed()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new ScriptedJobHandler(JobKind.Create).Step("resolve").Step("join", run: async (_, ct) =>
        {
            entered.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                // What a remote command reports when its connection is torn down: not a cancellation.
                throw new IOException("Connection reset by peer");
            }
        });
        await using var first = await EngineHost.StartAsync(With(handler));
        var cluster = await first.Clusters.CreateAsync(ClusterSpecs.Valid());
        var job = Assert.Single(await first.JobsOfAsync(cluster.Id));
        await Eventually.CompletesAsync(entered.Task, "the join step to start");

        await first.StopAsync();

        Assert.Equal(JobState.Running, (await first.GetJobAsync(job.Id)).State);
        Assert.Empty(handler.Failures);
        var (resumed, _) = CreateHandler();
        await using var second = await first.RestartAsync(With(resumed));
        Assert.Equal(JobState.Succeeded, (await second.WaitForJobToFinishAsync(job.Id)).State);
        Assert.Equal(["create machines", "init", "join"], resumed.StepsStartedBy(job.Id));
    }

    [Fact]
    public async Task MoreUnfinishedJobsThanTheQueueHoldsAllRunAfterAStart()
    {
        await using var first = await EngineHost.StartAsync();
        var jobs = new List<Job>();
        for (var i = 0; i < 6; i++)
        {
            var cluster = await first.AddClusterAsync(ClusterSpecs.Valid($"c{i}"));
            jobs.Add(new Job { ClusterId = cluster.Id, Kind = JobKind.AddNodes, CreatedAt = DateTimeOffset.UtcNow });
        }
        // Stopped before the jobs are written: a runner still starting would find them unfinished and run them itself.
        await first.StopAsync();
        await using (var db = await first.OpenDbAsync())
        {
            db.Jobs.AddRange(jobs);
            await db.SaveChangesAsync();
        }
        var handler = new ScriptedJobHandler(JobKind.AddNodes).Step("add");
        var settings = new Dictionary<string, string?> { [$"{EngineOptions.Section}:{nameof(EngineOptions.QueueCapacity)}"] = "2" };

        await using var second = await first.RestartAsync(With(handler), settings);

        foreach (var job in jobs)
            await second.WaitForJobAsync(job.Id, JobState.Succeeded);
    }

    /// <summary>Writes the database as a process killed at that moment leaves it, then starts a console on it.</summary>
    private static async Task<(EngineHost First, Guid ClusterId, Job Job)> CrashedAsync(JobState state, int attempts, params (string Name, StepState State)[] steps)
    {
        var first = await EngineHost.StartAsync();
        var cluster = await first.AddClusterAsync(ClusterSpecs.Valid(), ClusterPhase.Provisioning);
        // Stopped before the job is written: a runner still starting would find it unfinished and run it itself.
        await first.StopAsync();
        var now = DateTimeOffset.UtcNow;
        var job = new Job
        {
            ClusterId = cluster.Id, Kind = JobKind.Create, State = state, Attempts = attempts, CreatedAt = now,
            StartedAt = state == JobState.Running ? now : null, CurrentStep = steps.LastOrDefault().Name,
        };
        await using (var db = await first.OpenDbAsync())
        {
            db.Jobs.Add(job);
            foreach (var (name, stepState) in steps)
                db.JobSteps.Add(new JobStep
                {
                    JobId = job.Id, Order = Array.IndexOf(Plan, name), Name = name, State = stepState, StartedAt = now,
                    FinishedAt = stepState == StepState.Running ? null : now,
                });
            await db.SaveChangesAsync();
        }
        return (first, cluster.Id, job);
    }

    [Fact]
    public async Task JobLeftBetweenStepsByACrashContinuesWithTheNextStep()
    {
        var (crashed, clusterId, job) = await CrashedAsync(JobState.Running, 1, ("resolve", StepState.Succeeded), ("create machines", StepState.Succeeded));
        await using var first = crashed;
        var (handler, _) = CreateHandler();

        await using var second = await first.RestartAsync(With(handler));

        Assert.Equal(JobState.Succeeded, (await second.WaitForJobToFinishAsync(job.Id)).State);
        Assert.Equal(["init", "join"], handler.StepsStartedBy(job.Id));
        Assert.Equal(ClusterPhase.Provisioned, (await second.GetClusterAsync(clusterId)).Phase);
    }

    [Fact]
    public async Task ConsoleThatCrashedHoldingALiveLeaseReclaimsItsJobAtOnceAfterItsRestart()
    {
        var (crashed, clusterId, job) = await CrashedAsync(JobState.Running, 1, ("resolve", StepState.Succeeded), ("create machines", StepState.Succeeded));
        await using var first = crashed;
        // What a SIGKILL leaves: the lease still held by the dead console, far from lapsing. The console's name is the one
        // kept in its data dir, which a new process reads again (the process id of the dead one is gone with it).
        var owner = (await File.ReadAllTextAsync(Path.Combine(first.DataDir, ReplicaIdentity.FileName))).Trim();
        await using (var db = await first.OpenDbAsync())
            await db.Jobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Owner, owner).SetProperty(j => j.LeaseExpiresAt, DateTimeOffset.UtcNow.AddHours(1)));
        var (handler, _) = CreateHandler();

        await using var second = await first.RestartAsync(With(handler));

        Assert.Equal(owner, second.Get<JobLeases>().ReplicaId);
        Assert.Equal(JobState.Succeeded, (await second.WaitForJobToFinishAsync(job.Id)).State);
        Assert.Equal(["init", "join"], handler.StepsStartedBy(job.Id));
        Assert.Equal(ClusterPhase.Provisioned, (await second.GetClusterAsync(clusterId)).Phase);
    }

    [Fact]
    public async Task ConsolesOnTwoDataDirsAreTwoReplicasEvenInOneProcess()
    {
        await using var one = await EngineHost.StartAsync();
        await using var other = await EngineHost.StartAsync();

        Assert.NotEqual(one.Get<JobLeases>().ReplicaId, other.Get<JobLeases>().ReplicaId);
    }

    [Fact]
    public async Task QueuedJobStoredBeforeACrashRunsAfterTheNextStart()
    {
        var (crashed, _, job) = await CrashedAsync(JobState.Queued, 0);
        await using var first = crashed;
        var (handler, _) = CreateHandler();

        await using var second = await first.RestartAsync(With(handler));

        var finished = await second.WaitForJobToFinishAsync(job.Id);
        Assert.Equal((JobState.Succeeded, 1), (finished.State, finished.Attempts));
        Assert.Equal(Plan, handler.StepsStartedBy(job.Id));
    }

    [Fact]
    public async Task JobsOfOneClusterLeftByACrashRunInTheirOriginalOrder()
    {
        await using var first = await EngineHost.StartAsync();
        var cluster = await first.AddClusterAsync(ClusterSpecs.Valid());
        var created = DateTimeOffset.UtcNow;
        var jobs = Enumerable.Range(0, 3).Select(i => new Job { ClusterId = cluster.Id, Kind = JobKind.AddNodes, CreatedAt = created.AddSeconds(i) }).ToList();
        await using (var db = await first.OpenDbAsync())
        {
            // Stored out of order on purpose: creation time, not row order, is the queue order.
            db.Jobs.AddRange(jobs[2], jobs[0], jobs[1]);
            await db.SaveChangesAsync();
        }
        var handler = new ScriptedJobHandler(JobKind.AddNodes).Step("add");

        await using var second = await first.RestartAsync(With(handler));

        foreach (var job in jobs)
            await second.WaitForJobAsync(job.Id, JobState.Succeeded);
        Assert.Equal(jobs.Select(j => j.Id), handler.Started.Select(s => s.JobId));
    }

    [Theory]
    [InlineData(2, 2, false)]
    [InlineData(3, 2, true)]
    [InlineData(3, 3, false)]
    public async Task ResumesStopOnceTheJobHasBeenStartedMaxAttemptsTimes(int maxAttempts, int attempts, bool resumes)
    {
        var (crashed, clusterId, job) = await CrashedAsync(JobState.Running, attempts, ("resolve", StepState.Succeeded), ("create machines", StepState.Running));
        await using var first = crashed;
        var (handler, _) = CreateHandler();
        var settings = new Dictionary<string, string?> { [$"{EngineOptions.Section}:{nameof(EngineOptions.MaxAttempts)}"] = maxAttempts.ToString() };

        await using var second = await first.RestartAsync(With(handler, RollbackHandler()), settings);

        var finished = await second.WaitForJobToFinishAsync(job.Id);
        if (resumes)
        {
            Assert.Equal((JobState.Succeeded, attempts + 1), (finished.State, finished.Attempts));
            Assert.Equal(["create machines", "init", "join"], handler.StepsStartedBy(job.Id));
            return;
        }
        Assert.Equal((JobState.Failed, attempts), (finished.State, finished.Attempts));
        Assert.Empty(handler.StepsStartedBy(job.Id));
        var (_, failure) = Assert.Single(handler.Failures);
        Assert.Equal((FailureReason.Interrupted, $"The job was interrupted {attempts} times."), (failure.Reason, failure.Message));
        Assert.Equal(FailureReason.Interrupted, (await second.GetClusterAsync(clusterId)).Reason);
    }

    [Fact]
    public async Task CancelRequestedBeforeACrashIsHonouredAfterTheNextStart()
    {
        var (crashed, _, job) = await CrashedAsync(JobState.Running, 1, ("resolve", StepState.Succeeded), ("create machines", StepState.Running));
        await using var first = crashed;
        await using (var db = await first.OpenDbAsync())
        {
            db.Jobs.Attach(job);
            job.CancelRequested = true;
            await db.SaveChangesAsync();
        }
        var (handler, _) = CreateHandler();

        await using var second = await first.RestartAsync(With(handler, RollbackHandler()));

        Assert.Equal(JobState.Cancelled, (await second.WaitForJobToFinishAsync(job.Id)).State);
        Assert.Empty(handler.StepsStartedBy(job.Id));
        Assert.Equal(FailureReason.Cancelled, Assert.Single(handler.Failures).Failure.Reason);
    }
}
