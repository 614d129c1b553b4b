using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Ladybug.Sandbox.Simulator.Network;

/// <summary>
/// The network between one Infra's VMs ("network.json" in its cluster directory): per node its public and private
/// address and the inbound rules of its security group (written by the emulator), and what listens where (written
/// by the simulated steps). Cloud VMs get a private address on their NIC and a public one by 1:1 NAT at the edge:
/// traffic sent to the public address arrives addressed to the private one.
/// </summary>
public sealed record NetworkDocument
{
    public const string Document = "network";

    public Dictionary<string, NetworkNode> Nodes { get; init; } = new(StringComparer.Ordinal);

    /// <summary>etcd's listen URLs from the kubeadm ClusterConfiguration (cluster-wide, so every control plane gets them); null = kubeadm's defaults.</summary>
    public EtcdListenUrls? Etcd { get; init; }

    public NetworkNode? FindByAddress(string ip) =>
        Nodes.Values.FirstOrDefault(n => n.PublicIp == ip) ?? Nodes.Values.FirstOrDefault(n => n.PrivateIp == ip);
}

public sealed record EtcdListenUrls(string? ClientUrls, string? PeerUrls);

public sealed record NetworkNode
{
    public string NodeId { get; init; } = "";
    public string PublicIp { get; init; } = "";
    public string PrivateIp { get; init; } = "";
    /// <summary>"{infraId}-{nodeGroup}", as Tumblebug v0.13 names a node group's security group.</summary>
    public string SecurityGroup { get; init; } = "";
    public List<InboundRule> Inbound { get; init; } = [];
    public List<Listener> Listeners { get; init; } = [];
}

/// <summary>One inbound rule: protocol ("tcp", "udp", "icmp" or "all"), a port range (ignored for icmp) and the source CIDR.</summary>
public sealed record InboundRule(string Protocol, int FromPort, int ToPort, string Cidr)
{
    public bool Allows(string protocol, int port, string sourceIp) =>
        (Protocol == "all" || Protocol == protocol)
        && (protocol == "icmp" || port >= FromPort && port <= ToPort)
        && CidrContains(Cidr, sourceIp);

    public override string ToString() => Protocol == "icmp" ? $"icmp from {Cidr}"
        : FromPort == ToPort ? $"{FromPort}/{Protocol} from {Cidr}" : $"{FromPort}-{ToPort}/{Protocol} from {Cidr}";

    public static bool CidrContains(string cidr, string ip)
    {
        var parts = cidr.Split('/');
        if (!IPAddress.TryParse(parts[0], out var network) || !IPAddress.TryParse(ip, out var address)
            || network.AddressFamily != AddressFamily.InterNetwork || address.AddressFamily != AddressFamily.InterNetwork)
            return false;
        var bits = parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var b) ? b : 32;
        if (bits is < 0 or > 32) return false;
        var mask = bits == 0 ? 0u : uint.MaxValue << (32 - bits);
        return (ToUInt(network) & mask) == (ToUInt(address) & mask);
    }

    private static uint ToUInt(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
    }
}

/// <summary>A socket some process on the node listens on: "0.0.0.0", the private or the public address.</summary>
public sealed record Listener(string Protocol, string Address, int Port, string Process);

public enum Reach
{
    /// <summary>The TCP handshake (or UDP delivery) succeeds.</summary>
    Connected,
    /// <summary>A security group dropped it: the client waits until it gives up ("i/o timeout").</summary>
    Dropped,
    /// <summary>Delivered, but nothing listens on the address it arrived at ("connection refused").</summary>
    Refused,
}

/// <summary>Decides what happens to one connection between two VMs of the Infra.</summary>
public static class NetworkPaths
{
    /// <summary>
    /// A connection from <paramref name="sourceNodeId"/> to <paramref name="targetIp"/>:<paramref name="port"/>.
    /// Cross-cloud traffic leaves through the source's public address, so the target's rules see that address as the
    /// source; the target's NAT then delivers it to its private address, where a listener must be bound (0.0.0.0 or
    /// the private address). A target the document does not know (no emulator wrote it) is not modelled: Connected.
    /// </summary>
    public static Reach Connect(NetworkDocument network, string sourceNodeId, string targetIp, string protocol, int port, bool checkListener = true)
    {
        var target = network.FindByAddress(targetIp);
        var source = network.Nodes.GetValueOrDefault(sourceNodeId);
        if (target is null || source is null) return Reach.Connected;
        if (target.NodeId == source.NodeId)
            // Local delivery keeps the address it was sent to: the public /32 alias answers locally.
            return !checkListener || Listens(target, protocol, port, targetIp) ? Reach.Connected : Reach.Refused;
        if (!target.Inbound.Any(r => r.Allows(protocol, port, source.PublicIp)))
            return Reach.Dropped;
        var arrivesAt = targetIp == target.PublicIp ? target.PrivateIp : targetIp;
        return !checkListener || Listens(target, protocol, port, arrivesAt) ? Reach.Connected : Reach.Refused;
    }

    private static bool Listens(NetworkNode node, string protocol, int port, string address) =>
        node.Listeners.Any(l => l.Protocol == protocol && l.Port == port && (l.Address == "0.0.0.0" || l.Address == address));

    /// <summary>Go's net error text for a failed dial, as the tools print it.</summary>
    public static string DialError(Reach reach, string ip, int port) => reach switch
    {
        Reach.Dropped => $"dial tcp {ip}:{port}: i/o timeout",
        Reach.Refused => $"dial tcp {ip}:{port}: connect: connection refused",
        _ => "",
    };
}
