using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Ladybug.Engine.Infrastructure.Tumblebug;

/// <summary>
/// Token buckets per Tumblebug base URL, shared by every job of this process. Tumblebug limits GET /ns/{ns}/infra/{id}
/// to 2 a second per client address (cb-tumblebug src/interface/rest/server/server.go:466-467 @v0.13.0) and every call
/// to 50 a second (server.go:138-139), answering 429 beyond, which retries would only make worse when several clusters
/// start or poll at once (ten cluster creations at once passed 50 calls in a second, and a 429 on a POST search is not retried).
/// </summary>
public sealed class TumblebugRateLimits(IOptions<TumblebugOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, RequestPacer> _infraReads = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, TokenBucketRateLimiter> _calls = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The pacer for reads of one Infra on Tumblebug at <paramref name="baseUrl"/>, or null when turned off.</summary>
    public RequestPacer? InfraReads(Uri baseUrl)
    {
        var perSecond = options.Value.InfraReadsPerSecond;
        return perSecond <= 0 ? null : _infraReads.GetOrAdd(baseUrl.AbsoluteUri.TrimEnd('/'), _ => new RequestPacer(TimeSpan.FromSeconds(1 / perSecond), TimeProvider.System));
    }

    /// <summary>The limiter for every call to Tumblebug at <paramref name="baseUrl"/>, or null when turned off.</summary>
    public RateLimiter? Calls(Uri baseUrl)
    {
        var perSecond = options.Value.RequestsPerSecond;
        return perSecond <= 0 ? null : _calls.GetOrAdd(baseUrl.AbsoluteUri.TrimEnd('/'), _ => Bucket(perSecond, tokensPerPeriod: Math.Max(1, (int)(perSecond / 10))));
    }

    /// <summary>
    /// Tumblebug's burst is its rate (echo's memory store); ours is a quarter of our rate, refilled a few tokens at a
    /// time. Calls let go together can arrive together later (a busy machine delays them on their way); a small burst
    /// keeps what can pile up at Tumblebug well inside its full bucket.
    /// </summary>
    private static TokenBucketRateLimiter Bucket(double perSecond, int tokensPerPeriod) => new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = Math.Max(tokensPerPeriod, (int)Math.Ceiling(perSecond / 4)),
        TokensPerPeriod = tokensPerPeriod,
        ReplenishmentPeriod = TimeSpan.FromSeconds(tokensPerPeriod / perSecond),
        AutoReplenishment = true,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        QueueLimit = int.MaxValue,
    });

    public void Dispose()
    {
        foreach (var limiter in _calls.Values) limiter.Dispose();
        foreach (var pacer in _infraReads.Values) pacer.Dispose();
    }

    /// <summary>The Infra a single-Infra read (GET /ns/{nsId}/infra/{infraId}, whatever the query) reads, or null for any other call.</summary>
    public static string? InfraOf(HttpRequestMessage request, Uri baseUrl)
    {
        if (request.Method != HttpMethod.Get || request.RequestUri is not { } uri) return null;
        var path = uri.AbsolutePath[Math.Min(uri.AbsolutePath.Length, baseUrl.AbsolutePath.TrimEnd('/').Length)..];
        return path.Split('/', StringSplitOptions.RemoveEmptyEntries) is ["ns", _, "infra", var infra] ? infra : null;
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
        if (TumblebugRateLimits.InfraOf(request, baseUrl) is { } infra && limits.InfraReads(baseUrl) is { } pacer)
        {
            var queued = Stopwatch.GetTimestamp();
            await pacer.WaitTurnAsync(cancellationToken);
            TumblebugMetrics.RecordWait(TumblebugMetrics.InfraReads, infra, Stopwatch.GetElapsedTime(queued));
        }
        var waiting = Stopwatch.GetTimestamp();
        using var call = await AcquireAsync(limits.Calls(baseUrl), baseUrl, cancellationToken);
        TumblebugMetrics.RecordWait(TumblebugMetrics.Calls, null, Stopwatch.GetElapsedTime(waiting));
        return await base.SendAsync(request, cancellationToken);
    }

    private static async Task<RateLimitLease?> AcquireAsync(RateLimiter? limiter, Uri baseUrl, CancellationToken cancellationToken)
    {
        if (limiter is null) return null;
        var lease = await limiter.AcquireAsync(1, cancellationToken);
        if (lease.IsAcquired) return lease;
        lease.Dispose();
        throw new InfrastructureException($"Ladybug's limit of calls per second to Tumblebug at {baseUrl} refused a call.");
    }
}

/// <summary>
/// Lets one request go at a time, at least <c>interval</c> after the last, measured when each goes. Unlike a token
/// bucket it never lets two go together: Tumblebug's bucket (burst 2) then always keeps a token spare, so a request
/// delayed on its way (a busy machine, the network) cannot arrive too close behind the next one. A token bucket
/// refilled by a timer did: its ticks bunch under load, and one read in 71 met a 429 with ten clusters at once.
/// </summary>
public sealed class RequestPacer(TimeSpan interval, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private long _next;

    public async Task WaitTurnAsync(CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            var wait = time.GetElapsedTime(time.GetTimestamp(), _next);
            if (_next != 0 && wait > TimeSpan.Zero) await Task.Delay(wait, time, cancellationToken);
            _next = time.GetTimestamp() + (long)(interval.TotalSeconds * time.TimestampFrequency);
        }
        finally
        {
            _turn.Release();
        }
    }

    public void Dispose() => _turn.Dispose();
}
