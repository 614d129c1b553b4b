using Ladybug.Engine.Infrastructure;
using Ladybug.Engine.Jobs;
using Ladybug.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Ladybug.Engine.Health;

// Descriptions are fixed words: a readiness answer is unauthenticated, so it never quotes an exception (connection
// strings, host names, URLs). What went wrong is in the console's log.

/// <summary>The database answers a query.</summary>
internal sealed class DatabaseCheck(IDbContextFactory<LadybugDbContext> dbFactory, ILogger<DatabaseCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            // A command, not CanConnect: on SQLite that only looks for the file.
            await db.Database.ExecuteSqlRawAsync("SELECT 1", cancellationToken);
            return HealthCheckResult.Healthy("reachable");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Readiness: the database did not answer");
            return new HealthCheckResult(context.Registration.FailureStatus, "unreachable");
        }
    }
}

/// <summary>Every migration this build knows is applied (a replica started against an older schema is not ready).</summary>
internal sealed class MigrationsCheck(IDbContextFactory<LadybugDbContext> dbFactory, ILogger<MigrationsCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            return pending == 0
                ? HealthCheckResult.Healthy("applied")
                : new HealthCheckResult(context.Registration.FailureStatus, $"{pending} pending");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Readiness: could not read the applied migrations");
            return new HealthCheckResult(context.Registration.FailureStatus, "unknown");
        }
    }
}

/// <summary>The job runner's loop is running: it takes queued jobs and claims orphaned ones.</summary>
internal sealed class JobRunnerCheck(JobRunner runner) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(runner.IsAlive
            ? HealthCheckResult.Healthy("running")
            : new HealthCheckResult(context.Registration.FailureStatus, "stopped"));
}

/// <summary>
/// The broker (Tumblebug, or the embedded sandbox) answers its readyz and is initialised. Registered as Degraded on
/// failure, not Unhealthy: without the broker the console still serves its pages, the API, logs and kubeconfigs, and
/// running jobs wait and retry, so restarting or unrouting the console would only add an outage to the broker's.
/// </summary>
internal sealed class BrokerCheck(IInfrastructure infrastructure, ILogger<BrokerCheck> logger) : IHealthCheck
{
    private int _lastReady = -1;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = await infrastructure.CheckAsync(cancellationToken);
        // Logged when it changes, not on every probe.
        if (Interlocked.Exchange(ref _lastReady, health.Ready ? 1 : 0) != (health.Ready ? 1 : 0))
        {
            if (health.Ready) logger.LogInformation("Readiness: the broker is ready again");
            else logger.LogWarning("Readiness: the broker is not ready: {Reason}", health.Message);
        }
        var kind = health.IsSandbox ? "sandbox" : "tumblebug";
        return health.Ready
            ? HealthCheckResult.Healthy($"{kind} ready")
            : new HealthCheckResult(context.Registration.FailureStatus, $"{kind} not ready");
    }
}
