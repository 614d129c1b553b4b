using System.Collections.Concurrent;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Jobs;
using Ladybug.Tests.Unit.Engine.Clusters;
using Microsoft.Extensions.DependencyInjection;
using Ladybug.Tests.Support;

namespace Ladybug.Tests.Unit.Engine.Jobs;

public sealed class JobRunnerTests : IAsyncLifetime
{
    private readonly ScriptedJobHandler _create = new(JobKind.Create) { PhaseOnSuccess = ClusterPhase.Provisioned };
    private readonly ScriptedJobHandler _addNodes = new(JobKind.AddNodes);
    private readonly ScriptedJobHandler _rollback = new(JobKind.Rollback);
    private readonly StepGate _provisioning;
    private readonly StepGate _adding;
    private EngineHost _engine = null!;

    public JobRunnerTests()
    {
        _create.Step("resolve");
        _provisioning = _create.Gate("provision");
        _create.Step("finish");
        _adding = _addNodes.Gate("add");
        _rollback.Step("delete machines");
    }

    public async Task InitializeAsync() => _engine = await EngineHost.StartAsync(services =>
    {
        foreach (var handler in new[] { _create, _addNodes, _rollback })
            services.AddSingleton<IJobHandler>(handler);
    });

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        Assert.DoesNotContain(_engine.Logs.Errors, e => e.Message.Contains("crashed the runner"));
    }

    private async Task<(ClusterView Cluster, Job Job)> CreateAsync(string name)
    {
        var cluster = await _engine.Clusters.CreateAsync(ClusterSpecs.Valid(name));
        return (cluster, Assert.Single(await _engine.JobsOfAsync(cluster.Id)));
    }

    [Fact]
    public async Task JobsOfTwoClustersRunConcurrently()
    {
        var (_, first) = await CreateAsync("first");
        var (_, second) = await CreateAsync("second");

        // Both are inside the same step at once: neither waits for the other.
        await _provisioning.WaitEnteredAsync(first.Id);
        await _provisioning.WaitEnteredAsync(second.Id);
        Assert.Equal(2, _provisioning.MostInsideAtOnce);

        _provisioning.Release(first.Id);
        _provisioning.Release(second.Id);
        Assert.Equal(JobState.Succeeded, (await _engine.WaitForJobToFinishAsync(first.Id)).State);
        Assert.Equal(JobState.Succeeded, (await _engine.WaitForJobToFinishAsync(second.Id)).State);
    }

    [Fact]
    public async Task ThePhaseASuccessGivesIsStoredInTheCommitThatEndsTheJob()
    {
        // Whoever reads Provisioned finds no job running: cb-mcks's node-add.sh, run as soon as cluster-get says
        // Provisioned, was answered 409 "busy with another job" while the create job was still being closed.
        var jobStatesSeenWithThePhase = new ConcurrentQueue<JobState>();
        Job? job = null;
        using var subscription = _engine.Events.Subscribe(null, async e =>
        {
            if (e is PhaseChanged { Phase: ClusterPhase.Provisioned } && job is not null)
                jobStatesSeenWithThePhase.Enqueue((await _engine.GetJobAsync(job.Id)).State);
        });
        (_, job) = await CreateAsync("closing");
        _provisioning.Release(job.Id);
        await _engine.WaitForJobToFinishAsync(job.Id);

        await Eventually.TrueAsync(() => !jobStatesSeenWithThePhase.IsEmpty, "the Provisioned phase to be published");
        Assert.Equal([JobState.Succeeded], jobStatesSeenWithThePhase);
    }

    [Fact]
    public async Task APhaseAStepSetForTheEndDoesNotStandWhenALaterStepFails()
    {
        var handler = new ScriptedJobHandler(JobKind.RemoveNode)
            .Step("back-in-service", run: (context, _) => { context.SetPhaseAtEnd(ClusterPhase.Provisioned); return Task.CompletedTask; })
            .Step("then-fails", run: (_, _) => throw new StepFailedException("NodeDrainFailed", "drain timed out"));
        await using var engine = await EngineHost.StartAsync(services => services.AddSingleton<IJobHandler>(handler));
        var cluster = await engine.AddClusterAsync(ClusterSpecs.Valid("failing"));
        var job = await engine.QueueJobAsync(cluster.Id, JobKind.RemoveNode);

        Assert.Equal(JobState.Failed, (await engine.WaitForJobToFinishAsync(job.Id)).State);
        var stored = await engine.GetClusterAsync(cluster.Id);
        Assert.Equal((ClusterPhase.Failed, "NodeDrainFailed"), (stored.Phase, stored.Reason));
    }

    [Fact]
    public async Task JobsOfOneClusterRunOneAtATimeInTheOrderTheyWereQueued()
    {
        var cluster = await _engine.AddClusterAsync(ClusterSpecs.Valid("busy"));
        var jobs = new List<Job>();
        for (var i = 0; i < 3; i++)
            jobs.Add(await _engine.QueueJobAsync(cluster.Id, JobKind.AddNodes));
        await _adding.WaitEnteredAsync(jobs[0].Id);

        // A job of another cluster queued after them starts: the runner has seen the later jobs of "busy" and held them back.
        var other = await _engine.AddClusterAsync(ClusterSpecs.Valid("other"));
        var marker = await _engine.QueueJobAsync(other.Id, JobKind.AddNodes);
        await _adding.WaitEnteredAsync(marker.Id);
        Assert.False(_adding.HasEntered(jobs[1].Id));
        Assert.False(_adding.HasEntered(jobs[2].Id));
        Assert.Equal(JobState.Queued, (await _engine.GetJobAsync(jobs[1].Id)).State);

        _adding.Release(jobs[0].Id);
        await _adding.WaitEnteredAsync(jobs[1].Id);
        Assert.False(_adding.HasEntered(jobs[2].Id));
        _adding.Release(jobs[1].Id);
        _adding.Release(jobs[2].Id);
        _adding.Release(marker.Id);

        var finished = new List<Job>();
        foreach (var job in jobs)
            finished.Add(await _engine.WaitForJobAsync(job.Id, JobState.Succeeded));
        Assert.Equal(jobs.Select(j => j.Id), _adding.EntryOrder.Where(id => id != marker.Id));
        for (var i = 1; i < finished.Count; i++)
            Assert.True(finished[i].StartedAt >= finished[i - 1].FinishedAt, $"job {i} started before job {i - 1} finished");
    }

    [Fact]
    public async Task CancellingARunningJobEndsItAsCancelledAndTellsTheHandler()
    {
        var (cluster, job) = await CreateAsync("demo");
        await _provisioning.WaitEnteredAsync(job.Id);

        await _engine.JobQueue.CancelAsync(job.Id);

        var cancelled = await _engine.WaitForJobToFinishAsync(job.Id);
        Assert.Equal(JobState.Cancelled, cancelled.State);
        Assert.Equal("Cancelled: Cancelled during step 'provision'.", cancelled.Error);
        var (failedJob, failure) = Assert.Single(_create.Failures);
        Assert.Equal(job.Id, failedJob);
        Assert.Equal(FailureReason.Cancelled, failure.Reason);
        Assert.Equal("provision", failure.Step);
        Assert.Equal(["resolve", "provision"], _create.StepsStartedBy(job.Id));
        var steps = await _engine.StepsOfAsync(job.Id);
        Assert.Equal([("resolve", StepState.Succeeded), ("provision", StepState.Failed)], steps.Select(s => (s.Name, s.State)));
        var stored = await _engine.GetClusterAsync(cluster.Id);
        Assert.Equal((ClusterPhase.Failed, FailureReason.Cancelled), (stored.Phase, stored.Reason));
    }

    [Fact]
    public async Task CancellingAQueuedJobEndsItBeforeAnyStepRuns()
    {
        var cluster = await _engine.AddClusterAsync(ClusterSpecs.Valid());
        var running = await _engine.QueueJobAsync(cluster.Id, JobKind.AddNodes);
        var queued = await _engine.QueueJobAsync(cluster.Id, JobKind.AddNodes);
        await _adding.WaitEnteredAsync(running.Id);

        await _engine.JobQueue.CancelAsync(queued.Id);
        _adding.Release(running.Id);

        Assert.Equal(JobState.Succeeded, (await _engine.WaitForJobToFinishAsync(running.Id)).State);
        var cancelled = await _engine.WaitForJobToFinishAsync(queued.Id);
        Assert.Equal(JobState.Cancelled, cancelled.State);
        Assert.Empty(_addNodes.StepsStartedBy(queued.Id));
        Assert.Equal(FailureReason.Cancelled, Assert.Single(_addNodes.Failures).Failure.Reason);
    }

    [Fact]
    public async Task FailedStepFailsTheJobWithItsReasonSkipsTheRestAndQueuesTheRollbackAskedFor()
    {
        var handler = new ScriptedJobHandler(JobKind.Create) { RollbackOnFailure = true }
            .Step("resolve")
            .Step("init", repeatable: false, run: (_, _) => throw new StepFailedException(FailureReason.InitControlPlaneFailed, "kubeadm init exited with 1.", exitCode: 1))
            .Step("join");
        await using var engine = await EngineHost.StartAsync(s => s.AddSingleton<IJobHandler>(handler).AddSingleton<IJobHandler>(_rollback));
        var cluster = await engine.Clusters.CreateAsync(ClusterSpecs.Valid());
        var job = Assert.Single(await engine.JobsOfAsync(cluster.Id));

        var failed = await engine.WaitForJobToFinishAsync(job.Id);

        Assert.Equal(JobState.Failed, failed.State);
        Assert.Equal("InitControlPlaneFailedReason: kubeadm init exited with 1.", failed.Error);
        Assert.Equal(["resolve", "init"], handler.StepsStartedBy(job.Id));
        var init = (await engine.StepsOfAsync(job.Id)).Single(s => s.Name == "init");
        Assert.Equal((StepState.Failed, 1, "kubeadm init exited with 1."), (init.State, init.ExitCode, init.Message));
        var stored = await engine.GetClusterAsync(cluster.Id);
        Assert.Equal((ClusterPhase.Failed, FailureReason.InitControlPlaneFailed, "kubeadm init exited with 1."), (stored.Phase, stored.Reason, stored.Message));
        var rollback = await Eventually.ReturnsAsync(() => engine.JobsOfAsync(cluster.Id), j => j.Count == 2 && j[1].IsFinished, "the rollback job to finish");
        Assert.Equal((JobKind.Rollback, JobState.Succeeded, job.Id.ToString()), (rollback[1].Kind, rollback[1].State, rollback[1].Payload));
    }

    [Fact]
    public async Task UnexpectedExceptionFailsTheJobAsAnInternalError()
    {
        var handler = new ScriptedJobHandler(JobKind.Create).Step("explode", run: (_, _) => throw new InvalidOperationException("boom"));
        await using var engine = await EngineHost.StartAsync(s => s.AddSingleton<IJobHandler>(handler));
        var cluster = await engine.Clusters.CreateAsync(ClusterSpecs.Valid());

        var failed = await engine.WaitForClusterAsync(cluster.Id, ClusterPhase.Failed);

        Assert.Equal((FailureReason.InternalError, "Step 'explode' failed: boom"), (failed.Reason, failed.Message));
        Assert.Single(await engine.JobsOfAsync(cluster.Id));
    }

    [Fact]
    public async Task JobOfAKindWithoutHandlerFailsTheClusterWithAClearMessage()
    {
        await using var engine = await EngineHost.StartAsync();
        var cluster = await engine.Clusters.CreateAsync(ClusterSpecs.Valid());
        var job = Assert.Single(await engine.JobsOfAsync(cluster.Id));

        var finished = await engine.WaitForJobToFinishAsync(job.Id);

        Assert.Equal((JobState.Failed, "InternalErrorReason: No handler is registered for Create jobs."), (finished.State, finished.Error));
        var failed = await engine.GetClusterAsync(cluster.Id);
        Assert.Equal((ClusterPhase.Failed, FailureReason.InternalError, "No handler is registered for Create jobs."), (failed.Phase, failed.Reason, failed.Message));
    }

    [Fact]
    public async Task EveryStepStartAndEndIsStoredAndPublishedIncludingNodeSubSteps()
    {
        var handler = new ScriptedJobHandler(JobKind.Create)
            .Step("prepare", run: async (ctx, ct) =>
            {
                ctx.Info("preparing nodes");
                await ctx.RunOnNodeAsync("install", "w1-1", _ => Task.FromResult<int?>(0), ct);
            })
            .Step("init");
        var events = new ConcurrentQueue<ProvisioningEvent>();
        await using var engine = await EngineHost.StartAsync(s => s.AddSingleton<IJobHandler>(handler));
        using var subscription = engine.Events.Subscribe(null, e => { events.Enqueue(e); return ValueTask.CompletedTask; });
        var cluster = await engine.Clusters.CreateAsync(ClusterSpecs.Valid());
        var job = Assert.Single(await engine.JobsOfAsync(cluster.Id));

        await engine.WaitForJobAsync(job.Id, JobState.Succeeded);

        var steps = await engine.StepsOfAsync(job.Id);
        Assert.Equal([("prepare", null), ("install", "w1-1"), ("init", null)], steps.Select(s => (s.Name, s.NodeName)));
        Assert.All(steps, s => Assert.Equal(StepState.Succeeded, s.State));
        Assert.All(steps, s => Assert.True(s.FinishedAt >= s.StartedAt));
        Assert.Equal(0, steps[1].ExitCode);
        Assert.Equal([0, 0, 1], steps.Select(s => s.Order));
        var stepEvents = await Eventually.ReturnsAsync(() => Task.FromResult(events.OfType<StepChanged>().ToList()), e => e.Count == 6, "six step events");
        Assert.Equal(
            [("prepare", StepState.Running), ("install", StepState.Running), ("install", StepState.Succeeded), ("prepare", StepState.Succeeded), ("init", StepState.Running), ("init", StepState.Succeeded)],
            stepEvents.Select(e => (e.Name, e.State)));
        // Each event names its stored record, which is how a page that loaded the steps matches the events to them.
        Assert.Equal([steps[0].Id, steps[1].Id, steps[1].Id, steps[0].Id, steps[2].Id, steps[2].Id], stepEvents.Select(e => e.StepId));
        var line = Assert.Single(await engine.JobLog.ReadAsync(cluster.Id, 0, 100), l => l.Text == "preparing nodes");
        Assert.Equal("prepare", line.Step);
        Assert.Contains(events.OfType<JobChanged>(), e => e.JobId == job.Id && e.State == JobState.Succeeded);
    }

    [Fact]
    public async Task EveryPlannedStepIsKnownBeforeItRunsAndInTheOrderTheRunnerRunsThem()
    {
        var (_, job) = await CreateAsync("planned");
        await _provisioning.WaitEnteredAsync(job.Id);

        // While the second step runs, "finish" has no record yet, but the plan already names it.
        var planned = _engine.Get<JobPlans>().StepNames(JobView.Of(job));
        Assert.Equal(["resolve", "provision", "finish"], planned);
        Assert.DoesNotContain(await _engine.StepsOfAsync(job.Id), s => s.Name == "finish");

        _provisioning.Release(job.Id);
        await _engine.WaitForJobToFinishAsync(job.Id);
        var recorded = (await _engine.StepsOfAsync(job.Id)).Where(s => s.NodeName is null).OrderBy(s => s.Order).Select(s => s.Name);
        Assert.Equal(planned, recorded);
    }

    [Fact]
    public async Task AKindWithoutAHandlerHasNoPlannedSteps() =>
        Assert.Empty(_engine.Get<JobPlans>().StepNames(new JobView { Kind = JobKind.RenewCertificates }));
}
