namespace Ladybug.Sandbox.Simulator.Kubernetes;

/// <summary>
/// The simulated Kubernetes cluster of one Infra, shared by all its VMs ("kubernetes.json" in the Infra's cluster
/// directory, changed only under the cross-process lock of <see cref="SimulatedCluster.Update{T}"/>): what kubeadm
/// init made, which nodes joined with which labels, the etcd members and the bootstrap tokens.
/// </summary>
public sealed record KubernetesCluster
{
    public const string Document = "kubernetes";

    /// <summary>The VM that ran kubeadm init; null until then.</summary>
    public string? InitializedOn { get; init; }
    public string Name { get; init; } = "";
    /// <summary>"1.23.17".</summary>
    public string Version { get; init; } = "";
    /// <summary>controlPlaneEndpoint, "name:6443".</summary>
    public string Endpoint { get; init; } = "";
    public string PodCidr { get; init; } = "";
    public string ServiceCidr { get; init; } = "";
    public string DnsDomain { get; init; } = "";
    public List<string> CertificateSans { get; init; } = [];
    /// <summary>"canal" or "kilo" once the pod network is applied; nodes are Ready only then.</summary>
    public string? Cni { get; init; }
    /// <summary>The pod network's MTU as applied (canal veth_mtu, Kilo --mtu); null when left to auto-detection.</summary>
    public int? PodMtu { get; init; }
    public string CaCertificatePem { get; init; } = "";
    public string CaKeyPem { get; init; } = "";
    /// <summary>"sha256:&lt;hex&gt;" of the CA's public key, as kubeadm prints it.</summary>
    public string DiscoveryHash { get; init; } = "";
    /// <summary>The key the control-plane certificates were last uploaded under (they expire after two hours).</summary>
    public string? CertificateKey { get; init; }
    public DateTimeOffset? CertificatesUploadedAt { get; init; }
    public List<BootstrapToken> Tokens { get; init; } = [];
    public Dictionary<string, KubeNode> Nodes { get; init; } = new(StringComparer.Ordinal);
    public List<EtcdMember> EtcdMembers { get; init; } = [];
    /// <summary>Where the controller manager's node CIDR allocator looks first for the next node's podCIDR.</summary>
    public int PodCidrNextCandidate { get; init; }
    /// <summary>A control plane in the middle of joining (its etcd member added, not yet started).</summary>
    public string? ControlPlaneJoining { get; init; }

    /// <summary>
    /// Each control plane's leaf certificates by node name. kubeadm issues them all at once (init, join, certs renew), so
    /// one set of dates stands for apiserver.crt, the etcd and front-proxy ones and the client certificates embedded in
    /// admin.conf, controller-manager.conf and scheduler.conf.
    /// </summary>
    public Dictionary<string, ControlPlaneCertificates> Certificates { get; init; } = new(StringComparer.Ordinal);

    public bool IsInitialized => InitializedOn is not null;

    public bool IsReady(KubeNode node) => Cni is not null && node.Joined;
}

public sealed record BootstrapToken(string Token, DateTimeOffset Expires);

public sealed record CertificateDates(DateTimeOffset NotBefore, DateTimeOffset NotAfter);

/// <summary>
/// A control plane's certificates as written under /etc/kubernetes (<paramref name="OnDisk"/>) and as its running
/// kube-apiserver loaded them when it last started (<paramref name="Served"/>): a renewal changes the files, and only a
/// restart of the static pod makes the API server serve them.
/// </summary>
public sealed record ControlPlaneCertificates(CertificateDates OnDisk, CertificateDates Served)
{
    public static ControlPlaneCertificates Started(CertificateDates dates) => new(dates, dates);
}

/// <summary>A Node object of the simulated API server.</summary>
public sealed record KubeNode
{
    public string Name { get; init; } = "";
    /// <summary>"control-plane" or "worker".</summary>
    public string Role { get; init; } = "";
    /// <summary>The VM (node id) it runs on.</summary>
    public string Machine { get; init; } = "";
    public string InternalIp { get; init; } = "";
    /// <summary>spec.podCIDR, allocated by the controller manager when the node registers; empty when none was free.</summary>
    public string PodCidr { get; init; } = "";
    public string KubeletVersion { get; init; } = "";
    public string ContainerRuntime { get; init; } = "";
    public string OsImage { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>False after the node's kubeadm reset: the object stays (as real kubeadm leaves it) but goes NotReady.</summary>
    public bool Joined { get; init; } = true;
    public bool Unschedulable { get; init; }
    public SortedDictionary<string, string> Labels { get; init; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, string> Annotations { get; init; } = new(StringComparer.Ordinal);
}

public sealed record EtcdMember(string Id, string Name, string PeerUrl);

/// <summary>What one VM's kubeadm, kubelet and runtime know about themselves ("kubeadm.json" in the VM's state).</summary>
public sealed record NodeKubeState
{
    public const string Document = "kubeadm";

    /// <summary>The node name prepare set as the hostname; null until prepared.</summary>
    public string? NodeName { get; init; }
    public string Version { get; init; } = "";
    /// <summary>"docker" or "containerd".</summary>
    public string Runtime { get; init; } = "";
    public bool WireGuard { get; init; }
    public string? PublicIp { get; init; }
    public List<string> HaproxyBackends { get; init; } = [];
    /// <summary>"control-plane" or "worker" once kubeadm init/join succeeded here; null again after reset.</summary>
    public string? JoinedAs { get; init; }

    public bool IsPrepared => NodeName is not null;
}
