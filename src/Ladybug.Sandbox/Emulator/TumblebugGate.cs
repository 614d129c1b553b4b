using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Ladybug.Sandbox.Emulator;

/// <summary>
/// What Tumblebug's middlewares do before a handler runs: X-Request-Id (echoed, or made from the clock; an id
/// still in use is refused), Tumblebug's rate limits, Basic auth (except the health paths), and — sandbox only — injected request faults.
/// Every Tumblebug call is recorded for tests.
/// </summary>
internal sealed class TumblebugGate(RequestDelegate next, SandboxOptions options, SandboxControl control, TumblebugRateLimits limits)
{
    private const string RequestIdHeader = "X-Request-Id";
    private static readonly string[] PublicPaths = ["/livez", "/readyz", "/httpVersion"];
    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);
    private long _sequence;

    public async Task InvokeAsync(HttpContext http)
    {
        if (!http.Request.Path.StartsWithSegments(TumblebugEmulatorApi.BasePath, out var rest))
        {
            await next(http);
            return;
        }
        var path = rest.Value ?? "";
        var supplied = http.Request.Headers[RequestIdHeader].ToString();
        var requestId = supplied.Length > 0 ? supplied : GeneratedId();
        http.Response.Headers[RequestIdHeader] = requestId;
        http.Response.Headers.AccessControlExposeHeaders = RequestIdHeader;
        var tracked = _inFlight.TryAdd(requestId, 0);
        try
        {
            if (!tracked)
                await WriteAsync(http, TumblebugEmulatorApi.Error(StatusCodes.Status400BadRequest, "the X-Request-Id is already in use"));
            else if (!limits.AllowCall(http))
                await WriteAsync(http, TumblebugEmulatorApi.Error(StatusCodes.Status429TooManyRequests, TumblebugRateLimits.Message));
            else if (!PublicPaths.Contains(path, StringComparer.Ordinal) && !Authorized(http.Request))
            {
                http.Response.Headers.WWWAuthenticate = "basic realm=Restricted";
                await WriteAsync(http, TumblebugEmulatorApi.Error(StatusCodes.Status401Unauthorized, "Unauthorized"));
            }
            else if (!limits.AllowRoute(http, path))
                await WriteAsync(http, TumblebugEmulatorApi.Error(StatusCodes.Status429TooManyRequests, TumblebugRateLimits.Message));
            else if (control.ClaimRequestFault(http.Request.Method, path + http.Request.QueryString) is { } fault)
                await WriteAsync(http, TumblebugEmulatorApi.Error(fault.StatusCode,
                    $"Sandbox fault: {http.Request.Method} {path} answered {fault.StatusCode} on purpose (Ladybug:Sandbox:Faults:FailRequests)."));
            else
                await next(http);
        }
        finally
        {
            if (tracked) _inFlight.TryRemove(requestId, out _);
            control.Record(new RecordedRequest(http.Request.Method, path, http.Request.QueryString.Value ?? "", http.Response.StatusCode, supplied.Length > 0 ? supplied : null));
        }
    }

    /// <summary>
    /// Tumblebug's own id, time.Now().UnixNano() (cb-tumblebug src/interface/rest/server/middlewares/requestIdAndDetailsIssuer.go:21-22
    /// @v0.13.0): nanoseconds, so concurrent calls practically never share one. .NET's clock counts 100 ns; the last two
    /// digits come from a counter instead of always being 00, or calls in the same tick would refuse each other.
    /// </summary>
    private string GeneratedId() =>
        (DateTime.UtcNow.Ticks * 100 + Interlocked.Increment(ref _sequence) % 100).ToString(CultureInfo.InvariantCulture);

    private bool Authorized(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
            return false;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return false;
        }
        var expected = $"{options.User}:{options.Password}";
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(decoded), Encoding.UTF8.GetBytes(expected));
    }

    private static Task WriteAsync(HttpContext http, IResult result) => result.ExecuteAsync(http);
}
