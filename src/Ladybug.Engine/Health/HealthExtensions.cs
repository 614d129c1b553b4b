using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ladybug.Engine.Health;

/// <summary>Section "Ladybug:Health".</summary>
public sealed class HealthOptions
{
    public const string Section = "Ladybug:Health";

    /// <summary>
    /// How long readiness waits for the broker's answer before reporting it down. Kept under a probe's timeout, so a
    /// hanging broker shows as down rather than making the probe itself time out.
    /// </summary>
    public TimeSpan BrokerTimeout { get; set; } = TimeSpan.FromSeconds(3);
}

public static class HealthExtensions
{
    /// <summary>Every readiness check carries this tag; liveness runs none.</summary>
    public const string ReadyTag = "ready";

    public const string Database = "database";
    public const string Migrations = "migrations";
    public const string JobRunner = "job-runner";
    public const string Broker = "broker";

    /// <summary>
    /// The console's readiness: its own parts (database, migrations, job runner) fail it; the broker only degrades it.
    /// </summary>
    public static IHealthChecksBuilder AddLadybugReadiness(this IHealthChecksBuilder checks, IConfiguration configuration)
    {
        var options = configuration.GetSection(HealthOptions.Section).Get<HealthOptions>() ?? new HealthOptions();
        string[] tags = [ReadyTag];
        checks.Services.AddSingleton<BrokerCheck>();
        return checks
            .AddCheck<DatabaseCheck>(Database, HealthStatus.Unhealthy, tags)
            .AddCheck<MigrationsCheck>(Migrations, HealthStatus.Unhealthy, tags)
            .AddCheck<JobRunnerCheck>(JobRunner, HealthStatus.Unhealthy, tags)
            .Add(new HealthCheckRegistration(Broker, sp => sp.GetRequiredService<BrokerCheck>(), HealthStatus.Degraded, tags, options.BrokerTimeout));
    }
}
