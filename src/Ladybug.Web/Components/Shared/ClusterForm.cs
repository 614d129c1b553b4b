using Ladybug.Engine.Domain;

namespace Ladybug.Web.Components.Shared;

/// <summary>What the wizard edits; becomes a <see cref="ClusterSpec"/> for the engine's validator and service.</summary>
public sealed class ClusterForm
{
    public string Namespace { get; set; } = ClusterSpec.DefaultNamespace;
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public PoolForm ControlPlane { get; set; } = new();
    public List<PoolForm> WorkerPools { get; set; } = [new()];
    public string Minor { get; set; } = KubernetesVersionCatalog.Minors[0].Minor;
    public string KubernetesVersion { get; set; } = KubernetesVersionCatalog.DefaultVersion;
    public Cni Cni { get; set; } = Cni.Kilo;
    public string PodCidr { get; set; } = ClusterSpec.DefaultPodCidr;
    public string ServiceCidr { get; set; } = ClusterSpec.DefaultServiceCidr;
    public string DnsDomain { get; set; } = ClusterSpec.DefaultDnsDomain;
    public LoadBalancerMode LoadBalancer { get; set; } = LoadBalancerMode.Haproxy;

    public bool HighlyAvailable => ControlPlane.Count > 1;

    public ClusterSpec ToSpec() => new()
    {
        Namespace = Namespace.Trim(),
        Name = Name.Trim(),
        Description = Description.Trim(),
        KubernetesVersion = KubernetesVersion,
        Cni = Cni,
        PodCidr = PodCidr.Trim(),
        ServiceCidr = ServiceCidr.Trim(),
        DnsDomain = DnsDomain.Trim(),
        LoadBalancer = LoadBalancer,
        ControlPlane = ControlPlane.ToSpec(),
        WorkerPools = WorkerPools.Select(p => p.ToSpec()).ToList(),
    };
}

public sealed class PoolForm
{
    public string Connection { get; set; } = "";
    public int Count { get; set; } = 1;
    public string Spec { get; set; } = "";

    public NodePoolSpec ToSpec() => new() { Connection = Connection, Count = Count, Spec = Spec };
}
