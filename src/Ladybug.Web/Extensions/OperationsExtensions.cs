using Ladybug.Engine.Health;
using Ladybug.Engine.Infrastructure.Tumblebug;
using Ladybug.Engine.Telemetry;
using Ladybug.Web.Operations;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.SignalR;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Ladybug.Web.Extensions;

/// <summary>What an operator watches: liveness and readiness probes, metrics, traces and structured logs (docs/operations.md).</summary>
public static class OperationsExtensions
{
    public const string LivenessPath = "/healthz";
    public const string ReadinessPath = "/readyz";

    public static WebApplicationBuilder AddLadybugOperations(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.Section);
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section);
        builder.Services.AddHealthChecks().AddLadybugReadiness(builder.Configuration);
        builder.Services.Configure<HubOptions>(hubs => hubs.AddFilter(new HubConnectionMetrics()));

        var telemetry = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[TelemetryOptions.OtlpEndpointSetting]);
        if (!telemetry.Prometheus && !otlp) return builder;

        var open = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName: "ladybug"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(EngineTelemetry.MeterName, TumblebugMetrics.MeterName, HubConnectionMetrics.MeterName,
                        // ASP.NET Core's and .NET's own: requests, Kestrel connections, GC, thread pool.
                        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime")
                    // The wait's per-Infra tag is for the benchmark; exported, it would be a series per cluster.
                    .AddView(TumblebugMetrics.RateLimitWaitName, new MetricStreamConfiguration { TagKeys = [TumblebugMetrics.LimitTag] });
                if (telemetry.Prometheus) metrics.AddPrometheusExporter();
            });
        if (otlp)
        {
            // Traces leave only through OTLP, so without it no span is even created.
            open.WithTracing(tracing => tracing
                .AddSource(EngineTelemetry.SourceName)
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = http => !IsOperationsPath(http.Request.Path)));
            open.WithLogging(configureBuilder: null, configureOptions: logging =>
            {
                // The job runner's scopes (cluster, job, step) become attributes of every line logged inside a job.
                logging.IncludeScopes = true;
                logging.IncludeFormattedMessage = true;
            });
            // Endpoint, protocol, headers and intervals come from OpenTelemetry's own OTEL_* settings.
            open.UseOtlpExporter();
        }
        return builder;
    }

    /// <summary>
    /// Liveness answers 200 whenever the process serves requests. Readiness runs the checks: 503 when the console's own
    /// database, schema or job runner fails; 200 while only the broker is down (Degraded). Both anonymous. /metrics
    /// needs a signed-in user or an API token, like the API.
    /// </summary>
    public static WebApplication MapLadybugOperations(this WebApplication app)
    {
        app.MapHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks(ReadinessPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthExtensions.ReadyTag),
            ResponseWriter = HealthResponse.WriteAsync,
        }).AllowAnonymous();
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TelemetryOptions>>().Value.Prometheus)
            app.MapPrometheusScrapingEndpoint(TelemetryOptions.MetricsPath).RequireAuthorization();
        return app;
    }

    public static bool IsOperationsPath(PathString path) =>
        path.StartsWithSegments(LivenessPath) || path.StartsWithSegments(ReadinessPath) || path.StartsWithSegments(TelemetryOptions.MetricsPath);
}
