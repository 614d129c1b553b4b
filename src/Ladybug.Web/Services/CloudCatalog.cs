using Ladybug.Engine.Infrastructure;

namespace Ladybug.Web.Services;

/// <summary>A value from the cloud, or the reason it could not be had, in words for the page.</summary>
public sealed record CloudResult<T>(T Value, string? Error)
{
    public bool Ok => Error is null;
}

/// <summary>
/// The console's view of the cloud broker (Tumblebug, or the embedded sandbox when none is configured):
/// failures become messages for the page. Every call is resolved in its own scope, so the
/// implementation may have any lifetime. Calls cancelled by their caller, or by the console stopping, end as
/// cancelled (which Blazor ignores) instead of failing on the services that the shutdown disposes.
/// </summary>
public sealed class CloudCatalog(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<CloudCatalog> logger)
{
    /// <summary>Every circuit's app bar asks; the broker is asked at most this often while it answers.</summary>
    private static readonly TimeSpan HealthCacheDuration = TimeSpan.FromSeconds(10);

    /// <summary>
    /// An unreachable broker is asked again sooner: right after start-up the first answer can be a failure (a
    /// remote Tumblebug still booting) and pages must not show it for long once the broker is up.
    /// </summary>
    public static readonly TimeSpan UnreachableRecheck = TimeSpan.FromSeconds(3);

    private readonly Lock _gate = new();
    private (InfrastructureHealth Health, DateTimeOffset At)? _health;

    /// <summary>Whether the broker answers; not-ready with a message when it is unreachable.</summary>
    public async Task<InfrastructureHealth> CheckAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
            if (_health is { } cached && time.GetUtcNow() - cached.At < (cached.Health.Ready ? HealthCacheDuration : UnreachableRecheck))
                return cached.Health;
        var health = await CallAsync((i, ct) => i.CheckAsync(ct), e => new InfrastructureHealth(false, "", false, e), cancellationToken);
        lock (_gate) _health = (health.Value, time.GetUtcNow());
        return health.Value;
    }

    public Task<CloudResult<IReadOnlyList<CloudConnection>>> ConnectionsAsync(CancellationToken cancellationToken = default) =>
        CallAsync((i, ct) => i.ListConnectionsAsync(ct), _ => (IReadOnlyList<CloudConnection>)[], cancellationToken);

    public Task<CloudResult<IReadOnlyList<MachineSpec>>> SpecsAsync(string connection, CancellationToken cancellationToken = default) =>
        CallAsync((i, ct) => i.ListSpecsAsync(connection, ct), _ => (IReadOnlyList<MachineSpec>)[], cancellationToken);

    private async Task<CloudResult<T>> CallAsync<T>(Func<IInfrastructure, CancellationToken, Task<T>> call, Func<string, T> empty, CancellationToken cancellationToken)
    {
        var stopping = lifetime.ApplicationStopping;
        // Before the scope: once stopping, the container may already be disposed.
        stopping.ThrowIfCancellationRequested();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return new CloudResult<T>(await call(scope.ServiceProvider.GetRequiredService<IInfrastructure>(), linked.Token), null);
        }
        catch (Exception ex) when (linked.IsCancellationRequested)
        {
            // The caller left or the console is stopping: nobody waits for the answer, whatever failed was the
            // cancellation's doing, and a health check cut short must not be cached as the broker's.
            throw new OperationCanceledException("The Tumblebug call was cancelled.", ex, stopping.IsCancellationRequested ? stopping : cancellationToken);
        }
        catch (Exception ex) when (ex is InfrastructureException or HttpRequestException or TimeoutException or TaskCanceledException)
        {
            logger.LogWarning("Tumblebug call failed: {Message}", ex.Message);
            var message = ex is InfrastructureException ? ex.Message : $"Tumblebug is unreachable: {ex.Message}";
            return new CloudResult<T>(empty(message), message);
        }
    }
}
