namespace Ladybug.Engine.Domain;

public enum JobKind
{
    Create,
    AddNodes,
    RemoveNode,
    DeleteCluster,
    /// <summary>kubeadm certs renew all on every control plane, one at a time, then a fresh admin kubeconfig.</summary>
    RenewCertificates,
    /// <summary>Deletes the machines of a failed job; queued by the runner, never by a user.</summary>
    Rollback,
}

public enum JobState
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

public enum StepState
{
    Running,
    Succeeded,
    Failed,
    Skipped,
}

public enum LogStream
{
    /// <summary>Lines the engine writes about its own progress.</summary>
    System,
    Stdout,
    Stderr,
}

public sealed class Job
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid ClusterId { get; set; }
    public JobKind Kind { get; set; }
    public JobState State { get; set; } = JobState.Queued;
    /// <summary>Name of the step running now, or the last one that ran.</summary>
    public string? CurrentStep { get; set; }
    /// <summary>How many times the runner has started this job (more than one after a resume).</summary>
    public int Attempts { get; set; }
    public bool CancelRequested { get; set; }
    /// <summary>Kind-specific arguments as JSON: the pool ids to add, the node to remove.</summary>
    public string? Payload { get; set; }
    /// <summary>
    /// The broker's id of the call this job sent to create its machines (Tumblebug's X-Request-Id), stored before the
    /// call goes out: after a restart the resumed job asks the broker what became of that very call.
    /// </summary>
    public string? CreateCallId { get; set; }
    public string? Error { get; set; }
    /// <summary>The replica that holds this job's lease (see <see cref="JobLeases"/>); after the job ends, the one that ran it last.</summary>
    public string? Owner { get; set; }
    /// <summary>When <see cref="Owner"/>'s claim lapses unless renewed; after that any replica may take the job over.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public List<JobStep> Steps { get; set; } = [];

    public bool IsFinished => State is JobState.Succeeded or JobState.Failed or JobState.Cancelled;
}

public sealed class JobStep
{
    public long Id { get; set; }
    public Guid JobId { get; set; }
    /// <summary>Position in the plan, so the timeline reads in order.</summary>
    public int Order { get; set; }
    public string Name { get; set; } = "";
    /// <summary>The node this step ran on, or null for a cluster-wide step.</summary>
    public string? NodeName { get; set; }
    public StepState State { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public int? ExitCode { get; set; }
    public string? Message { get; set; }
}

public sealed class LogLine
{
    public long Id { get; set; }
    public Guid ClusterId { get; set; }
    public Guid? JobId { get; set; }
    /// <summary>Per-cluster, gap-free, starting at 1: lets a late subscriber join stored and live lines exactly.</summary>
    public long Sequence { get; set; }
    public string? NodeName { get; set; }
    public string? Step { get; set; }
    public LogStream Stream { get; set; }
    public DateTimeOffset Time { get; set; }
    public string Text { get; set; } = "";
}

/// <summary>Who downloaded a kubeconfig, and when.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public Guid? ClusterId { get; set; }
    public string User { get; set; } = "";
    public string Action { get; set; } = "";
    public string? Detail { get; set; }
    public DateTimeOffset Time { get; set; }
}
