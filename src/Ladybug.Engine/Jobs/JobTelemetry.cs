using System.Diagnostics;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Telemetry;
using Microsoft.Extensions.Logging;

namespace Ladybug.Engine.Jobs;

/// <summary>
/// One job run's span and logging scope. Everything logged while the job runs, by any logger of the process (the
/// Tumblebug client, SSH, the job handlers), carries its cluster, job and kind, and within a plan step the step's
/// name; the spans of its steps, Tumblebug calls and SSH commands hang under the job's span.
/// </summary>
internal sealed class JobTelemetry : IDisposable
{
    private readonly ILogger _logger;
    private readonly IDisposable? _scope;
    private readonly Activity? _activity;

    private JobTelemetry(ILogger logger, Job job)
    {
        _logger = logger;
        _scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["ClusterId"] = job.ClusterId,
            ["JobId"] = job.Id,
            ["JobKind"] = job.Kind.ToString(),
        });
        // A job is its own trace: it outlives the request that queued it, and resumes after a restart.
        Activity.Current = null;
        _activity = EngineTelemetry.Source.StartActivity($"job {job.Kind}");
        _activity?.SetTag(EngineTelemetry.Tags.ClusterId, job.ClusterId.ToString())
            .SetTag(EngineTelemetry.Tags.JobId, job.Id.ToString())
            .SetTag(EngineTelemetry.Tags.JobKind, job.Kind.ToString());
    }

    public static JobTelemetry Start(ILogger logger, Job job) => new(logger, job);

    /// <summary>The plan step's span and logging scope, ended by disposing it.</summary>
    public StepTelemetry Step(string name) => new(_logger.BeginScope(new Dictionary<string, object?> { ["Step"] = name }), StepTelemetry.StartActivity(name, nodeName: null));

    /// <summary>Counts the job by its result and marks its span; a job left Running (the console stops) is neither.</summary>
    public void Finished(Job job)
    {
        if (!job.IsFinished) return;
        EngineTelemetry.JobFinished(job.Kind.ToString(), job.State.ToString());
        _activity?.SetTag(EngineTelemetry.Tags.Result, job.State.ToString());
        // The reason code, not the message: messages quote machine output.
        if (job.State != JobState.Succeeded) _activity?.SetStatus(ActivityStatusCode.Error, job.Error?.Split(':', 2)[0]);
    }

    public void Dispose()
    {
        _activity?.Dispose();
        _scope?.Dispose();
    }
}

/// <summary>A step's span (and, for plan steps, its logging scope).</summary>
internal sealed class StepTelemetry(IDisposable? scope, Activity? activity) : IDisposable
{
    public static Activity? StartActivity(string name, string? nodeName)
    {
        var activity = EngineTelemetry.Source.StartActivity($"step {name}");
        activity?.SetTag(EngineTelemetry.Tags.Step, name);
        if (nodeName is not null) activity?.SetTag(EngineTelemetry.Tags.Node, nodeName);
        return activity;
    }

    public void Failed(string reason) => activity?.SetStatus(ActivityStatusCode.Error, reason);

    public void Dispose()
    {
        activity?.Dispose();
        scope?.Dispose();
    }
}
