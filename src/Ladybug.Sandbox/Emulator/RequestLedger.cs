using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Ladybug.Sandbox.Emulator;

/// <summary>
/// Tumblebug's RequestMap: every tracked call under its X-Request-Id (given, or made from the clock) with its
/// request, progress entries while it runs and its final answer, kept for an hour and served at GET /request/{reqId}
/// (cb-tumblebug src/core/common/client/client.go:685-715, src/interface/rest/server/middlewares/
/// requestIdAndDetailsIssuer.go, responseBodyDump.go, src/interface/rest/server/common/config.go:180-188 @v0.13.0).
/// </summary>
internal sealed class RequestLedger
{
    /// <summary>requestMapTTL (client.go:710-715 @v0.13.0).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    /// <summary>requestMapMaxEntries: past it the oldest entries go (src/core/common/client/client.go:717-719, 762-800 @v0.13.0; upstream trims at its 10-minute cleanup).</summary>
    public const int MaxEntries = 1000;

    /// <summary>HttpContext.Items key under which the gate leaves the id of a tracked call for its handler.</summary>
    public const string ItemKey = "ladybug.tumblebug.requestId";

    public const string Handling = "Handling";
    public const string Success = "Success";
    public const string Error = "Error";

    /// <summary>ExtractRequestInfo leaves out headers with these prefixes (client.go:941-945 @v0.13.0).</summary>
    private static readonly string[] IgnoredHeaderPrefixes = ["Accept", "Authorization", "Connection", "Referer", "Sec-", "User-Agent"];

    /// <summary>RequestSkipPatterns that the emulator's routes can meet (src/core/common/logfilter/patterns.go:41-63 @v0.13.0).</summary>
    private static readonly (string? Method, string[] Patterns)[] SkipPatterns =
    [
        (null, ["/tumblebug/readyz"]), (null, ["/tumblebug/livez"]), (null, ["/tumblebug/httpVersion"]),
        (null, ["/tumblebug/request"]),
        ("GET", ["/infra", "option=status"]), ("GET", ["/infra", "option=id"]), ("GET", ["/infra", "option=simple"]),
    ];

    private readonly ConcurrentDictionary<string, RequestDetails> _entries = new(StringComparer.Ordinal);

    /// <summary>Calls Tumblebug does not track: their X-Request-Id header is dropped and never checked (server.go:166-178 @v0.13.0).</summary>
    public static bool IsSkipped(string method, string url) =>
        method == "OPTIONS" || SkipPatterns.Any(rule => (rule.Method is null || rule.Method == method) && rule.Patterns.All(url.Contains));

    /// <summary>Starts tracking <paramref name="requestId"/>; false when the id is already known (Tumblebug then fails the call).</summary>
    public bool TryStart(string requestId, HttpRequest request, JsonNode? body)
    {
        Evict();
        var headers = request.Headers
            .Where(h => !IgnoredHeaderPrefixes.Any(p => h.Key.StartsWith(p, StringComparison.Ordinal)))
            .ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.Ordinal);
        var details = new RequestDetails
        {
            StartTime = DateTime.UtcNow,
            Status = Handling,
            RequestInfo = new RequestInfo(request.Method, $"{request.PathBase}{request.Path}{request.QueryString}", headers, body),
        };
        return _entries.TryAdd(requestId, details);
    }

    /// <summary>UpdateRequestProgress: appends a ProgressInfo to responseData while the call runs (client.go:1082-1097 @v0.13.0).</summary>
    public void Progress(HttpContext http, string title, object? info = null)
    {
        if (http.Items[ItemKey] is not string requestId || !_entries.TryGetValue(requestId, out var details)) return;
        lock (details)
        {
            var entries = details.ResponseData as JsonArray ?? [];
            entries.Add(JsonSerializer.SerializeToNode(new ProgressInfo(title, info is null ? null : JsonSerializer.SerializeToNode(info, TumblebugWire.Json), DateTime.UtcNow), TumblebugWire.Json));
            details.ResponseData = entries;
        }
    }

    /// <summary>ResponseBodyDump: a JSON answer ends the entry, Error from 400 up with its message (responseBodyDump.go:38-140 @v0.13.0).</summary>
    public void Finish(string requestId, int statusCode, string? contentType, byte[] body)
    {
        if (!_entries.TryGetValue(requestId, out var details)) return;
        if (contentType is null || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) || body.Length == 0) return;
        JsonNode? data;
        try
        {
            data = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return;
        }
        lock (details)
        {
            details.EndTime = DateTime.UtcNow;
            details.Status = statusCode >= 400 ? Error : Success;
            if (statusCode >= 400)
                details.ErrorResponse = data is JsonObject o && o["message"] is JsonValue m && m.TryGetValue<string>(out var message) ? message : "No error message found";
            details.ResponseData = data;
        }
    }

    public RequestDetails? Find(string requestId)
    {
        Evict();
        return _entries.GetValueOrDefault(requestId);
    }

    private void Evict()
    {
        var cutoff = DateTime.UtcNow - Retention;
        foreach (var (id, details) in _entries)
            if (details.StartTime < cutoff) _entries.TryRemove(id, out _);
        var excess = _entries.Count - MaxEntries;
        if (excess <= 0) return;
        foreach (var (id, _) in _entries.OrderBy(e => e.Value.StartTime).Take(excess).ToList())
            _entries.TryRemove(id, out _);
    }
}

/// <summary>clientManager.RequestDetails (client.go:693-700 @v0.13.0); endTime is Go's zero time until the call ends.</summary>
internal sealed class RequestDetails
{
    public DateTime StartTime { get; init; }
    public DateTime EndTime { get; set; } = DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc);
    public string Status { get; set; } = "";
    public RequestInfo RequestInfo { get; init; } = null!;
    public JsonNode? ResponseData { get; set; }
    public string ErrorResponse { get; set; } = "";
}

internal sealed record RequestInfo(
    string Method,
    string Url,
    IReadOnlyDictionary<string, string> Header,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonNode? Body);

internal sealed record ProgressInfo(string Title, JsonNode? Info, DateTime Time);
