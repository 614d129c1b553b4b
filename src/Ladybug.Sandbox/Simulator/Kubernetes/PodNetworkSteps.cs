using Ladybug.Sandbox.Simulator.Network;

namespace Ladybug.Sandbox.Simulator.Kubernetes;

// The pod-network check the engine runs once nodes are Ready: overlay-addresses on the leader, pod-network on every node.

/// <summary>Where each node's tunnel answers, as its CNI publishes it.</summary>
internal static class PodOverlay
{
    /// <summary>Kilo's default --subnet for WireGuard addresses (squat/kilo pkg/mesh/backend.go:38-39 @0.7.0).</summary>
    private const string KiloSubnet = "10.4.0.0";
    private const int KiloPrefix = 16;

    /// <summary>
    /// What overlay-addresses prints for <paramref name="node"/>, or null while there is nothing to print (the script
    /// waits). canal: spec.podCIDR, set by the controller manager whether or not flannel runs. kilo: the
    /// kilo.squat.ai/wireguard-ip annotation, which only a running Kilo writes (squat/kilo pkg/k8s/backend.go:216-233 @0.7.0).
    /// </summary>
    public static string? Published(KubernetesCluster cluster, string cni, KubeNode node) => cni switch
    {
        "canal" => node.PodCidr.Length > 0 ? node.PodCidr : null,
        _ => cluster.Cni == "kilo" && WireGuardIp(cluster, node.Name) is { } ip ? $"{ip}/{KiloPrefix}" : null,
    };

    /// <summary>
    /// The address a node's tunnel interface holds. canal: flanneld puts the network address of the node's podCIDR on
    /// flannel.1 as a /32 (flannel pkg/backend/vxlan/vxlan.go:211-218 @v0.24.4, the lease being spec.podCIDR with
    /// --kube-subnet-mgr, pkg/subnet/kube/kube.go:296-314). kilo: see <see cref="WireGuardIp"/>.
    /// </summary>
    public static string? Address(KubernetesCluster cluster, string cni, KubeNode node) => cni == "canal"
        ? (node.PodCidr.Length > 0 ? node.PodCidr.Split('/')[0] : null)
        : WireGuardIp(cluster, node.Name);

    /// <summary>
    /// With --mesh-granularity=full every node is its own location "node:&lt;name&gt;"; the locations are sorted and
    /// each one's leader gets the next address of the subnet, from .1 (squat/kilo pkg/mesh/topology.go:110-129, 205-231,
    /// pkg/mesh/ip.go:79-110 @0.7.0). Only nodes Kilo considers ready (checking in, with a podCIDR: pkg/mesh/backend.go:83-90) take part, so the addresses
    /// move when nodes come and go, as in Kilo.
    /// </summary>
    public static string? WireGuardIp(KubernetesCluster cluster, string name) => WireGuardIps(cluster).GetValueOrDefault(name);

    /// <summary><see cref="WireGuardIp"/> of every node at once, from one sort of the locations.</summary>
    private static Dictionary<string, string> WireGuardIps(KubernetesCluster cluster)
    {
        var first = NodeIpam.ToUInt(System.Net.IPAddress.Parse(KiloSubnet)) + 1;
        return cluster.Nodes.Values.Where(n => n.Joined && n.PodCidr.Length > 0)
            .Select(n => n.Name).OrderBy(n => "node:" + n, StringComparer.Ordinal)
            .Select((name, index) => (name, index))
            .ToDictionary(l => l.name, l => NodeIpam.ToAddress(first + (uint)l.index), StringComparer.Ordinal);
    }

    /// <summary>
    /// Every joined node with its tunnel address (<see cref="Address"/>), in the cluster's order: pod-network looks up
    /// each peer among every node, and sorting Kilo's locations for each node of each lookup made 51 × 50 sorts per command.
    /// </summary>
    public static IReadOnlyList<(KubeNode Node, string? Address)> Tunnels(KubernetesCluster cluster, string cni)
    {
        var wireGuard = cni == "canal" ? null : WireGuardIps(cluster);
        return cluster.Nodes.Values.Where(n => n.Joined)
            .Select(n => (n, cni == "canal" ? (n.PodCidr.Length > 0 ? n.PodCidr.Split('/')[0] : null) : wireGuard!.GetValueOrDefault(n.Name)))
            .ToList();
    }
}

