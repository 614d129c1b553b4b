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

    /// <summary>
    /// Single-Infra reads (GET /ns/{ns}/infra/{id}, every option) per second, shared by every job on one Tumblebug.
    /// Tumblebug v0.13 allows 2 a second per client address, burst 2, and answers 429 beyond; reads go one at a time,
    /// evenly spaced, a little slower, so a late one never lands too close to the next. 0 turns the limiter off.
    /// </summary>
    public double InfraReadsPerSecond { get; set; } = 1.6;
    /// <summary>Every call per second, shared likewise: Tumblebug allows 50 per client address. 0 turns the limiter off.</summary>
    public double RequestsPerSecond { get; set; } = 40;
    /// <summary>Base of the longer, jittered backoff after a 429 (doubling per attempt) when Tumblebug sends no Retry-After.</summary>
    public TimeSpan RateLimitedRetryDelay { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>
    /// How long a machine or Infra delete keeps asking: Tumblebug fails a delete while the VM is still terminating
    /// (node: 400 after ~6 s; Infra: 500 "still Terminating… retry in a few minutes").
    /// </summary>
    public TimeSpan DeleteTimeout { get; set; } = TimeSpan.FromMinutes(20);
    /// <summary>First wait before asking again after a failed delete; it grows by half up to <see cref="MaxPollInterval"/>.</summary>
    public TimeSpan DeleteRetryDelay { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>
    /// Status polls in a row that must find a machine Undefined before it counts as failed: Tumblebug reports a healthy
    /// VM Undefined when one CSP status call fails.
    /// </summary>
    public int UndefinedPollsBeforeFailure { get; set; } = 5;

    public bool UsesSandbox => string.IsNullOrWhiteSpace(Url);
}
