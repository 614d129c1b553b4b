using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Ladybug.Engine.Telemetry;

/// <summary>
/// The engine's traces and metrics: one <see cref="ActivitySource"/> (a job → its plan steps → node sub-steps →
/// Tumblebug calls and SSH commands) and one <see cref="Meter"/>. Both are static and cost a field read when nothing
/// listens (no exporter configured: <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null,
/// an instrument's Add/Record returns at once). This folder depends on no other engine folder; everyone may use it.
/// Tags are few and bounded (step names, job kinds, results, HTTP methods and status codes), never node, cluster or
/// machine names: a metric's series multiply with each distinct tag value.
/// </summary>
public static class EngineTelemetry
{
    public const string SourceName = "Ladybug.Engine";
    public const string MeterName = "Ladybug.Engine";

    public const string JobsFinishedName = "ladybug.jobs.finished";
    public const string StepDurationName = "ladybug.step.duration";
    public const string SshConnectsName = "ladybug.ssh.connects";
    public const string LogLinesName = "ladybug.log.lines";

    /// <summary>Tag and span attribute names (OpenTelemetry's own where one exists).</summary>
    public static class Tags
    {
        public const string ClusterId = "ladybug.cluster.id";
        public const string JobId = "ladybug.job.id";
        public const string JobKind = "ladybug.job.kind";
        public const string Result = "ladybug.result";
        public const string Step = "ladybug.step";
        public const string Node = "ladybug.node";
        public const string ExitCode = "ladybug.exit_code";
        public const string ServerAddress = "server.address";
        public const string ServerPort = "server.port";
    }

    /// <summary>The outcomes <see cref="SshConnectsName"/> counts.</summary>
    public static class SshOutcomes
    {
        public const string Connected = "connected";
        /// <summary>Not reachable yet (booting, sshd restarting); another attempt follows within the connect window.</summary>
        public const string Retried = "retried";
        public const string Failed = "failed";
    }

    public static readonly ActivitySource Source = new(SourceName);

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> JobsFinished = Meter.CreateCounter<long>(JobsFinishedName, "{job}",
        "Jobs that ended, by kind and result");

    /// <summary>Seconds, from a sub-second script to a 30-minute machine creation.</summary>
    private static readonly Histogram<double> StepDuration = Meter.CreateHistogram(StepDurationName, "s",
        "How long each step took, plan steps and the sub-steps on each node alike", tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600] });

    private static readonly Counter<long> SshConnects = Meter.CreateCounter<long>(SshConnectsName, "{connect}",
        "SSH connection attempts, by outcome: connected, retried (the machine was not ready yet) or failed");

    private static readonly Counter<long> LogLines = Meter.CreateCounter<long>(LogLinesName, "{line}",
        "Job log lines stored; its rate is the log pipeline's lines per second");

    internal static void JobFinished(string kind, string result)
    {
        if (JobsFinished.Enabled)
            JobsFinished.Add(1, new KeyValuePair<string, object?>(Tags.JobKind, kind), new KeyValuePair<string, object?>(Tags.Result, result));
    }

    internal static void StepFinished(string step, string result, TimeSpan took)
    {
        if (StepDuration.Enabled)
            StepDuration.Record(took.TotalSeconds, new KeyValuePair<string, object?>(Tags.Step, step), new KeyValuePair<string, object?>(Tags.Result, result));
    }

    internal static void SshConnect(string outcome)
    {
        if (SshConnects.Enabled) SshConnects.Add(1, new KeyValuePair<string, object?>(Tags.Result, outcome));
    }

    /// <summary>Once per stored batch, not per line: the log pipeline carries thousands of lines a second.</summary>
    internal static void LogLinesStored(int count)
    {
        if (LogLines.Enabled) LogLines.Add(count);
    }
}
