using System.Net;

namespace Ladybug.Sandbox.Simulator.Kubernetes;

/// <summary>
/// The controller manager's node IPAM (kubeadm runs it with --allocate-node-cidrs=true --cluster-cidr=&lt;podSubnet&gt;):
/// every registered node gets a /24 of the pod CIDR (kube-controller-manager's default --node-cidr-mask-size-ipv4, 24),
/// the first free one from the candidate after the last one handed out (kubernetes
/// pkg/controller/nodeipam/ipam/cidrset/cidr_set.go AllocateNext); a deleted node's range is free again.
/// </summary>
internal static class NodeIpam
{
    public const int NodeMaskSize = 24;

    /// <summary>Adds or replaces <paramref name="node"/>; a node registering again keeps the podCIDR it had.</summary>
    public static KubernetesCluster Register(KubernetesCluster cluster, KubeNode node)
    {
        var nodes = new Dictionary<string, KubeNode>(cluster.Nodes, StringComparer.Ordinal);
        if (nodes.GetValueOrDefault(node.Name) is { PodCidr.Length: > 0 } existing)
        {
            nodes[node.Name] = node with { PodCidr = existing.PodCidr };
            return cluster with { Nodes = nodes };
        }
        var (podCidr, next) = AllocateNext(cluster);
        nodes[node.Name] = node with { PodCidr = podCidr ?? "" };
        return cluster with { Nodes = nodes, PodCidrNextCandidate = next };
    }

    private static (string? Cidr, int Next) AllocateNext(KubernetesCluster cluster)
    {
        var parts = cluster.PodCidr.Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var network) || !int.TryParse(parts[1], out var prefix) || prefix > NodeMaskSize)
            return (null, cluster.PodCidrNextCandidate);
        var max = 1 << (NodeMaskSize - prefix);
        var used = cluster.Nodes.Values.Select(n => n.PodCidr).Where(c => c.Length > 0).ToHashSet(StringComparer.Ordinal);
        var start = cluster.PodCidrNextCandidate % max;
        for (var i = 0; i < max; i++)
        {
            var candidate = (start + i) % max;
            var cidr = $"{ToAddress(ToUInt(network) | (uint)candidate << (32 - NodeMaskSize))}/{NodeMaskSize}";
            if (!used.Contains(cidr)) return (cidr, (candidate + 1) % max);
        }
        return (null, cluster.PodCidrNextCandidate);
    }

    public static uint ToUInt(IPAddress address)
    {
        var b = address.GetAddressBytes();
        return (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
    }

    public static string ToAddress(uint value) => new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]).ToString();
}
