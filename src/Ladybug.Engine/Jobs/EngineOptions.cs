namespace Ladybug.Engine.Jobs;

/// <summary>Section "Ladybug:Engine": how the job engine runs.</summary>
public sealed class EngineOptions
{
    public const string Section = "Ladybug:Engine";

    /// <summary>Jobs of different clusters that may run at once.</summary>
    public int MaxConcurrentJobs { get; set; } = 8;
    /// <summary>Queued job ids held in memory; the database is the real queue.</summary>
    public int QueueCapacity { get; set; } = 1024;
    /// <summary>A job restarted this many times by resumes is failed instead of tried again.</summary>
    public int MaxAttempts { get; set; } = 3;
    /// <summary>How often buffered log lines are written to the database and pushed to subscribers.</summary>
    public int LogFlushIntervalMs { get; set; } = 50;
    /// <summary>Log lines held in memory while the database catches up; when full, appending waits.</summary>
    public int LogBufferCapacity { get; set; } = 100_000;
    /// <summary>Wait before the first retry of a log batch the database refused; doubles per attempt.</summary>
    public int LogRetryDelayMs { get; set; } = 100;
    /// <summary>The longest wait between two attempts to store a log batch.</summary>
    public int LogRetryMaxDelayMs { get; set; } = 5_000;
    /// <summary>Attempts to store what is left when the console stops; after these the lines are lost and logged as such.</summary>
    public int LogAttemptsOnStop { get; set; } = 5;
    /// <summary>This replica's name in job leases; empty means one kept in the data dir (SQLite) or machine name and process id (PostgreSQL).</summary>
    public string? ReplicaId { get; set; }
    /// <summary>How long a replica's claim on a running job lasts without renewal; then another replica may take the job over.</summary>
    public int JobLeaseMs { get; set; } = 30_000;
    /// <summary>How often a replica renews the leases of its running jobs and looks for jobs it may claim.</summary>
    public int JobLeaseRenewMs { get; set; } = 10_000;
}
