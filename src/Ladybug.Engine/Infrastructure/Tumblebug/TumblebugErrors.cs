using System.Net;
using System.Text.Json;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Refit;

namespace Ladybug.Engine.Infrastructure.Tumblebug;

/// <summary>Turns what Refit, HttpClient and Polly throw into sentences a person can act on (never raw JSON).</summary>
public static class TumblebugErrors
{
    /// <summary>
    /// Whether a failed call may still have done its work: the answer was lost (transport error, timeout) or the
    /// server broke (5xx). After a creating call fails like this, look the object up before deciding anything.
    /// </summary>
    public static bool OutcomeUnknown(Exception exception) => exception switch
    {
        ApiException api => (int)api.StatusCode >= 500,
        ApiRequestException => true,
        HttpRequestException or TimeoutRejectedException or BrokenCircuitException => true,
        _ => false,
    };

    /// <summary>
    /// Tumblebug answers 404 only for an unknown namespace. A missing Infra is a 500 "The infra X does not exist."
    /// (400 "Not found [/ns/N/infra/X]" for ?option=status): its handlers choose the status from whether they have
    /// a response object, not from the error. So the words decide.
    /// </summary>
    public static bool IsNotFound(ApiException api) =>
        api.StatusCode == HttpStatusCode.NotFound
        || MessageOf(api) is var message
            && (message.Contains("does not exist", StringComparison.OrdinalIgnoreCase) || message.StartsWith("Not found [", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Whether Tumblebug answered that the Infra does not exist — a 500 on a full read, access info or a delete
    /// (cb-tumblebug src/core/infra/manageInfo.go:524-532 @v0.13.0): a definite answer, not a failure worth retrying.
    /// The body is buffered so the client can still read it.
    /// </summary>
    public static async ValueTask<bool> SaysInfraIsMissingAsync(HttpResponseMessage? response)
    {
        if (response is not { StatusCode: HttpStatusCode.InternalServerError }) return false;
        await response.Content.LoadIntoBufferAsync();
        var text = await response.Content.ReadAsStringAsync();
        return text.Contains("does not exist", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Tumblebug's own words from a {"message"} body, or null when the failure never reached it.</summary>
    public static string? ServerMessage(Exception exception) =>
        exception is ApiException api ? MessageOf(api) : null;

    /// <param name="action">What was being done, completing "Tumblebug could not …", e.g. "list the cloud connections".</param>
    public static InfrastructureException Translate(Exception exception, string action, Uri? endpoint) => exception switch
    {
        InfrastructureException known => known,
        ApiException { StatusCode: HttpStatusCode.Unauthorized } =>
            new($"Tumblebug at {endpoint} refused the user name or password (401) when asked to {action}. Check {TumblebugOptions.Section}:User and Password.", inner: exception),
        ApiException api when IsNotFound(api) =>
            new($"Tumblebug could not {action}: {MessageOf(api)}", notFound: true, inner: exception),
        ApiException api =>
            new($"Tumblebug could not {action}: {MessageOf(api)} ({(int)api.StatusCode}).", inner: exception),
        ApiRequestException { InnerException: { } inner } => Transport(inner, action, endpoint, exception),
        _ => Transport(exception, action, endpoint, exception),
    };

    private static InfrastructureException Transport(Exception cause, string action, Uri? endpoint, Exception original) => cause switch
    {
        TimeoutRejectedException timeout =>
            new($"Tumblebug at {endpoint} did not answer within {timeout.Timeout.TotalSeconds:0.#} s when asked to {action}.", inner: original),
        OperationCanceledException =>
            new($"Tumblebug at {endpoint} did not answer in time when asked to {action}.", inner: original),
        BrokenCircuitException =>
            new($"Tumblebug at {endpoint} failed too often recently; Ladybug pauses calls for a moment. Could not {action}.", inner: original),
        HttpRequestException http =>
            new($"Tumblebug at {endpoint} cannot be reached to {action}: {http.Message}", inner: original),
        _ => new($"Tumblebug could not {action}: {cause.Message}", inner: original),
    };

    /// <summary>
    /// Tumblebug's failed creates answer with a multi-line "Complete Error Timeline" (cb-tumblebug
    /// src/core/infra/provisioning.go:2198-2213, 2316-2345 @v0.13.0). People get its first line and the cause: the
    /// "Error: …" line of a final-stage failure, or each "NodeGroup Resource Failure" of a preparation failure.
    /// </summary>
    internal static string Summarize(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length <= 1) return message.Trim();
        const string failure = "NodeGroup Resource Failure: ";
        var causes = lines
            .Select(l => l.StartsWith("Error: ", StringComparison.Ordinal) ? l["Error: ".Length..]
                : l.IndexOf(failure, StringComparison.Ordinal) is var at and >= 0 ? l[(at + failure.Length)..]
                : null)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal);
        return string.Join(" ", [lines[0], .. causes]);
    }

    private static string MessageOf(ApiException api)
    {
        if (!string.IsNullOrWhiteSpace(api.Content))
        {
            try
            {
                using var doc = JsonDocument.Parse(api.Content);
                if (doc.RootElement.ValueKind == JsonValueKind.Object
                    && doc.RootElement.TryGetProperty("message", out var message)
                    && message.ValueKind == JsonValueKind.String
                    && !string.IsNullOrWhiteSpace(message.GetString()))
                    return Summarize(message.GetString()!);
            }
            catch (JsonException)
            {
                // Not Tumblebug's error shape (a proxy page, say): fall back to the status line.
            }
        }
        return string.IsNullOrWhiteSpace(api.ReasonPhrase) ? $"HTTP {(int)api.StatusCode}" : api.ReasonPhrase;
    }
}
