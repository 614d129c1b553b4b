using System.Text.Json.Serialization;

namespace Ladybug.Api.Contracts;

/// <summary>cb-mcks's <c>ClusterReq</c>: the body of POST /mcks/ns/{ns}/clusters. Every MCKS field name is kept.</summary>
public sealed record ClusterRequest
{
    public string? Name { get; init; }
    public string? Label { get; init; }
    public string? Description { get; init; }
    /// <summary>cb-mcks v0.7.2: "multi" (default) or "single". Only multi-cloud clusters are supported.</summary>
    public string? ServiceType { get; init; }
    public ClusterConfig? Config { get; init; }
    /// <summary>Exactly one entry: its count is the number of control-plane nodes (1, 3 or 5).</summary>
    public IReadOnlyList<NodeSetRequest>? ControlPlane { get; init; }
    /// <summary>One entry per worker pool; at least one.</summary>
    public IReadOnlyList<NodeSetRequest>? Worker { get; init; }
}

public sealed record ClusterConfig
{
    /// <summary>"no" (default). Ladybug does not install the CB-Dragonfly monitoring agent.</summary>
    public string? InstallMonAgent { get; init; }
    public KubernetesConfig? Kubernetes { get; init; }
}

public sealed record KubernetesConfig
{
    /// <summary>
    /// Default: the newest version the console supports, as in the console's wizard (cb-mcks defaulted to 1.23.13).
    /// "1.23.13-00" and "v1.23.13" are accepted too; a minor alone ("1.18") means its newest patch the console supports.
    /// </summary>
    public string? Version { get; init; }
    /// <summary>kilo (default) or canal.</summary>
    public string? NetworkCni { get; init; }
    /// <summary>Default 10.244.0.0/16.</summary>
    public string? PodCidr { get; init; }
    /// <summary>Default 10.96.0.0/12.</summary>
    public string? ServiceCidr { get; init; }
    /// <summary>Default cluster.local.</summary>
    public string? ServiceDnsDomain { get; init; }
    /// <summary>Only an empty NFS entry is accepted: Ladybug does not install an NFS storage class.</summary>
    [JsonPropertyName("storageclass")]
    public StorageClassConfig? StorageClass { get; init; }
    /// <summary>haproxy (the default and the only choice: cb-mcks' nlb is refused, see docs/sandbox-fidelity/nlb.md).</summary>
    [JsonPropertyName("loadbalancer")]
    public string? LoadBalancer { get; init; }
    /// <summary>local (default). External etcd is not supported.</summary>
    public string? Etcd { get; init; }
}

public sealed record StorageClassConfig
{
    public NfsConfig? Nfs { get; init; }
}

public sealed record NfsConfig
{
    public string? Server { get; init; }
    public string? Path { get; init; }
}

/// <summary>cb-mcks's <c>NodeSetReq</c>: one group of identical machines on one cloud connection.</summary>
public sealed record NodeSetRequest
{
    /// <summary>The Tumblebug connection, e.g. config-aws-ap-northeast-2.</summary>
    public string? Connection { get; init; }
    public int Count { get; init; }
    /// <summary>The cloud's VM spec name, e.g. t3.medium.</summary>
    public string? Spec { get; init; }
    public RootDisk? RootDisk { get; init; }
    /// <summary>cb-mcks v0.7.2: a cloud IAM role for the cloud controller manager. Must be empty: Ladybug installs none.</summary>
    public string? Role { get; init; }
}

public sealed record RootDisk
{
    /// <summary>"default" or a root-disk type the connection's cloud offers (e.g. gp3, pd-balanced, PremiumSSD).</summary>
    public string? Type { get; init; }
    /// <summary>"default" or a size in GB (a number or a string of digits).</summary>
    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? Size { get; init; }
}

/// <summary>cb-mcks's <c>NodeReq</c>: the body of POST …/nodes. Only workers can be added.</summary>
public sealed record NodeRequest
{
    /// <summary>Must be empty: control-plane nodes cannot be added.</summary>
    public IReadOnlyList<NodeSetRequest>? ControlPlane { get; init; }
    public IReadOnlyList<NodeSetRequest>? Worker { get; init; }
}
