using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ladybug.Web.Operations;

/// <summary>
/// /readyz's body: the overall status and each check's status and fixed description, e.g.
/// <c>{"status":"Degraded","checks":{"database":{"status":"Healthy","description":"reachable"},…,"broker":{"status":"Degraded","description":"tumblebug not ready"}}}</c>.
/// No exception text, no durations to the millisecond, no addresses: the endpoint is unauthenticated.
/// </summary>
public static class HealthResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new Dictionary<string, object>
        {
            ["status"] = report.Status.ToString(),
            ["checks"] = report.Entries.ToDictionary(e => e.Key, e => new Dictionary<string, string?>
            {
                ["status"] = e.Value.Status.ToString(),
                ["description"] = e.Value.Exception is null ? e.Value.Description : Unanswered(e.Value),
            }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }

    /// <summary>A check that threw or ran out of time (the health service's own text quotes the exception).</summary>
    private static string Unanswered(HealthReportEntry entry) =>
        entry.Exception is OperationCanceledException ? "no answer in time" : "check failed";
}
