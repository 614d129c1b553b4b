namespace Ladybug.Engine;

/// <summary>Section "Ladybug": where the console keeps its state.</summary>
public sealed class LadybugOptions
{
    public const string Section = "Ladybug";

    /// <summary>Holds ladybug.db and the Data Protection keys; created if missing.</summary>
    public string DataDir { get; set; } = "./data";

    public string DatabasePath => Path.Combine(Path.GetFullPath(DataDir), "ladybug.db");
    public string KeysPath => Path.Combine(Path.GetFullPath(DataDir), "keys");
}

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
}
