using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace Ladybug.Engine.Infrastructure.Tumblebug;

/// <summary>Where Tumblebug answers and how to log in.</summary>
public sealed record TumblebugAddress(Uri BaseUrl, string User, string Password, bool IsSandbox);

/// <summary>
/// Resolved per request rather than at start-up: the embedded sandbox learns its port only once it has started,
/// and a request made before that simply waits for it.
/// </summary>
public interface ITumblebugEndpoint
{
    /// <exception cref="InfrastructureException">Tumblebug cannot be used at all (e.g. the sandbox could not start).</exception>
    ValueTask<TumblebugAddress> ResolveAsync(CancellationToken cancellationToken);
}

/// <summary>The Tumblebug named by <see cref="TumblebugOptions.Url"/>.</summary>
public sealed class ConfiguredTumblebugEndpoint(IOptions<TumblebugOptions> options) : ITumblebugEndpoint
{
    public ValueTask<TumblebugAddress> ResolveAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o.UsesSandbox)
            throw new InfrastructureException($"No Tumblebug is configured: set {TumblebugOptions.Section}:Url (e.g. http://localhost:1323/tumblebug).");
        if (!Uri.TryCreate(o.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            throw new InfrastructureException($"{TumblebugOptions.Section}:Url '{o.Url}' is not an http(s) URL.");
        return ValueTask.FromResult(new TumblebugAddress(url, o.User, o.Password, IsSandbox: false));
    }
}

/// <summary>
/// Points each request at the resolved endpoint and adds Basic auth. The Refit client is registered with a
/// placeholder base address (<see cref="PlaceholderBase"/>); only the path and query it built are kept.
/// </summary>
public sealed class TumblebugEndpointHandler(ITumblebugEndpoint endpoint) : DelegatingHandler
{
    public static readonly Uri PlaceholderBase = new("http://tumblebug.invalid/");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var address = await endpoint.ResolveAsync(cancellationToken);
        request.RequestUri = new Uri(address.BaseUrl.AbsoluteUri.TrimEnd('/') + request.RequestUri!.PathAndQuery);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{address.User}:{address.Password}")));
        return await base.SendAsync(request, cancellationToken);
    }
}
