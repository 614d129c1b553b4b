using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Ladybug.Engine.Infrastructure.Tumblebug;

/// <summary>
/// One token bucket of single-Infra reads per Tumblebug base URL, shared by every job of this process: Tumblebug
/// limits GET /ns/{ns}/infra/{id} to 2 a second per client address (cb-tumblebug
/// src/interface/rest/server/server.go:466-467 @v0.13.0) and answers 429 beyond, which retries would only make worse
/// when several clusters poll at once. Other calls are few and only limited at 50 a second; the 429 backoff covers them.
/// </summary>
public sealed class TumblebugRateLimits(IOptions<TumblebugOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, TokenBucketRateLimiter> _infraReads = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The limiter for reads of one Infra on Tumblebug at <paramref name="baseUrl"/>, or null when turned off.</summary>
    public RateLimiter? InfraReads(Uri baseUrl)
    {
        var perSecond = options.Value.InfraReadsPerSecond;
        if (perSecond <= 0) return null;
        return _infraReads.GetOrAdd(baseUrl.AbsoluteUri.TrimEnd('/'), _ => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            // Tumblebug's burst (echo's memory store: the rate, 2); the bucket refills one read at a time.
            TokenLimit = Math.Max(1, (int)Math.Ceiling(perSecond)),
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1 / perSecond),
            AutoReplenishment = true,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            QueueLimit = int.MaxValue,
        }));
    }

    public void Dispose()
    {
        foreach (var limiter in _infraReads.Values) limiter.Dispose();
    }

    /// <summary>GET /ns/{nsId}/infra/{infraId}, whatever the query.</summary>
    public static bool IsSingleInfraRead(HttpRequestMessage request, Uri baseUrl)
    {
        if (request.Method != HttpMethod.Get || request.RequestUri is not { } uri) return false;
        var path = uri.AbsolutePath[Math.Min(uri.AbsolutePath.Length, baseUrl.AbsolutePath.TrimEnd('/').Length)..];
        return path.Split('/', StringSplitOptions.RemoveEmptyEntries) is ["ns", _, "infra", _];
    }
}

/// <summary>
/// Holds each single-Infra read until the shared bucket lets it go. It sits inside the resilience handler, so every
/// attempt, retries included, waits its turn.
/// </summary>
public sealed class TumblebugRateLimitHandler(TumblebugRateLimits limits, ITumblebugEndpoint endpoint) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var baseUrl = (await endpoint.ResolveAsync(cancellationToken)).BaseUrl;
        if (!TumblebugRateLimits.IsSingleInfraRead(request, baseUrl) || limits.InfraReads(baseUrl) is not { } limiter)
            return await base.SendAsync(request, cancellationToken);
        using var lease = await limiter.AcquireAsync(1, cancellationToken);
        if (!lease.IsAcquired)
            throw new InfrastructureException($"Ladybug's limit of reads per second for Tumblebug at {baseUrl} refused a read.");
        return await base.SendAsync(request, cancellationToken);
    }
}
