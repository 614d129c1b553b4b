using System.Collections.Concurrent;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ladybug.Tests.Support;

/// <summary>
/// A job handler whose plan the test writes. Every step run is recorded, so a test can tell which steps ran,
/// for which job, in which order; failures are recorded with the reason the runner gave.
/// On failure the cluster goes to Failed with that reason, like a real handler.
/// </summary>
public sealed class ScriptedJobHandler(JobKind kind) : IJobHandler
{
    private readonly List<(string Name, bool Repeatable, Func<JobContext, CancellationToken, Task> Run)> _steps = [];

    public JobKind Kind => kind;
    /// <summary>Each step as it starts: which job, which step.</summary>
    public ConcurrentQueue<(Guid JobId, string Step)> Started { get; } = new();
    public ConcurrentQueue<(Guid JobId, JobFailure Failure)> Failures { get; } = new();
    public ConcurrentQueue<Guid> Successes { get; } = new();
    /// <summary>What <see cref="OnFailedAsync"/> answers: whether the runner should queue a rollback.</summary>
    public bool RollbackOnFailure { get; set; }
    /// <summary>The phase the cluster gets when a job succeeds, if any.</summary>
    public ClusterPhase? PhaseOnSuccess { get; set; }

    public IReadOnlyList<string> StepsStartedBy(Guid jobId) =>
        [.. Started.Where(s => s.JobId == jobId).Select(s => s.Step)];

    public ScriptedJobHandler Step(string name, bool repeatable = true, Func<JobContext, CancellationToken, Task>? run = null)
    {
        _steps.Add((name, repeatable, run ?? ((_, _) => Task.CompletedTask)));
        return this;
    }

    public IReadOnlyList<PlanStep> Plan(JobContext context) =>
        [.. _steps.Select(s => new PlanStep(s.Name, s.Repeatable, (ctx, ct) =>
        {
            Started.Enqueue((ctx.Job.Id, s.Name));
            return s.Run(ctx, ct);
        }))];

    public Task OnSucceededAsync(JobContext context, CancellationToken cancellationToken)
    {
        Successes.Enqueue(context.Job.Id);
        if (PhaseOnSuccess is { } phase)
            context.SetPhaseAtEnd(phase);
        return Task.CompletedTask;
    }

    public async Task<bool> OnFailedAsync(JobContext context, JobFailure failure, CancellationToken cancellationToken)
    {
        Failures.Enqueue((context.Job.Id, failure));
        await context.Record.SetPhaseAsync(ClusterPhase.Failed, failure.Reason, failure.Message, cancellationToken);
        return RollbackOnFailure;
    }
}

/// <summary>
/// Stands in for every provisioning handler of a console: each job kind is one <see cref="ScriptedJobHandler"/>
/// step that runs what the test set with <see cref="On"/>. Without a script a job waits until the test
/// releases it, so a cluster stays where the API left it. Success sets the phase a real handler would.
/// </summary>
public sealed class ScriptedJobs
{
    private readonly Dictionary<JobKind, Func<JobContext, CancellationToken, Task>> _scripts = [];
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>What a job of <paramref name="kind"/> does; throwing fails it.</summary>
    public ScriptedJobs On(JobKind kind, Func<JobContext, CancellationToken, Task> script)
    {
        lock (_scripts) _scripts[kind] = script;
        return this;
    }

    /// <summary>Lets every job that is waiting for the test finish successfully.</summary>
    public void ReleaseAll() => _released.TrySetResult();

    public IEnumerable<ScriptedJobHandler> Handlers() =>
        Enum.GetValues<JobKind>().Select(kind => new ScriptedJobHandler(kind) { PhaseOnSuccess = PhaseAfter(kind) }
            .Step($"scripted-{kind}", run: (context, ct) => RunAsync(kind, context, ct)));

    private static ClusterPhase? PhaseAfter(JobKind kind) => kind switch
    {
        JobKind.DeleteCluster => ClusterPhase.Deleted,
        JobKind.Rollback => null,
        _ => ClusterPhase.Provisioned,
    };

    private Task RunAsync(JobKind kind, JobContext context, CancellationToken cancellationToken)
    {
        Func<JobContext, CancellationToken, Task>? script;
        lock (_scripts) _scripts.TryGetValue(kind, out script);
        return script is null ? _released.Task.WaitAsync(cancellationToken) : script(context, cancellationToken);
    }
}

public static class ScriptedJobsExtensions
{
    /// <summary>Replaces the console's provisioning handlers with <paramref name="jobs"/>.</summary>
    public static IServiceCollection AddScriptedJobs(this IServiceCollection services, ScriptedJobs jobs)
    {
        services.RemoveAll<IJobHandler>();
        foreach (var handler in jobs.Handlers())
            services.AddSingleton<IJobHandler>(handler);
        return services;
    }
}
