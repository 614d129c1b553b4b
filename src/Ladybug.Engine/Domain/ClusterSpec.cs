namespace Ladybug.Engine.Domain;

/// <summary>What a user asks for. Every entry point (wizard, REST API, CLI) builds one of these and runs it through <see cref="ClusterSpecValidator"/>.</summary>
public sealed record ClusterSpec
{
    public const string DefaultNamespace = "default";
    public const string DefaultPodCidr = "10.244.0.0/16";
    public const string DefaultServiceCidr = "10.96.0.0/12";
    public const string DefaultDnsDomain = "cluster.local";

    public string Namespace { get; init; } = DefaultNamespace;
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    public string Label { get; init; } = "";
    public string KubernetesVersion { get; init; } = KubernetesVersionCatalog.DefaultVersion;
    public Cni Cni { get; init; } = Cni.Kilo;
    public string PodCidr { get; init; } = DefaultPodCidr;
    public string ServiceCidr { get; init; } = DefaultServiceCidr;
    public string DnsDomain { get; init; } = DefaultDnsDomain;
    public LoadBalancerMode LoadBalancer { get; init; } = LoadBalancerMode.Haproxy;
    /// <summary>Keep the machines of a failed cluster for debugging instead of rolling back.</summary>
    public bool KeepMachinesOnFailure { get; init; }
    public NodePoolSpec ControlPlane { get; init; } = new() { Count = 1 };
    public IReadOnlyList<NodePoolSpec> WorkerPools { get; init; } = [];
}

public sealed record NodePoolSpec
{
    public string Connection { get; init; } = "";
    public int Count { get; init; } = 1;
    public string Spec { get; init; } = "";
    /// <summary>"default" lets the cloud choose.</summary>
    public string RootDiskType { get; init; } = "default";
    /// <summary>GB; null lets the cloud choose.</summary>
    public int? RootDiskSizeGb { get; init; }
}
