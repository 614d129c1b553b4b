using System.Diagnostics;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Persistence;
using Ladybug.Engine.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace Ladybug.Engine.Jobs;

/// <summary>What a running step can see and do: its job, the database, the log and the live events.</summary>
public sealed class JobContext(
    Job job,
    IDbContextFactory<LadybugDbContext> dbFactory,
    IJobLog log,
    IProvisioningEvents events,
    TimeProvider time,
    IServiceProvider services,
    GroupCommit groupCommit)
{
    private int _planOrder;

    public Job Job { get; } = job;
    public Guid ClusterId => Job.ClusterId;
    public IServiceProvider Services { get; } = services;
    public TimeProvider Time { get; } = time;
    public IJobLog Log { get; } = log;
    public IProvisioningEvents Events { get; } = events;
    /// <summary>Where every write of this job's steps, its cluster's phase and its nodes' status goes.</summary>
    public JobRecorder Record { get; } = new(job, dbFactory, groupCommit, events, time);
    private object? _scope;

    /// <summary>
    /// What earlier steps found, for later steps of the same run: one typed object that the handler's steps share
    /// (the provisioner's is ProvisioningScope). Lost on restart: repeatable steps rebuild it from stored facts.
    /// </summary>
    public TScope Scope<TScope>() where TScope : class, new() => _scope switch
    {
        null => (TScope)(_scope = new TScope()),
        TScope scope => scope,
        _ => throw new InvalidOperationException($"Job {Job.Id}'s steps share a {_scope.GetType().Name}, not a {typeof(TScope).Name}."),
    };

    /// <summary>The plan step currently running (set by the runner).</summary>
    public string? CurrentStep { get; internal set; }

    internal void EnterPlanStep(int order, string name)
    {
        _planOrder = order;
        CurrentStep = name;
    }

    public Task<LadybugDbContext> OpenDbAsync(CancellationToken cancellationToken) => dbFactory.CreateDbContextAsync(cancellationToken);

    /// <summary>A small write that many nodes make at once, committed together with the others' (see <see cref="GroupCommit"/>).</summary>
    public Task SaveTogetherAsync(Action<LadybugDbContext> change) => groupCommit.SaveAsync(change);

    public void Info(string text, string? nodeName = null) =>
        Log.Append(ClusterId, Job.Id, nodeName, CurrentStep, LogStream.System, text);

    public void Output(string? nodeName, LogStream stream, string text, string? step = null) =>
        Log.Append(ClusterId, Job.Id, nodeName, step ?? CurrentStep, stream, text);

    /// <summary>Runs <paramref name="body"/> as a recorded sub-step on one node: start and end are stored and published.</summary>
    public async Task<T> RunOnNodeAsync<T>(string name, string? nodeName, Func<CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        using var activity = StepTelemetry.StartActivity(name, nodeName);
        var step = await StartStepAsync(name, nodeName, cancellationToken);
        try
        {
            var result = await body(cancellationToken);
            await FinishStepAsync(step, StepState.Succeeded, result as int? ?? (result is IHasExitCode e ? e.ExitCode : null), null);
            return result;
        }
        catch (StepFailedException ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Reason);
            await FinishStepAsync(step, StepState.Failed, ex.ExitCode, ex.Message);
            throw;
        }
        catch (OperationCanceledException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, FailureReason.Cancelled);
            await FinishStepAsync(step, StepState.Failed, null, "Cancelled");
            throw;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            await FinishStepAsync(step, StepState.Failed, null, ex.Message);
            throw;
        }
    }

    public Task RunOnNodeAsync(string name, string? nodeName, Func<CancellationToken, Task> body, CancellationToken cancellationToken) =>
        RunOnNodeAsync<int?>(name, nodeName, async ct => { await body(ct); return null; }, cancellationToken);

    internal Task<JobStep> StartStepAsync(string name, string? nodeName, CancellationToken cancellationToken) =>
        Record.StartStepAsync(_planOrder, name, nodeName, cancellationToken);

    internal Task FinishStepAsync(JobStep step, StepState state, int? exitCode, string? message) =>
        Record.FinishStepAsync(step, state, exitCode, message);

    /// <summary>Loads the cluster with pools and nodes, tracked, for a step to change and save.</summary>
    public static Task<Cluster> LoadClusterAsync(LadybugDbContext db, Guid clusterId, CancellationToken cancellationToken) =>
        db.Clusters.Include(c => c.Pools).Include(c => c.Nodes).SingleAsync(c => c.Id == clusterId, cancellationToken);

    /// <summary>
    /// The cluster's phase once this job ends, written in the same commit as the job's end. A phase that puts the cluster
    /// back in service must not show while its job still runs: a script that adds a node as soon as the cluster reads
    /// Provisioned would be told the cluster is busy (cb-mcks's node-add.sh after cluster-get did exactly that).
    /// </summary>
    public void SetPhaseAtEnd(ClusterPhase phase, string? message = null) => PhaseAtEnd = (phase, message);

    internal (ClusterPhase Phase, string? Message)? PhaseAtEnd { get; set; }
}

/// <summary>A sub-step result that carries the exit code of what ran remotely.</summary>
public interface IHasExitCode
{
    int? ExitCode { get; }
}
