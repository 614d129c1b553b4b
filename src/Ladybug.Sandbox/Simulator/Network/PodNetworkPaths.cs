namespace Ladybug.Sandbox.Simulator.Network;

/// <summary>
/// Whether the pod network's tunnel carries traffic between two VMs, decided by the same security groups as every other
/// connection (<see cref="NetworkPaths"/>). A node is Ready whatever this says: kubelet's network condition only wants
/// the CNI config, and no CNI pod's probe crosses nodes (docs/sandbox-fidelity/network.md).
/// </summary>
public static class PodNetworkPaths
{
    /// <summary>
    /// flannel creates flannel.1 without a port (Port is 0 unless the net-conf's Backend sets one: flannel
    /// pkg/backend/vxlan/vxlan.go:124-135 @v0.24.4, the flannel of Calico manifests/canal.yaml @v3.30.3, whose Backend
    /// is only {"Type": "vxlan"}), so the kernel's default applies: <c>vxlan_port = 8472</c> (linux drivers/net/vxlan/vxlan_core.c).
    /// </summary>
    public const int VxlanPort = 8472;

    /// <summary>Kilo's WireGuard listen port (squat/kilo cmd/kg/main.go:155 --port, pkg/mesh/backend.go:33 DefaultKiloPort @0.7.0).</summary>
    public const int WireGuardPort = 51820;

    /// <summary>
    /// canal: VXLAN is one-way encapsulation to the peer's 8472 from a port the kernel hashes per flow
    /// (udp_flow_src_port), so a request and its answer are two unrelated UDP flows: each node's security group must let
    /// 8472/udp in from the other. kilo: WireGuard talks 51820 to 51820 both ways, and every Ladybug node sends
    /// keepalives to all its peers (the label step's kilo.squat.ai/persistent-keepalive; squat/kilo
    /// pkg/mesh/topology.go:317-350 Conf, PersistentKeepaliveInterval on every peer @0.7.0), so once one side's handshake gets
    /// in, the clouds' stateful security groups let the answers and the other side's traffic back on the same flow:
    /// one open side is enough.
    /// </summary>
    public static bool Carries(NetworkDocument network, string cni, string fromNodeId, string toNodeId)
    {
        var from = network.Nodes.GetValueOrDefault(fromNodeId);
        var to = network.Nodes.GetValueOrDefault(toNodeId);
        // A VM no cloud published (a simulator run without the emulator) has no network to model.
        if (from is null || to is null) return true;
        bool Udp(NetworkNode source, NetworkNode target, int port) =>
            NetworkPaths.Connect(network, source.NodeId, target.PublicIp, "udp", port, checkListener: false) == Reach.Connected;
        return cni == "kilo"
            ? Udp(from, to, WireGuardPort) || Udp(to, from, WireGuardPort)
            : Udp(from, to, VxlanPort) && Udp(to, from, VxlanPort);
    }
}
