using Ladybug.Engine.Infrastructure;

namespace Ladybug.Web.Services;

/// <summary>A value from the cloud, or the reason it could not be had, in words for the page.</summary>
public sealed record CloudResult<T>(T Value, string? Error)
{
    public bool Ok => Error is null;
}

/// <summary>
/// The console's view of the cloud broker. <see cref="IInfrastructure"/> is optional here so pages
/// keep working (and say so) when no broker is wired; every call is resolved in its own scope, so
/// the implementation may have any lifetime.
/// </summary>
public sealed class CloudCatalog(IServiceScopeFactory scopes, IServiceProviderIsService isService, TimeProvider time, ILogger<CloudCatalog> logger)
{
    public const string NotConfiguredMessage = "Tumblebug not configured: the console has no cloud broker to ask for connections and VMs.";

    /// <summary>Every circuit's app bar asks; the broker is asked at most this often.</summary>
    private static readonly TimeSpan HealthCacheDuration = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private (InfrastructureHealth Health, DateTimeOffset At)? _health;

    public bool IsConfigured { get; } = isService.IsService(typeof(IInfrastructure));

    /// <summary>Whether the broker answers; not-ready with a message when it is unreachable or not configured.</summary>
    public async Task<InfrastructureHealth> CheckAsync(CancellationToken cancellationToken = default)
    {
        if (!IsConfigured) return new InfrastructureHealth(false, "", false, NotConfiguredMessage);
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
        if (!IsConfigured) return new CloudResult<T>(empty(NotConfiguredMessage), NotConfiguredMessage);
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
