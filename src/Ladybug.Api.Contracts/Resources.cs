namespace Ladybug.Api.Contracts;

/// <summary>cb-mcks's Cluster. The kubeconfig (<c>clusterConfig</c>) is never part of it: it has its own audited endpoint.</summary>
public sealed record ClusterResource
{
    public string Name { get; init; } = "";
    public string Kind { get; init; } = "Cluster";
    public ClusterStatus Status { get; init; } = new();
    /// <summary>The Tumblebug Infra (formerly MCIS) holding the machines; empty until it exists.</summary>
    public string Mcis { get; init; } = "";
    public string Namespace { get; init; } = "";
    public string K8sVersion { get; init; } = "";
    /// <summary>The control-plane node where kubeadm init ran; empty until chosen.</summary>
    public string CpLeader { get; init; } = "";
    /// <summary>The control-plane node group.</summary>
    public string CpGroup { get; init; } = "";
    public string NetworkCni { get; init; } = "";
    public string Label { get; init; } = "";
    public string InstallMonAgent { get; init; } = "no";
    public string Loadbalancer { get; init; } = "";
    public string Etcd { get; init; } = "local";
    public string Description { get; init; } = "";
    /// <summary>cb-mcks v0.7.2's serviceType (src/core/model/types.go:65 @v0.7.2): always "multi" here.</summary>
    public string ServiceType { get; init; } = "multi";
    public DateTimeOffset? CreatedTime { get; init; }
    public IReadOnlyList<NodeResource> Nodes { get; init; } = [];
}

public sealed record ClusterStatus
{
    /// <summary>Pending, Provisioning, Provisioned, Failed or Deleting.</summary>
    public string Phase { get; init; } = "";
    /// <summary>A reason code (e.g. InitControlPlaneFailedReason) when the phase is Failed.</summary>
    public string Reason { get; init; } = "";
    public string Message { get; init; } = "";
    /// <summary>Ladybug's cluster watch, apart from the phase: Healthy, Degraded or Unreachable; empty while not watched.</summary>
    public string Health { get; init; } = "";
    /// <summary>Why the cluster is Degraded or Unreachable.</summary>
    public string HealthReason { get; init; } = "";
    /// <summary>How the watch reads the cluster: "api", "ssh" (the API endpoint does not answer the console), or empty.</summary>
    public string WatchMode { get; init; } = "";
    /// <summary>
    /// The API server's serving certificate ("apiserver", the earliest among the control planes) and the admin kubeconfig's
    /// client certificate ("admin"), once read (a Ladybug addition); absent before the first reading.
    /// </summary>
    public IReadOnlyList<CertificateStatus>? Certificates { get; init; }
    /// <summary>
    /// What can be done to the cluster now (a Ladybug addition): addNodes, removeNode, renewCertificates, cancel, delete,
    /// downloadKubeconfig. Anything else is answered 409 with the reason.
    /// </summary>
    public IReadOnlyList<string> Actions { get; init; } = [];
}

/// <summary>One certificate's end, and whether it falls within the warning window (Ladybug:Certificates:WarningWindow).</summary>
public sealed record CertificateStatus
{
    /// <summary>apiserver or admin.</summary>
    public string Name { get; init; } = "";
    public DateTimeOffset NotAfter { get; init; }
    public bool ExpiresSoon { get; init; }
    public bool Expired { get; init; }
}

/// <summary>cb-mcks's Node, without its <c>credential</c>: SSH private keys are never returned.</summary>
public sealed record NodeResource
{
    public string Name { get; init; } = "";
    public string Kind { get; init; } = "Node";
    /// <summary>control-plane or worker.</summary>
    public string Role { get; init; } = "";
    /// <summary>Ladybug's per-node progress: Pending, Creating, Bootstrapping, Joining, Ready, Failed, Deleting.</summary>
    public string Status { get; init; } = "";
    public string PublicIp { get; init; } = "";
    public string PrivateIp { get; init; } = "";
    public string Spec { get; init; } = "";
    public string Csp { get; init; } = "";
    public string Connection { get; init; } = "";
    public string Region { get; init; } = "";
    public string Zone { get; init; } = "";
    public DateTimeOffset? CreatedTime { get; init; }
    /// <summary>The node's Kubernetes labels as "key=value", as cb-mcks reported them.</summary>
    public string CspLabel { get; init; } = "";
    public string RegionLabel { get; init; } = "";
    public string ZoneLabel { get; init; } = "";
    /// <summary>The Kubernetes Node's Ready condition as the cluster watch last saw it: Ready, NotReady or Unknown; empty before.</summary>
    public string Readiness { get; init; } = "";
    public string ReadinessReason { get; init; } = "";
    /// <summary>When the Ready condition last changed (its lastTransitionTime).</summary>
    public DateTimeOffset? ReadinessSince { get; init; }
    public string KubeletVersion { get; init; } = "";
    public string ContainerRuntime { get; init; } = "";
    public string OsImage { get; init; } = "";
    public bool Cordoned { get; init; }
    public int? PodCount { get; init; }
    /// <summary>Control planes: Healthy or Unhealthy (their etcd static pod's Ready condition); empty for workers.</summary>
    public string EtcdHealth { get; init; } = "";
}

public sealed record ClusterList
{
    public string Kind { get; init; } = "ClusterList";
    public IReadOnlyList<ClusterResource> Items { get; init; } = [];
}

public sealed record NodeList
{
    public string Kind { get; init; } = "NodeList";
    public IReadOnlyList<NodeResource> Items { get; init; } = [];
}

/// <summary>VM specs of one connection, filtered by vCPU and memory (GiB). cb-mcks spelled the kind "specList".</summary>
public sealed record SpecList
{
    public string Kind { get; init; } = "specList";
    public string ConnectionName { get; init; } = "";
    public IReadOnlyList<SpecItem> Items { get; init; } = [];
}

public sealed record SpecItem
{
    public string Name { get; init; } = "";
    /// <summary>GiB.</summary>
    public double Memory { get; init; }
    public SpecCpu Cpu { get; init; } = new();
    /// <summary>USD per hour when the cloud reports it.</summary>
    public double? CostPerHour { get; init; }
}

public sealed record SpecCpu
{
    public int Count { get; init; }
    /// <summary>GHz, when known.</summary>
    public double? Clock { get; init; }
}

/// <summary>Stored provisioning log lines of a cluster, in sequence order (a Ladybug addition).</summary>
public sealed record LogList
{
    public string Kind { get; init; } = "LogList";
    public IReadOnlyList<LogLineResource> Items { get; init; } = [];
}

public sealed record LogLineResource
{
    /// <summary>Per cluster, gap-free, from 1.</summary>
    public long Sequence { get; init; }
    public DateTimeOffset Time { get; init; }
    public string? NodeName { get; init; }
    public string? Step { get; init; }
    /// <summary>System, Stdout or Stderr.</summary>
    public string Stream { get; init; } = "";
    public string Text { get; init; } = "";
}

/// <summary>
/// cb-mcks's Status: every error, and the answer to deletes. <c>code</c> equals the HTTP status.
/// <see cref="Errors"/> (a Ladybug addition) maps MCKS field paths such as <c>worker[0].count</c> to messages.
/// </summary>
public sealed record ApiStatus
{
    public string Kind { get; init; } = "Status";
    public int Code { get; init; }
    public string Message { get; init; } = "";
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }
}
