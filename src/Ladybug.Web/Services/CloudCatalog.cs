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
/// implementation may have any lifetime.
/// </summary>
public sealed class CloudCatalog(IServiceScopeFactory scopes, TimeProvider time, ILogger<CloudCatalog> logger)
{
    /// <summary>Every circuit's app bar asks; the broker is asked at most this often.</summary>
    private static readonly TimeSpan HealthCacheDuration = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private (InfrastructureHealth Health, DateTimeOffset At)? _health;

    /// <summary>Whether the broker answers; not-ready with a message when it is unreachable.</summary>
    public async Task<InfrastructureHealth> CheckAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
            if (_health is { } cached && time.GetUtcNow() - cached.At < HealthCacheDuration)
                return cached.Health;
        var health = await CallAsync(i => i.CheckAsync(cancellationToken), e => new InfrastructureHealth(false, "", false, e));
        lock (_gate) _health = (health.Value, time.GetUtcNow());
        return health.Value;
    }

    public Task<CloudResult<IReadOnlyList<CloudConnection>>> ConnectionsAsync(CancellationToken cancellationToken = default) =>
        CallAsync(i => i.ListConnectionsAsync(cancellationToken), _ => (IReadOnlyList<CloudConnection>)[]);

    public Task<CloudResult<IReadOnlyList<MachineSpec>>> SpecsAsync(string connection, CancellationToken cancellationToken = default) =>
        CallAsync(i => i.ListSpecsAsync(connection, cancellationToken), _ => (IReadOnlyList<MachineSpec>)[]);

    private async Task<CloudResult<T>> CallAsync<T>(Func<IInfrastructure, Task<T>> call, Func<string, T> empty)
    {
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            return new CloudResult<T>(await call(scope.ServiceProvider.GetRequiredService<IInfrastructure>()), null);
        }
        catch (Exception ex) when (ex is InfrastructureException or HttpRequestException or TimeoutException or TaskCanceledException)
        {
            logger.LogWarning("Tumblebug call failed: {Message}", ex.Message);
            var message = ex is InfrastructureException ? ex.Message : $"Tumblebug is unreachable: {ex.Message}";
            return new CloudResult<T>(empty(message), message);
        }
    }
}
