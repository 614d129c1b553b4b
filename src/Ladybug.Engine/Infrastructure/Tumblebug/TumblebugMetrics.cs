using System.Diagnostics.Metrics;

namespace Ladybug.Engine.Infrastructure.Tumblebug;

/// <summary>
/// The calls sent to Tumblebug by status, and how long calls waited in Ladybug's own limits before going: when many
/// clusters are made at once the wait is the part of their time spent queuing in this process rather than in Tumblebug
/// or on the machines.
/// </summary>
public static class TumblebugMetrics
{
    public const string MeterName = "Ladybug.Tumblebug";
    public const string RateLimitWaitName = "ladybug.tumblebug.rate_limit.wait";
    /// <summary>Tag: <see cref="InfraReads"/> or <see cref="Calls"/>.</summary>
    public const string LimitTag = "ladybug.tumblebug.limit";
    /// <summary>Tag on single-Infra reads: the Infra read.</summary>
    public const string InfraTag = "ladybug.tumblebug.infra";
    public const string InfraReads = "infra-reads";
    public const string Calls = "calls";

    public const string CallsName = "ladybug.tumblebug.calls";
    /// <summary>Tag on calls: the HTTP status code, or what happened instead (no-answer, timeout, cancelled).</summary>
    public const string StatusTag = "ladybug.tumblebug.status";
    public const string MethodTag = "http.request.method";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> CallCount = Meter.CreateCounter<long>(CallsName, "{call}",
        "Calls sent to Tumblebug (each retry is one), by method and status");
    private static readonly Histogram<double> RateLimitWait = Meter.CreateHistogram<double>(RateLimitWaitName, "s",
        "Time a Tumblebug call waited in Ladybug's rate limits before it was sent");

    internal static void RecordWait(string limit, string? infra, TimeSpan waited)
    {
        if (!RateLimitWait.Enabled) return;
        RateLimitWait.Record(waited.TotalSeconds,
            new KeyValuePair<string, object?>(LimitTag, limit), new KeyValuePair<string, object?>(InfraTag, infra));
    }

    internal static void RecordCall(string method, string status)
    {
        if (CallCount.Enabled)
            CallCount.Add(1, new KeyValuePair<string, object?>(MethodTag, method), new KeyValuePair<string, object?>(StatusTag, status));
    }
}
