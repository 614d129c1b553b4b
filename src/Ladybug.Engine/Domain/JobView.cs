namespace Ladybug.Engine.Domain;

/// <summary>A job as the console, the API and the CLI read it: a snapshot, without its lease or broker call id.</summary>
public sealed record JobView
{
    public Guid Id { get; init; }
    public Guid ClusterId { get; init; }
    public JobKind Kind { get; init; }
    public JobState State { get; init; }
    public string? CurrentStep { get; init; }
    public int Attempts { get; init; }
    public bool CancelRequested { get; init; }
    /// <summary>Kind-specific arguments as JSON (the pool ids to add, the node to remove): a plan may depend on them.</summary>
    public string? Payload { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    public bool IsFinished => State is JobState.Succeeded or JobState.Failed or JobState.Cancelled;

    public static JobView Of(Job job) => new()
    {
        Id = job.Id, ClusterId = job.ClusterId, Kind = job.Kind, State = job.State, CurrentStep = job.CurrentStep,
        Attempts = job.Attempts, CancelRequested = job.CancelRequested, Payload = job.Payload, Error = job.Error,
        CreatedAt = job.CreatedAt, StartedAt = job.StartedAt, FinishedAt = job.FinishedAt,
    };
}

/// <summary>A job's step (a plan step, or its part on one node) as read.</summary>
public sealed record JobStepView
{
    public long Id { get; init; }
    public Guid JobId { get; init; }
    public int Order { get; init; }
    public string Name { get; init; } = "";
    public string? NodeName { get; init; }
    public StepState State { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public int? ExitCode { get; init; }
    public string? Message { get; init; }

    public static JobStepView Of(JobStep step) => new()
    {
        Id = step.Id, JobId = step.JobId, Order = step.Order, Name = step.Name, NodeName = step.NodeName, State = step.State,
        StartedAt = step.StartedAt, FinishedAt = step.FinishedAt, ExitCode = step.ExitCode, Message = step.Message,
    };
}
