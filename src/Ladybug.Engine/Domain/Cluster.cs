namespace Ladybug.Engine.Domain;

/// <summary>A cluster as stored: what was asked (spec fields, pools) and what exists (phase, nodes, infra).</summary>
public sealed class Cluster
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public string Namespace { get; set; } = ClusterSpec.DefaultNamespace;
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public string Label { get; set; } = "";
    public string KubernetesVersion { get; set; } = "";
    public Cni Cni { get; set; }
    public string PodCidr { get; set; } = "";
    public string ServiceCidr { get; set; } = "";
    public string DnsDomain { get; set; } = "";
    public LoadBalancerMode LoadBalancer { get; set; }
    public bool KeepMachinesOnFailure { get; set; }

    public ClusterPhase Phase { get; set; } = ClusterPhase.Pending;
    /// <summary>A <see cref="FailureReason"/> code when the phase is Failed.</summary>
    public string? Reason { get; set; }
    public string? Message { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? ProvisionedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>The Tumblebug namespace and Infra holding this cluster's machines.</summary>
    public string? InfraNamespace { get; set; }
    public string? InfraId { get; set; }
    /// <summary>Name of the first control-plane node, where kubeadm init ran.</summary>
    public string? LeaderNodeName { get; set; }
    /// <summary>The API endpoint written into kubeconfigs (https://host:port).</summary>
    public string? ApiEndpoint { get; set; }
    /// <summary>Admin kubeconfig, sealed with Data Protection.</summary>
    public string? SealedKubeconfig { get; set; }

    /// <summary>notAfter of the client certificate in the stored admin kubeconfig; null until read.</summary>
    public DateTimeOffset? AdminCertificateExpiresAt { get; set; }
    /// <summary>The earliest notAfter among the serving certificates the control planes' API servers presented.</summary>
    public DateTimeOffset? ApiServerCertificateExpiresAt { get; set; }
    /// <summary>When the certificates were last read (see Certificates/CertificateChecker).</summary>
    public DateTimeOffset? CertificatesCheckedAt { get; set; }
    /// <summary>What the last read could not do (an API server that did not answer), or null.</summary>
    public string? CertificatesCheckMessage { get; set; }
    /// <summary>What the cluster watch last concluded, apart from the phase; null until a Provisioned cluster was first watched.</summary>
    public ClusterHealth? Health { get; set; }
    /// <summary>Why the cluster is Degraded or Unreachable, in words; null when Healthy.</summary>
    public string? HealthReason { get; set; }
    public DateTimeOffset? HealthSince { get; set; }
    /// <summary>How the watch reads the nodes now: through the API endpoint, or kubectl over SSH on a control plane.</summary>
    public ClusterWatchMode? WatchMode { get; set; }

    public List<NodePool> Pools { get; set; } = [];
    public List<Node> Nodes { get; set; } = [];

    public NodePool? ControlPlanePool => Pools.FirstOrDefault(p => p.Role == NodeRole.ControlPlane);

    public void SetPhase(ClusterPhase phase, DateTimeOffset now, string? reason = null, string? message = null)
    {
        Phase = phase;
        // Like cb-mcks: reason and message describe failures only.
        Reason = phase == ClusterPhase.Failed ? reason : null;
        Message = phase == ClusterPhase.Failed || message is not null ? message : null;
        UpdatedAt = now;
        if (phase == ClusterPhase.Provisioned) ProvisionedAt ??= now;
        if (phase == ClusterPhase.Deleted) DeletedAt ??= now;
    }

    public static Cluster FromSpec(ClusterSpec spec, DateTimeOffset now)
    {
        KubernetesVersionCatalog.TryFind(spec.KubernetesVersion, out _, out var version);
        var cluster = new Cluster
        {
            Namespace = spec.Namespace,
            Name = spec.Name,
            Description = spec.Description ?? "",
            Label = spec.Label ?? "",
            KubernetesVersion = version,
            Cni = spec.Cni,
            PodCidr = spec.PodCidr.Trim(),
            ServiceCidr = spec.ServiceCidr.Trim(),
            DnsDomain = spec.DnsDomain.Trim(),
            LoadBalancer = spec.LoadBalancer,
            KeepMachinesOnFailure = spec.KeepMachinesOnFailure,
            CreatedAt = now,
            UpdatedAt = now,
        };
        cluster.Pools.Add(NodePool.FromSpec(cluster, "cp", NodeRole.ControlPlane, spec.ControlPlane));
        for (var i = 0; i < spec.WorkerPools.Count; i++)
            cluster.Pools.Add(NodePool.FromSpec(cluster, cluster.NextWorkerPoolName(), NodeRole.Worker, spec.WorkerPools[i]));
        return cluster;
    }

    /// <summary>Worker pools are named w1, w2, … and never reuse a name, so node names stay unique for the cluster's life.</summary>
    public string NextWorkerPoolName()
    {
        var used = Pools.Where(p => p.Role == NodeRole.Worker)
            .Select(p => int.TryParse(p.Name.AsSpan(1), out var n) ? n : 0)
            .DefaultIfEmpty(0).Max();
        return $"w{used + 1}";
    }
}

