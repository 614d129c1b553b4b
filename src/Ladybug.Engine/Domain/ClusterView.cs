namespace Ladybug.Engine.Domain;

/// <summary>A cluster as the console, the API and the CLI read it: a snapshot that nothing writes back, without its sealed secrets.</summary>
public sealed record ClusterView
{
    public Guid Id { get; init; }
    public string Namespace { get; init; } = "";
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    public string Label { get; init; } = "";
    public string KubernetesVersion { get; init; } = "";
    public Cni Cni { get; init; }
    public string PodCidr { get; init; } = "";
    public string ServiceCidr { get; init; } = "";
    public string DnsDomain { get; init; } = "";
    public LoadBalancerMode LoadBalancer { get; init; }
    public bool KeepMachinesOnFailure { get; init; }
    public ClusterPhase Phase { get; init; }
    public string? Reason { get; init; }
    public string? Message { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? ProvisionedAt { get; init; }
    public DateTimeOffset? DeletedAt { get; init; }
    public string? InfraNamespace { get; init; }
    public string? InfraId { get; init; }
    public string? LeaderNodeName { get; init; }
    public string? ApiEndpoint { get; init; }
    public DateTimeOffset? AdminCertificateExpiresAt { get; init; }
    public DateTimeOffset? ApiServerCertificateExpiresAt { get; init; }
    public DateTimeOffset? CertificatesCheckedAt { get; init; }
    public string? CertificatesCheckMessage { get; init; }
    public ClusterHealth? Health { get; init; }
    public string? HealthReason { get; init; }
    public DateTimeOffset? HealthSince { get; init; }
    public ClusterWatchMode? WatchMode { get; init; }
    /// <summary>Whether the admin kubeconfig is stored (the sealed text itself stays in the engine).</summary>
    public bool HasKubeconfig { get; init; }
    public IReadOnlyList<NodePoolView> Pools { get; init; } = [];
    /// <summary>The nodes not deleted.</summary>
    public IReadOnlyList<NodeView> Nodes { get; init; } = [];

    public NodePoolView? ControlPlanePool => Pools.FirstOrDefault(p => p.Role == NodeRole.ControlPlane);

    public static ClusterView Of(Cluster cluster) => new()
    {
        Id = cluster.Id,
        Namespace = cluster.Namespace,
        Name = cluster.Name,
        Description = cluster.Description,
        Label = cluster.Label,
        KubernetesVersion = cluster.KubernetesVersion,
        Cni = cluster.Cni,
        PodCidr = cluster.PodCidr,
        ServiceCidr = cluster.ServiceCidr,
        DnsDomain = cluster.DnsDomain,
        LoadBalancer = cluster.LoadBalancer,
        KeepMachinesOnFailure = cluster.KeepMachinesOnFailure,
        Phase = cluster.Phase,
        Reason = cluster.Reason,
        Message = cluster.Message,
        CreatedAt = cluster.CreatedAt,
        UpdatedAt = cluster.UpdatedAt,
        ProvisionedAt = cluster.ProvisionedAt,
        DeletedAt = cluster.DeletedAt,
        InfraNamespace = cluster.InfraNamespace,
        InfraId = cluster.InfraId,
        LeaderNodeName = cluster.LeaderNodeName,
        ApiEndpoint = cluster.ApiEndpoint,
        AdminCertificateExpiresAt = cluster.AdminCertificateExpiresAt,
        ApiServerCertificateExpiresAt = cluster.ApiServerCertificateExpiresAt,
        CertificatesCheckedAt = cluster.CertificatesCheckedAt,
        CertificatesCheckMessage = cluster.CertificatesCheckMessage,
        Health = cluster.Health,
        HealthReason = cluster.HealthReason,
        HealthSince = cluster.HealthSince,
        WatchMode = cluster.WatchMode,
        HasKubeconfig = cluster.SealedKubeconfig is not null,
        Pools = [.. cluster.Pools.Select(NodePoolView.Of)],
        Nodes = [.. cluster.Nodes.Where(n => n.DeletedAt is null).Select(NodeView.Of)],
    };
}

/// <summary>A node pool as read (see <see cref="ClusterView"/>).</summary>
public sealed record NodePoolView
{
    public Guid Id { get; init; }
    public Guid ClusterId { get; init; }
    public string Name { get; init; } = "";
    public NodeRole Role { get; init; }
    public string Connection { get; init; } = "";
    public int Count { get; init; }
    public string Spec { get; init; } = "";
    public string RootDiskType { get; init; } = "";
    public int? RootDiskSizeGb { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    public static NodePoolView Of(NodePool nodepool) => new()
    {
        Id = nodepool.Id,
        ClusterId = nodepool.ClusterId,
        Name = nodepool.Name,
        Role = nodepool.Role,
        Connection = nodepool.Connection,
        Count = nodepool.Count,
        Spec = nodepool.Spec,
        RootDiskType = nodepool.RootDiskType,
        RootDiskSizeGb = nodepool.RootDiskSizeGb,
        CreatedAt = nodepool.CreatedAt,
    };
}

/// <summary>A node as read, without its sealed SSH key (see <see cref="ClusterView"/>).</summary>
public sealed record NodeView
{
    public Guid Id { get; init; }
    public Guid ClusterId { get; init; }
    public Guid PoolId { get; init; }
    public string Name { get; init; } = "";
    public NodeRole Role { get; init; }
    public string Connection { get; init; } = "";
    public string Csp { get; init; } = "";
    public string Region { get; init; } = "";
    public string Zone { get; init; } = "";
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
    public string? PublicIp { get; init; }
    public string? PrivateIp { get; init; }
    public int SshPort { get; init; }
    public string SshUser { get; init; } = "";
    public string Spec { get; init; } = "";
    public NodeStatus Status { get; init; }
    public string? StatusMessage { get; init; }
    public string? HostKeyFingerprint { get; init; }
    public string? KubeletVersion { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DeletedAt { get; init; }
    public NodeReadiness? Readiness { get; init; }
    public string? ReadinessReason { get; init; }
    public DateTimeOffset? ReadinessSince { get; init; }
    public string? OsImage { get; init; }
    public string? ContainerRuntime { get; init; }
    public string? AllocatableCpu { get; init; }
    public string? AllocatableMemory { get; init; }
    public int? PodCount { get; init; }
    public bool Cordoned { get; init; }
    public string? TopologyLabels { get; init; }
    public EtcdMemberHealth? EtcdHealth { get; init; }

    /// <summary>The same node with what the cluster watch saw of it.</summary>
    public NodeView With(NodeWatchFacts facts) => this with
    {
        Readiness = facts.Readiness, ReadinessReason = facts.Reason, ReadinessSince = facts.Since,
        KubeletVersion = facts.KubeletVersion, OsImage = facts.OsImage, ContainerRuntime = facts.ContainerRuntime,
        AllocatableCpu = facts.AllocatableCpu, AllocatableMemory = facts.AllocatableMemory, PodCount = facts.PodCount,
        Cordoned = facts.Cordoned, TopologyLabels = facts.TopologyLabels, EtcdHealth = facts.EtcdHealth,
    };

    public static NodeView Of(Node node) => new()
    {
        Id = node.Id,
        ClusterId = node.ClusterId,
        PoolId = node.PoolId,
        Name = node.Name,
        Role = node.Role,
        Connection = node.Connection,
        Csp = node.Csp,
        Region = node.Region,
        Zone = node.Zone,
        Latitude = node.Latitude,
        Longitude = node.Longitude,
        PublicIp = node.PublicIp,
        PrivateIp = node.PrivateIp,
        SshPort = node.SshPort,
        SshUser = node.SshUser,
        Spec = node.Spec,
        Status = node.Status,
        StatusMessage = node.StatusMessage,
        HostKeyFingerprint = node.HostKeyFingerprint,
        KubeletVersion = node.KubeletVersion,
        CreatedAt = node.CreatedAt,
        DeletedAt = node.DeletedAt,
        Readiness = node.Readiness,
        ReadinessReason = node.ReadinessReason,
        ReadinessSince = node.ReadinessSince,
        OsImage = node.OsImage,
        ContainerRuntime = node.ContainerRuntime,
        AllocatableCpu = node.AllocatableCpu,
        AllocatableMemory = node.AllocatableMemory,
        PodCount = node.PodCount,
        Cordoned = node.Cordoned,
        TopologyLabels = node.TopologyLabels,
        EtcdHealth = node.EtcdHealth,
    };
}
