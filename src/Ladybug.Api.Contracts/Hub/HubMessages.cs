using System.Text.Json.Serialization;

namespace Ladybug.Api.Contracts.Hub;

// The messages of /hubs/provisioning (docs/HUB-PROTOCOL.md), shared by the console, which sends them, and the CLI, which
// reads them. Enumerations travel as their names (strings), as in the REST API's resources.

public static class HubMethods
{
    public const string Path = "hubs/provisioning";
    public const string Subscribe = "Subscribe";
    public const string Unsubscribe = "Unsubscribe";
    public const string LogLines = "LogLines";
    public const string StepChanged = "StepChanged";
    public const string JobChanged = "JobChanged";
    public const string PhaseChanged = "PhaseChanged";
    public const string NodeChanged = "NodeChanged";
    public const string ClusterHealthChanged = "ClusterHealthChanged";
    public const string CertificatesChecked = "CertificatesChecked";
}

/// <summary>Subscribe's answer: subscribed, or why not (an unknown cluster), in words to show as they are.</summary>
public sealed record SubscribeResult(bool Subscribed, string? Problem)
{
    public static readonly SubscribeResult Done = new(true, null);
}

/// <param name="Stream">System (the engine's own lines), Stdout or Stderr.</param>
public sealed record LogLineMessage(long Sequence, DateTimeOffset Time, string? NodeName, string? Step, string Stream, string Text);

/// <summary>Consecutive lines of one cluster's log, at most 1,000, in sequence order.</summary>
public sealed record LogLinesMessage(Guid ClusterId, IReadOnlyList<LogLineMessage> Lines);

/// <param name="StepId">The stored step record's id: match events to steps by it, never by time.</param>
/// <param name="State">Running, Succeeded, Failed or Skipped.</param>
public sealed record StepChangedMessage(Guid ClusterId, Guid JobId, long StepId, int Order, string Name, string? NodeName, string State,
    DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, int? ExitCode, string? Message);

/// <param name="Kind">Create, AddNodes, RemoveNode, DeleteCluster, RenewCertificates or Rollback.</param>
/// <param name="State">Queued, Running, Succeeded, Failed or Cancelled.</param>
public sealed record JobChangedMessage(Guid ClusterId, Guid JobId, string Kind, string State, string? CurrentStep, string? Error)
{
    [JsonIgnore]
    public bool IsFinished => State is "Succeeded" or "Failed" or "Cancelled";
}

/// <param name="Phase">Pending, Provisioning, Provisioned, Failed, Deleting or Deleted.</param>
public sealed record PhaseChangedMessage(Guid ClusterId, string Phase, string? Reason, string? Message);

/// <param name="Readiness">Ready, NotReady or Unknown.</param>
/// <param name="EtcdHealth">Healthy or Unhealthy, on control planes.</param>
public sealed record NodeFactsMessage(string Readiness, string? Reason, DateTimeOffset? Since, string? KubeletVersion, string? OsImage,
    string? ContainerRuntime, string? AllocatableCpu, string? AllocatableMemory, int? PodCount, bool Cordoned, string? TopologyLabels, string? EtcdHealth);

/// <param name="Status">Pending, Creating, Bootstrapping, Joining, Ready, Failed, Deleting or Deleted.</param>
/// <param name="PublicIp">Set when the node's machine answers at another public IP (or SSH port) than before.</param>
/// <param name="Facts">Set by the cluster watch: what the Kubernetes API now says of the node.</param>
public sealed record NodeChangedMessage(Guid ClusterId, string NodeName, string Status, string? Message, string? PublicIp, NodeFactsMessage? Facts);

/// <param name="Health">Healthy, Degraded or Unreachable.</param>
/// <param name="WatchMode">Api or Ssh.</param>
public sealed record ClusterHealthChangedMessage(Guid ClusterId, string? Health, string? Reason, DateTimeOffset? Since, string? WatchMode);

/// <summary>The cluster's certificate expiry dates were read again; read them from the cluster.</summary>
public sealed record CertificatesCheckedMessage(Guid ClusterId);