public sealed class NodePool
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid ClusterId { get; set; }
    /// <summary>"cp" or "w1", "w2"…; also the Tumblebug node-group name.</summary>
    public string Name { get; set; } = "";
    public NodeRole Role { get; set; }
    public string Connection { get; set; } = "";
    public int Count { get; set; }
    public string Spec { get; set; } = "";
    public string RootDiskType { get; set; } = "default";
    public int? RootDiskSizeGb { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public static NodePool FromSpec(Cluster cluster, string name, NodeRole role, NodePoolSpec spec) => new()
    {
        ClusterId = cluster.Id,
        Name = name,
        Role = role,
        Connection = spec.Connection.Trim(),
        Count = spec.Count,
        Spec = spec.Spec.Trim(),
        RootDiskType = string.IsNullOrWhiteSpace(spec.RootDiskType) ? "default" : spec.RootDiskType.Trim(),
        RootDiskSizeGb = spec.RootDiskSizeGb,
        CreatedAt = cluster.UpdatedAt,
    };
}

/// <summary>A machine that exists (or existed) and what Kubernetes made of it.</summary>
public sealed class Node
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid ClusterId { get; set; }
    public Guid PoolId { get; set; }
    /// <summary>Tumblebug node id; also the hostname and the Kubernetes node name.</summary>
    public string Name { get; set; } = "";
    public NodeRole Role { get; set; }
    public string Connection { get; set; } = "";
    public string Csp { get; set; } = "";
    public string Region { get; set; } = "";
    public string Zone { get; set; } = "";
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public string? PublicIp { get; set; }
    public string? PrivateIp { get; set; }
    public int SshPort { get; set; } = 22;
    public string SshUser { get; set; } = "cb-user";
    public string Spec { get; set; } = "";
    public NodeStatus Status { get; set; } = NodeStatus.Pending;
    public string? StatusMessage { get; set; }
    /// <summary>SSH private key, sealed with Data Protection.</summary>
    public string? SealedSshPrivateKey { get; set; }
    /// <summary>SHA256 host-key fingerprint pinned on first connect.</summary>
    public string? HostKeyFingerprint { get; set; }
    public string? KubeletVersion { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }

    // What the cluster watch last saw of the Kubernetes Node (null until first watched).
    /// <summary>The Node's Ready condition: True, False or Unknown as Ready, NotReady, Unknown.</summary>
    public NodeReadiness? Readiness { get; set; }
    public string? ReadinessReason { get; set; }
    /// <summary>The Ready condition's lastTransitionTime.</summary>
    public DateTimeOffset? ReadinessSince { get; set; }
    public string? OsImage { get; set; }
    public string? ContainerRuntime { get; set; }
    /// <summary>status.allocatable as Kubernetes quantities ("2", "3900Mi").</summary>
    public string? AllocatableCpu { get; set; }
    public string? AllocatableMemory { get; set; }
    /// <summary>Pods bound to the node that have not finished.</summary>
    public int? PodCount { get; set; }
    /// <summary>spec.unschedulable.</summary>
    public bool Cordoned { get; set; }
    /// <summary>The node's topology.* labels as "key=value" lines, sorted.</summary>
    public string? TopologyLabels { get; set; }
    /// <summary>Control planes only: whether the node's etcd static pod is Ready.</summary>
    public EtcdMemberHealth? EtcdHealth { get; set; }
}
