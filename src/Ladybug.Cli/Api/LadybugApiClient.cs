using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Ladybug.Api.Contracts;
using Ladybug.Cli.Configuration;
using Refit;

namespace Ladybug.Cli.Api;

/// <summary>Builds the Refit client for one invocation and turns HTTP failures into messages a person can act on.</summary>
public static class LadybugApiClient
{
    /// <summary>Long enough for ?wait=true, whose server-side limit is the real bound.</summary>
    public static readonly TimeSpan WaitingTimeout = Timeout.InfiniteTimeSpan;
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(100);

    private static readonly RefitSettings Settings = new() { ContentSerializer = new SystemTextJsonContentSerializer(McksJson.Options) };

    /// <summary>The caller owns <paramref name="http"/>; it gets the server address, credentials and timeout here.</summary>
    public static ILadybugApi Create(HttpClient http, ServerSettings settings, bool waiting = false)
    {
        http.BaseAddress = settings.Server;
        http.Timeout = waiting ? WaitingTimeout : RequestTimeout;
        http.DefaultRequestHeaders.Authorization = settings.Authorization;
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return RestService.For<ILadybugApi>(http, Settings);
    }

    /// <summary>The body of a successful response, or the failure as a <see cref="CliException"/>.</summary>
    public static T Content<T>(IApiResponse<T> response) => response switch
    {
        { IsSuccessful: true, Content: { } content } => content,
        { Error: ApiRequestException unreachable } => throw Unreachable(unreachable),
        _ => throw Describe(response.Error as ApiException, null),
    };

    /// <summary>The request never got an answer (refused, DNS, TLS…).</summary>
    public static CliException Unreachable(ApiRequestException error) =>
        new($"Cannot reach the Ladybug server at {error.Uri?.GetLeftPart(UriPartial.Authority)}: {error.InnerException?.Message ?? error.Message}");

    /// <summary>An MCKS Status body becomes its message plus one line per field error; anything else its HTTP status.</summary>
    public static CliException Describe(ApiException? error, Uri? server)
    {
        if (error is null) return new CliException("The server answered without a body.");
        var status = TryReadStatus(error.Content);
        if (status is { Errors.Count: > 0 })
            return new CliException($"The request was rejected ({status.Code}):",
                [.. status.Errors.OrderBy(e => e.Key, StringComparer.Ordinal).SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))]);
        if (status is not null) return new CliException(status.Message);
        return error.StatusCode == HttpStatusCode.Unauthorized
            ? CredentialsRefused(server)
            : new CliException($"The server answered {(int)error.StatusCode} {error.ReasonPhrase}.");
    }

    public static CliException CredentialsRefused(Uri? server) =>
        new($"The server{(server is null ? "" : $" at {server}")} refused the credentials (401). Pass --user/--password or --token, or set them in a context.");

    private static ApiStatus? TryReadStatus(string? content)
    {
        if (string.IsNullOrWhiteSpace(content)) return null;
        try
        {
            var status = JsonSerializer.Deserialize<ApiStatus>(content, McksJson.Options);
            return status is { Kind: "Status" } && !string.IsNullOrEmpty(status.Message) ? status : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
