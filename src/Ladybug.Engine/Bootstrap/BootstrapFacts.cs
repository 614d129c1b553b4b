using Ladybug.Engine.Domain;

namespace Ladybug.Engine.Bootstrap;

/// <summary>What the scripts need to know about one node.</summary>
public sealed record NodeFacts(string Name, NodeRole Role, string PublicIp, string? PrivateIp, string Csp, string Region, string Zone)
{
    public static NodeFacts From(Node node) => new(
        node.Name, node.Role,
        node.PublicIp ?? throw new InvalidOperationException($"Node '{node.Name}' has no public IP."),
        node.PrivateIp, node.Csp, node.Region, node.Zone);
}

/// <summary>
/// What the scripts need to know about the cluster. The API endpoint is a fixed name that every node
/// maps in /etc/hosts (control planes to themselves, workers to their local haproxy in HA or to the
/// leader otherwise); people and the stored kubeconfig use the leader's public IP instead.
/// </summary>
public sealed record ClusterFacts(
    string Name,
    string KubernetesVersion,
    KubernetesMinor Minor,
    Cni Cni,
    string PodCidr,
    string ServiceCidr,
    string DnsDomain,
    LoadBalancerMode LoadBalancer,
    string EndpointHost,
    IReadOnlyList<NodeFacts> ControlPlanes)
{
    public const int ApiServerPort = 6443;

    /// <summary>
    /// Stacked etcd listens on every address: kubeadm's default listeners are the advertise (public) address, where the
    /// cloud's NAT never delivers (it rewrites traffic to the private one). It still advertises the public address.
    /// </summary>
    public const string EtcdListenClientUrls = "https://0.0.0.0:2379";
    public const string EtcdListenPeerUrls = "https://0.0.0.0:2380";

    /// <summary>controlPlaneEndpoint: the fixed name and the API server port.</summary>
    public string Endpoint => $"{EndpointHost}:{ApiServerPort}";

    /// <summary>The control plane kubeadm init ran on (always first in <see cref="ControlPlanes"/>).</summary>
    public NodeFacts Leader => ControlPlanes[0];

    /// <summary>3 or 5 control planes behind a haproxy on every worker.</summary>
    public bool UsesNodeLocalLoadBalancer => ControlPlanes.Count > 1 && LoadBalancer == LoadBalancerMode.Haproxy;

    /// <summary>Where a worker's endpoint name points.</summary>
    public string WorkerEndpointIp => UsesNodeLocalLoadBalancer ? "127.0.0.1" : Leader.PublicIp;

    /// <summary>The server written into the kubeconfig people download.</summary>
    public string PublicApiServer => $"https://{Leader.PublicIp}:{ApiServerPort}";

    /// <summary>The API certificate is valid for the endpoint name and every control plane's public IP.</summary>
    public IReadOnlyList<string> CertificateSans =>
        [EndpointHost, .. ControlPlanes.Select(c => c.PublicIp).Distinct(StringComparer.Ordinal)];

    /// <param name="nodes">Every live node of the cluster (deleted ones are ignored).</param>
    public static ClusterFacts From(Cluster cluster, IEnumerable<Node> nodes, string endpointHost)
    {
        if (!KubernetesVersionCatalog.TryFind(cluster.KubernetesVersion, out var minor, out var version))
            throw new InvalidOperationException($"Kubernetes version '{cluster.KubernetesVersion}' of cluster '{cluster.Name}' is not in the catalog.");
        var controlPlanes = nodes.Where(n => n.Role == NodeRole.ControlPlane && n.DeletedAt is null && n.PublicIp is not null)
            .OrderBy(n => n.Name == cluster.LeaderNodeName ? 0 : 1).ThenBy(n => n.Name, StringComparer.Ordinal)
            .Select(NodeFacts.From)
            .ToList();
        if (controlPlanes.Count == 0)
            throw new InvalidOperationException($"Cluster '{cluster.Name}' has no control-plane node with a public IP.");
        return new ClusterFacts(cluster.Name, version, minor, cluster.Cni, cluster.PodCidr, cluster.ServiceCidr, cluster.DnsDomain,
            cluster.LoadBalancer, endpointHost, controlPlanes);
    }
}

/// <summary>What a node needs to join: the values of a <c>kubeadm join</c> command.</summary>
public sealed record JoinCredentials(string Endpoint, string Token, string DiscoveryHash, string? CertificateKey)
{
    public IReadOnlyList<string> Secrets => CertificateKey is null
        ? [Token, DiscoveryHashValue]
        : [Token, DiscoveryHashValue, CertificateKey];

    /// <summary>The hex digest without its "sha256:" prefix.</summary>
    public string DiscoveryHashValue => DiscoveryHash.StartsWith("sha256:", StringComparison.Ordinal) ? DiscoveryHash["sha256:".Length..] : DiscoveryHash;
}
