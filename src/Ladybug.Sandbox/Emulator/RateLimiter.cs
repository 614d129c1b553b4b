using Microsoft.AspNetCore.Http;

namespace Ladybug.Sandbox.Emulator;

/// <summary>
/// echo v4.13.3's RateLimiterMemoryStore, which Tumblebug v0.13.0 uses: one golang.org/x/time/rate token bucket per
/// client, refilled continuously at <c>rate</c> tokens a second, holding at most <c>burst</c> and starting full. With no
/// burst configured it equals the rate (labstack/echo middleware/rate_limiter.go:217-219 @v4.13.3). A client unseen
/// for 3 minutes is forgotten (:235, 248-250, 260-268); by then its bucket would be full again anyway, so that changes nothing.
/// </summary>
internal sealed class EchoRateLimiter(double rate, TimeProvider time)
{
    private readonly int _burst = (int)rate;
    private readonly Dictionary<string, (double Tokens, long At)> _visitors = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public bool Allow(string client)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            var (tokens, at) = _visitors.TryGetValue(client, out var seen) ? seen : (_burst, now);
            tokens = Math.Min(_burst, tokens + time.GetElapsedTime(at, now).TotalSeconds * rate);
            var allowed = tokens >= 1;
            _visitors[client] = (allowed ? tokens - 1 : tokens, now);
            return allowed;
        }
    }

    /// <summary>
    /// echo's default identifier, Context.RealIP() without an IPExtractor (Tumblebug sets none): the first
    /// X-Forwarded-For entry, else X-Real-IP, else the peer address (labstack/echo context.go:296-318 @v4.13.3).
    /// </summary>
    public static string ClientOf(HttpContext http)
    {
        var forwarded = http.Request.Headers["X-Forwarded-For"].ToString();
        if (forwarded.Length > 0)
        {
            var comma = forwarded.IndexOf(',', StringComparison.Ordinal);
            return (comma > 0 ? forwarded[..comma] : forwarded).Trim().TrimStart('[').TrimEnd(']');
        }
        var real = http.Request.Headers["X-Real-IP"].ToString();
        if (real.Length > 0) return real.TrimStart('[').TrimEnd(']');
        return http.Connection.RemoteIpAddress?.ToString() ?? "";
    }
}

/// <summary>
/// Tumblebug's two limits: 50 calls a second per client on every route (cb-tumblebug src/interface/rest/server/server.go:138-139
/// @v0.13.0, before authentication) and 2 a second on GET /ns/{ns}/infra/{id} (server.go:466-467, a route middleware, so
/// after authentication). A denied call is echo's ErrRateLimitExceeded: 429 {"message":"rate limit exceeded"} and no
/// Retry-After (middleware/rate_limiter.go:39, 58-63 @v4.13.3).
/// </summary>
internal sealed class TumblebugRateLimits(TumblebugTimingOptions timing, TimeProvider time)
{
    public const string Message = "rate limit exceeded";

    private readonly EchoRateLimiter? _everyCall = timing.RequestsPerSecond > 0 ? new EchoRateLimiter(timing.RequestsPerSecond, time) : null;
    private readonly EchoRateLimiter? _infraReads = timing.InfraReadsPerSecond > 0 ? new EchoRateLimiter(timing.InfraReadsPerSecond, time) : null;

    public bool AllowCall(HttpContext http) => _everyCall?.Allow(EchoRateLimiter.ClientOf(http)) ?? true;

    /// <param name="path">The path after /tumblebug.</param>
    public bool AllowRoute(HttpContext http, string path) =>
        _infraReads is null || !IsSingleInfraRead(http.Request.Method, path) || _infraReads.Allow(EchoRateLimiter.ClientOf(http));

    /// <summary>GET /ns/{nsId}/infra/{infraId}, whatever the query.</summary>
    private static bool IsSingleInfraRead(string method, string path) =>
        HttpMethods.IsGet(method)
        && path.Split('/', StringSplitOptions.RemoveEmptyEntries) is ["ns", _, "infra", _];
}