/// <summary><c>overlay-addresses</c>: one <c>ladybug-overlay: name address</c> line per given node, waiting for the CNI to publish it.</summary>
internal sealed class OverlayAddressesStep : KubernetesStep
{
    public override string Name => "overlay-addresses";

    protected override async Task<int> RunAsync(NodeStepContext context, StepArguments args)
    {
        var cni = args.OneOf("cni", "canal", "kilo");
        var timeout = args.Seconds("timeout-seconds");
        var names = args.List("node");
        var cluster = RequireAdmin(context);
        var lines = new List<string>();
        foreach (var name in names)
        {
            if (!cluster.Nodes.TryGetValue(name, out var node))
            {
                await context.WorkAsync(lines);
                throw new NodeStepFailure($"Error from server (NotFound): nodes \"{name}\" not found", 1, verbatim: true);
            }
            if (PodOverlay.Published(cluster, cni, node) is not { } address)
            {
                // Nothing changes while a simulated node waits: say at once what the real wait says at its end.
                await context.WorkAsync(lines);
                throw new NodeStepFailure($"node {name} has no {cni} overlay address after {timeout}s");
            }
            lines.Add($"ladybug-overlay: {name} {address}");
        }
        await context.WorkAsync(lines);
        return 0;
    }
}

/// <summary>
/// <c>pod-network</c>: pings each peer's tunnel address from this node. The answer comes only if both nodes run the
/// cluster's CNI and their security groups let the tunnel through (<see cref="PodNetworkPaths"/>); an unanswered
/// peer is reported, not failed on, as the script does.
/// </summary>
internal sealed class PodNetworkStep : KubernetesStep
{
    public override string Name => "pod-network";

    protected override async Task<int> RunAsync(NodeStepContext context, StepArguments args)
    {
        var cni = args.OneOf("cni", "canal", "kilo");
        var timeout = args.Seconds("timeout-seconds");
        var peers = args.List("peer").Select(Parse).ToList();
        var state = NodeState(context);
        var cluster = Cluster(context);
        var network = NodeNetwork.Read(context);
        var self = context.Node.Identity.Id;
        // This node's own end of the tunnel: it must be in the cluster, running the CNI.
        var tunnels = PodOverlay.Tunnels(cluster, cni);
        var tunnelUp = state.JoinedAs is not null && cluster.Cni == cni
            && tunnels.Any(t => t.Node.Machine == self && t.Address is not null);

        var results = new List<string>();
        foreach (var (name, address) in peers)
        {
            KubeNode? target = tunnels.FirstOrDefault(t => t.Address == address).Node;
            var reachable = tunnelUp && target is not null && target.Machine != self && PodNetworkPaths.Carries(network, cni, self, target.Machine);
            if (!reachable)
            {
                await context.Error.WriteLineAsync($"--- {address} ping statistics ---");
                await context.Error.WriteLineAsync("1 packets transmitted, 0 received, 100% packet loss, time 0ms");
            }
            results.Add($"ladybug-pod-network: {name} {address} {(reachable ? "reachable" : "unreachable")}");
        }
        await context.WorkAsync([Log($"pinging {peers.Count} peer(s) through the {cni} tunnel (up to {timeout}s each, all at once)"), .. results]);
        return 0;
    }

    private static (string Name, string Address) Parse(string value)
    {
        var parts = value.Split(',');
        if (parts.Length != 2 || !NodeNamePattern().IsMatch(parts[0]))
            throw new NodeStepFailure($"--peer={value} is not name,address");
        return (parts[0], StepArguments.CheckIpv4("peer", parts[1]));
    }
}
