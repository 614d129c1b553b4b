namespace Ladybug.Engine.Infrastructure.Tumblebug;

/// <summary>Section "Ladybug:Tumblebug": where CB-Tumblebug is and how patient to be with it.</summary>
public sealed class TumblebugOptions
{
    public const string Section = "Ladybug:Tumblebug";

    /// <summary>Base URL including the "/tumblebug" path. Empty: the console starts the embedded sandbox cloud instead.</summary>
    public string? Url { get; set; }
    public string User { get; set; } = "default";
    public string Password { get; set; } = "default";

    /// <summary>One ordinary call (a read, a delete, a search), per attempt.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>How long machines may take to become Running, including Tumblebug's synchronous create call.</summary>
    public TimeSpan CreationTimeout { get; set; } = TimeSpan.FromMinutes(30);
    /// <summary>First wait between status polls; it grows by half up to <see cref="MaxPollInterval"/>.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Retries of idempotent calls (GET, DELETE) on 5xx, 429 and timeouts; creating calls are never retried blindly.</summary>
    public int MaxRetries { get; set; } = 3;
    /// <summary>Base delay of the exponential, jittered retry backoff.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public bool UsesSandbox => string.IsNullOrWhiteSpace(Url);
}
