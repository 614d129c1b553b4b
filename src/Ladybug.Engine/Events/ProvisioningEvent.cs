using Ladybug.Engine.Domain;
using Ladybug.Engine.Watch;

namespace Ladybug.Engine.Events;

/// <summary>Something a watcher of a cluster wants to see. Published only after it is stored.</summary>
public abstract record ProvisioningEvent(Guid ClusterId);

public sealed record LogLineView(long Sequence, DateTimeOffset Time, string? NodeName, string? Step, LogStream Stream, string Text)
{
    public static LogLineView From(LogLine line) => new(line.Sequence, line.Time, line.NodeName, line.Step, line.Stream, line.Text);
}

/// <summary>Consecutive log lines of one cluster, in sequence order.</summary>
public sealed record LogLinesAppended(Guid ClusterId, IReadOnlyList<LogLineView> Lines) : ProvisioningEvent(ClusterId);

/// <summary>
/// A step record started or finished. <paramref name="StepId"/> is the stored record's id, the one way to tell which record
/// the event is about: times lose precision in the database, so a stored step's StartedAt need not equal the event's.
/// </summary>
public sealed record StepChanged(Guid ClusterId, Guid JobId, long StepId, int Order, string Name, string? NodeName, StepState State,
    DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, int? ExitCode, string? Message) : ProvisioningEvent(ClusterId);

/// <param name="PublicIp">Set when the node's machine answers at another public IP (or SSH port) than before.</param>
/// <param name="Facts">Set by the cluster watch: what the Kubernetes API now says of the node (stored before publishing).</param>
public sealed record NodeChanged(Guid ClusterId, string NodeName, NodeStatus Status, string? Message, string? PublicIp = null, NodeWatchFacts? Facts = null)
    : ProvisioningEvent(ClusterId);

/// <summary>The cluster watch's verdict or the way it reads the cluster changed (stored before publishing).</summary>
public sealed record ClusterHealthChanged(Guid ClusterId, ClusterHealth? Health, string? Reason, DateTimeOffset? Since, ClusterWatchMode? WatchMode)
    : ProvisioningEvent(ClusterId);

public sealed record PhaseChanged(Guid ClusterId, ClusterPhase Phase, string? Reason, string? Message) : ProvisioningEvent(ClusterId);

public sealed record JobChanged(Guid ClusterId, Guid JobId, JobKind Kind, JobState State, string? CurrentStep, string? Error) : ProvisioningEvent(ClusterId);

/// <summary>The cluster's certificate expiry dates were read again (stored on the cluster; read them there).</summary>
public sealed record CertificatesChecked(Guid ClusterId) : ProvisioningEvent(ClusterId);
