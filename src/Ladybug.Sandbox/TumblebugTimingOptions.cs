namespace Ladybug.Sandbox;

/// <summary>
/// Section "Ladybug:Sandbox:Timing": how long Tumblebug and its clouds take, and how often Tumblebug lets a client ask.
/// The defaults are Tumblebug v0.13.0's own numbers; tests shorten the waits so the suite stays fast while the
/// behaviour (a first delete that fails, a retry that succeeds) still happens.
/// </summary>
public sealed class TumblebugTimingOptions
{
    /// <summary>
    /// GET /ns/{ns}/infra/{id} (every option) per client address and second; 0 turns the limit off
    /// (cb-tumblebug src/interface/rest/server/server.go:466-467 @v0.13.0: RateLimiter(NewRateLimiterMemoryStore(2))).
    /// </summary>
    public double InfraReadsPerSecond { get; set; } = 2;
    /// <summary>Every Tumblebug call per client address and second; 0 turns the limit off (server.go:139 @v0.13.0).</summary>
    public double RequestsPerSecond { get; set; } = 50;

    /// <summary>How long a cloud takes to terminate a VM (Terminating → Terminated), unless its connection is listed in <see cref="NodeTerminationTimes"/>.</summary>
    public TimeSpan NodeTerminationTime { get; set; } = TimeSpan.FromSeconds(20);
    /// <summary>Termination time per connection name (e.g. "azure-koreacentral": "00:01:30").</summary>
    public Dictionary<string, TimeSpan> NodeTerminationTimes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How often DELETE …/node/{id} looks whether the VM is Terminated before it gives up with 400 (cb-tumblebug src/core/infra/manageInfo.go:3442 @v0.13.0).</summary>
    public int NodeDeleteChecks { get; set; } = 3;
    /// <summary>The pause between those looks (manageInfo.go:3443 @v0.13.0).</summary>
    public TimeSpan NodeDeleteCheckInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long DELETE …/infra/{id}?option=terminate waits for Terminating to clear before answering 500 (manageInfo.go:3150-3156 @v0.13.0: max(10 min, nodes/10 min), at most 60 min).</summary>
    public TimeSpan InfraTerminateWait { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>How often that wait looks (manageInfo.go:3149 @v0.13.0).</summary>
    public TimeSpan InfraTerminatePollInterval { get; set; } = TimeSpan.FromSeconds(5);

    internal TimeSpan TerminationTimeOf(string connection) =>
        NodeTerminationTimes.TryGetValue(connection, out var time) ? time : NodeTerminationTime;
}
