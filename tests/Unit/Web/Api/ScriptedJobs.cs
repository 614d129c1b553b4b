using Ladybug.Engine.Clusters;
using Ladybug.Engine.Jobs;

namespace Ladybug.Tests.Unit.Web.Api;

/// <summary>
/// Stands in for the provisioning handlers (they arrive with the bootstrap work): the real JobRunner runs
/// jobs through <see cref="ScriptedJobHandler"/>, which does what the test set for that job kind.
/// By default a job waits until the test releases it, so a cluster stays where the API left it.
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

    public Task RunAsync(JobKind kind, JobContext context, CancellationToken cancellationToken)
    {
        Func<JobContext, CancellationToken, Task>? script;
        lock (_scripts) _scripts.TryGetValue(kind, out script);
        return script is null ? _released.Task.WaitAsync(cancellationToken) : script(context, cancellationToken);
    }
}

/// <summary>One plan step that runs the test's script; success and failure set phases the way real handlers do.</summary>
public sealed class ScriptedJobHandler(JobKind kind, ScriptedJobs jobs) : IJobHandler
{
    public JobKind Kind => kind;

    public IReadOnlyList<PlanStep> Plan(JobContext context) =>
        [new PlanStep($"scripted-{kind}", Repeatable: true, (ctx, ct) => jobs.RunAsync(kind, ctx, ct))];

    public async Task OnSucceededAsync(JobContext context, CancellationToken cancellationToken)
    {
        var phase = kind switch
        {
            JobKind.DeleteCluster => ClusterPhase.Deleted,
            JobKind.Rollback => ClusterPhase.Failed,
            _ => ClusterPhase.Provisioned,
        };
        if (kind != JobKind.Rollback)
            await context.SetPhaseAsync(phase, cancellationToken: cancellationToken);
    }

    public async Task<bool> OnFailedAsync(JobContext context, JobFailure failure, CancellationToken cancellationToken)
    {
        await context.SetPhaseAsync(ClusterPhase.Failed, failure.Reason, failure.Message, cancellationToken);
        return false;
    }
}
