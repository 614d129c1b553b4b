using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Refit;
using Ladybug.Engine.Domain;

namespace Ladybug.Engine.Infrastructure.Tumblebug;

public static class TumblebugExtensions
{
    /// <summary>
    /// The Tumblebug client behind <see cref="IInfrastructure"/>, plus the cloud-dependent cluster checks.
    /// The endpoint comes from <see cref="TumblebugOptions.Url"/> unless another <see cref="ITumblebugEndpoint"/>
    /// (the embedded sandbox) is registered.
    /// </summary>
    public static IHostApplicationBuilder AddTumblebugInfrastructure(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TumblebugOptions>().BindConfiguration(TumblebugOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ITumblebugEndpoint, ConfiguredTumblebugEndpoint>();
        services.AddTransient<TumblebugEndpointHandler>();
        services.TryAddSingleton<TumblebugRateLimits>();
        services.AddTransient<TumblebugRateLimitHandler>();

        // The source-generated client (Refit 16): requests are built inline, JSON through TumblebugJsonContext.
        var client = services.AddRefitGeneratedClient<ITumblebugApi>(TumblebugJsonContext.Default)
            .ConfigureHttpClient(http =>
            {
                http.BaseAddress = TumblebugEndpointHandler.PlaceholderBase;
                http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns every timeout
            })
            // The client lives as long as IInfrastructure (a singleton); pooled connections, not handler rotation, pick up DNS changes.
            .UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler<TumblebugEndpointHandler>();
        client.AddStandardResilienceHandler()
            .Configure((resilience, sp) => ConfigureResilience(resilience, sp.GetRequiredService<IOptions<TumblebugOptions>>().Value));
        // Inside the resilience handler, so retries wait for the shared rate limit like first attempts.
        client.AddHttpMessageHandler<TumblebugRateLimitHandler>();
        // Innermost: one span and one count per attempt that really leaves.
        services.AddTransient<TumblebugCallTelemetryHandler>();
        client.AddHttpMessageHandler<TumblebugCallTelemetryHandler>();

        services.AddSingleton<IInfrastructure, TumblebugInfrastructure>();
        services.AddSingleton<IClusterSpecCheck, InfrastructureSpecCheck>();
        return builder;
    }

    /// <summary>
    /// Deletes and creating POSTs wait for the clouds (Tumblebug answers only when the VMs reached a final state),
    /// so they get the creation timeout; everything else gets the request timeout.
    /// </summary>
    public static bool IsLongRunning(HttpRequestMessage request) =>
        request.Method == HttpMethod.Delete
        || (request.Method == HttpMethod.Post && request.RequestUri is { } uri
            && (uri.AbsolutePath.EndsWith("/infraDynamic", StringComparison.Ordinal)
                || uri.AbsolutePath.EndsWith("/nodeGroupDynamic", StringComparison.Ordinal)));

    private static void ConfigureResilience(HttpStandardResilienceOptions resilience, TumblebugOptions options)
    {
        // Only idempotent calls are retried: a POST that timed out may have created machines (and the searches
        // that are POSTs are cheap to ask again one level up).
        resilience.Retry.DisableFor(HttpMethod.Post, HttpMethod.Put, HttpMethod.Patch, HttpMethod.Connect);
        // Readiness is a question about now: asking again would only hide the answer behind the backoff.
        var transient = resilience.Retry.ShouldHandle;
        // A 429 is asked again whatever the method: Tumblebug's rate limiters are echo middlewares that refuse the call
        // before any handler runs (cb-tumblebug src/interface/rest/server/server.go:139, 466-467 @v0.13.0), so even a
        // creating POST answered 429 did nothing.
        resilience.Retry.ShouldHandle = async args =>
            options.MaxRetries > 0
            && args.Context.GetRequestMessage()?.RequestUri?.AbsolutePath.EndsWith("/readyz", StringComparison.Ordinal) != true
            && (args.Outcome.Result is { StatusCode: System.Net.HttpStatusCode.TooManyRequests }
                || (!await TumblebugErrors.SaysInfraIsMissingAsync(args.Outcome.Result) && await transient(args)));
        resilience.Retry.MaxRetryAttempts = Math.Max(1, options.MaxRetries);
        resilience.Retry.Delay = options.RetryDelay;
        resilience.Retry.BackoffType = DelayBackoffType.Exponential;
        resilience.Retry.UseJitter = true;
        // Tumblebug's rate limiter sends no Retry-After (echo v4.13.3): a 429 waits longer than other failures, jittered
        // so that jobs refused together do not come back together.
        resilience.Retry.DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
            args.Outcome.Result is { StatusCode: System.Net.HttpStatusCode.TooManyRequests } limited
                ? limited.Headers.RetryAfter?.Delta
                    ?? options.RateLimitedRetryDelay * Math.Pow(2, args.AttemptNumber) * (1 + Random.Shared.NextDouble())
                : null);

        var longest = options.CreationTimeout > options.RequestTimeout ? options.CreationTimeout : options.RequestTimeout;
        resilience.AttemptTimeout.Timeout = options.RequestTimeout;
        resilience.AttemptTimeout.TimeoutGenerator = args => ValueTask.FromResult(
            args.Context.GetRequestMessage() is { } request && IsLongRunning(request) ? longest : options.RequestTimeout);
        // Room for every attempt of the longest call plus the backoff between them.
        resilience.TotalRequestTimeout.Timeout = longest * (resilience.Retry.MaxRetryAttempts + 1) + options.RetryDelay * 16;
        // A 429 asks the client to slow down, and a 500 "does not exist" is an answer (every create's existence check
        // gets one); neither says anything about Tumblebug's health, so they never open the circuit. Counted, the checks
        // of clusters created at once outweighed the few reads each now makes.
        var breaks = resilience.CircuitBreaker.ShouldHandle;
        resilience.CircuitBreaker.ShouldHandle = async args =>
            args.Outcome.Result is not { StatusCode: System.Net.HttpStatusCode.TooManyRequests }
            && !await TumblebugErrors.SaysInfraIsMissingAsync(args.Outcome.Result)
            && await breaks(args);
        var sampling = options.RequestTimeout * 2;
        resilience.CircuitBreaker.SamplingDuration = sampling > TimeSpan.FromSeconds(30) ? sampling : TimeSpan.FromSeconds(30);
    }
}
