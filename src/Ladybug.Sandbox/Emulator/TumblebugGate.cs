using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Ladybug.Sandbox.Emulator;

/// <summary>
/// What Tumblebug's middlewares do before a handler runs, in their order (cb-tumblebug src/interface/rest/server/server.go
/// @v0.13.0): the global rate limit, X-Request-Id tracking in the <see cref="RequestLedger"/> (an id it already holds
/// fails the call), Basic auth (except the health paths), the single-Infra read's own rate limit, and — sandbox only —
/// injected request faults. Every Tumblebug call is also recorded for tests.
/// </summary>
internal sealed class TumblebugGate(RequestDelegate next, SandboxOptions options, SandboxControl control, RequestLedger ledger, TumblebugRateLimits limits,
    IHostApplicationLifetime lifetime)
{
    private const string RequestIdHeader = "X-Request-Id";
    /// <summary>Set by a handler whose answer the LoseCreateResponses fault swallows: the work is done and recorded, the answer never arrives.</summary>
    public const string LostAnswerKey = "ladybug.tumblebug.lostAnswer";
    private static readonly string[] PublicPaths = ["/livez", "/readyz", "/httpVersion"];
    private long _sequence;

    public async Task InvokeAsync(HttpContext http)
    {
        if (!http.Request.Path.StartsWithSegments(TumblebugEmulatorApi.BasePath, out var rest))
        {
            await next(http);
            return;
        }
        var path = rest.Value ?? "";
        var received = DateTimeOffset.UtcNow;
        var supplied = http.Request.Headers[RequestIdHeader].ToString();
        var requestId = RequestLedger.IsSkipped(http.Request.Method, $"{http.Request.Path}{http.Request.QueryString}") ? null
            : supplied.Length > 0 ? supplied
            : GeneratedId();
        var original = http.Response.Body;
        var clientGone = http.RequestAborted;
        using var captured = new MemoryStream();
        try
        {
            if (!limits.AllowCall(http))
            {
                await WriteAsync(http, TumblebugEmulatorApi.Error(StatusCodes.Status429TooManyRequests, TumblebugRateLimits.Message));
                return;
            }
            if (requestId is not null)
            {
                http.Response.Headers.AccessControlExposeHeaders = RequestIdHeader;
                if (!ledger.TryStart(requestId, http.Request, await ReadBodyAsync(http.Request)))
                {
                    // The middleware returns a plain error, which Echo's default handler answers with 500
                    // (requestIdAndDetailsIssuer.go:27-29 @v0.13.0; echo v4.13.3 DefaultHTTPErrorHandler).
                    await WriteAsync(http, TumblebugEmulatorApi.Error(StatusCodes.Status500InternalServerError, "Internal Server Error"));
                    return;
                }
                http.Response.Headers[RequestIdHeader] = requestId;
                http.Items[RequestLedger.ItemKey] = requestId;
                http.Response.Body = captured;
                // A tracked call runs to its end when its client leaves: Go handlers such as CreateInfraDynamic never look
                // at the request context's Done() (src/core/infra/provisioning.go @v0.13.0), and ResponseBodyDump records
                // the outcome under the request id all the same (middlewares/responseBodyDump.go:14-80 @v0.13.0).
                http.RequestAborted = lifetime.ApplicationStopping;
            }
            if (!PublicPaths.Contains(path, StringComparer.Ordinal) && !EmulatorCredentials.Match(http.Request, options))
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

            if (requestId is not null)
            {
                ledger.Finish(requestId, http.Response.StatusCode, http.Response.ContentType, captured.ToArray());
                http.Response.Body = original;
                if (http.Items.ContainsKey(LostAnswerKey))
                    http.Abort();
                else if (!clientGone.IsCancellationRequested)
                    await original.WriteAsync(captured.ToArray(), clientGone);
            }
            else if (http.Items.ContainsKey(LostAnswerKey))
                http.Abort();
        }
        finally
        {
            http.Response.Body = original;
            control.Record(new RecordedRequest(http.Request.Method, path, http.Request.QueryString.Value ?? "", http.Response.StatusCode, supplied.Length > 0 ? supplied : null)
            {
                Received = received,
                Answered = DateTimeOffset.UtcNow,
            });
        }
    }

    /// <summary>
    /// Tumblebug's own id, time.Now().UnixNano() (cb-tumblebug src/interface/rest/server/middlewares/requestIdAndDetailsIssuer.go:21-22
    /// @v0.13.0): nanoseconds, so concurrent calls practically never share one. .NET's clock counts 100 ns; the last two
    /// digits come from a counter instead of always being 00, or calls in the same tick would refuse each other.
    /// </summary>
    private string GeneratedId() =>
        ((DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100 + Interlocked.Increment(ref _sequence) % 100).ToString(CultureInfo.InvariantCulture);

    /// <summary>ExtractRequestInfo keeps the body as JSON when it parses, and gives it back to the handler (client.go:961-972 @v0.13.0).</summary>
    private static async Task<JsonNode?> ReadBodyAsync(HttpRequest request)
    {
        request.EnableBuffering();
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
        finally
        {
            request.Body.Position = 0;
        }
    }

    private static Task WriteAsync(HttpContext http, IResult result) => result.ExecuteAsync(http);
}
