using System.Diagnostics;
using Ladybug.Engine.Telemetry;

namespace Ladybug.Engine.Infrastructure.Tumblebug;

/// <summary>
/// A span and a count for every call that leaves for Tumblebug. It is the innermost handler, so each attempt is one
/// call: retries, 429s and timeouts show as what they were. The span names the path (namespaces and cluster names,
/// nothing secret: the Basic credentials are a header, never recorded); the count is by method and status only.
/// </summary>
public sealed class TumblebugCallTelemetryHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var method = request.Method.Method;
        using var activity = EngineTelemetry.Source.StartActivity($"tumblebug {method}", ActivityKind.Client);
        activity?.SetTag("http.request.method", method).SetTag("url.path", request.RequestUri?.AbsolutePath);
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            activity?.SetTag("http.response.status_code", status);
            if (status >= 400) activity?.SetStatus(ActivityStatusCode.Error, status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            TumblebugMetrics.RecordCall(method, status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return response;
        }
        catch (Exception ex)
        {
            // No answer at all. The resilience pipeline's attempt timeout cancels this call like a caller's cancel does,
            // so the two are one value: "cancelled" (an attempt timeout or a job stopped), "no-answer" (refused, reset).
            var kind = ex is OperationCanceledException ? "cancelled" : "no-answer";
            activity?.SetStatus(ActivityStatusCode.Error, kind);
            TumblebugMetrics.RecordCall(method, kind);
            throw;
        }
    }
}
