namespace Ladybug.Web.Operations;

/// <summary>Section "Ladybug:Telemetry". OTLP export is configured by OpenTelemetry's own variables (OTEL_EXPORTER_OTLP_ENDPOINT and friends).</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Ladybug:Telemetry";

    /// <summary>Serve the metrics in Prometheus' text format on <see cref="MetricsPath"/>, to signed-in users and API tokens only.</summary>
    public bool Prometheus { get; set; } = true;

    public const string MetricsPath = "/metrics";

    /// <summary>The standard OpenTelemetry setting that turns OTLP export (traces, metrics, logs) on.</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";
}
