using Ladybug.Engine.Domain;

namespace Ladybug.Engine.Bootstrap;

/// <summary>
/// The pod network's MTU: the smallest path MTU between the cluster's clouds less the tunnel's headers, so that no
/// tunnelled packet is fragmented or (with DF set) dropped on the way. The numbers and their sources are in
/// docs/cloud-requirements.md, section "MTU".
/// </summary>
public static class PodNetworkMtu
{
    /// <summary>Outer IPv4 (20) + UDP (8) + VXLAN (8) + inner Ethernet (14): what flannel takes off its device's MTU.</summary>
    public const int VxlanOverhead = 50;

    /// <summary>Kilo's own figure (squat/kilo pkg/wireguard/wireguard.go:29-31 @0.7.0 WireGuardOverhead); covers an IPv6 outer header too.</summary>
    public const int WireGuardOverhead = 80;

    /// <summary>For a cloud not in the table: an OpenStack-style tenant network (VXLAN underneath, 1450) with room to spare.</summary>
    public const int UnknownUnderlay = 1400;

    /// <summary>The largest packet a VM of <paramref name="csp"/> can send to another cloud over public IPs without fragmentation.</summary>
    public static int UnderlayOf(string csp) => csp.Trim().ToLowerInvariant() switch
    {
        "aws" => 1500,      // EC2 "Network MTU": 1500 through an internet gateway and between Regions (9001 only inside a VPC).
        "gcp" => 1460,      // VPC networks default to an MTU of 1460.
        "azure" => 1400,    // Azure's virtual network stack fragments packets above 1400 bytes although the VM NIC says 1500.
        "alibaba" or "tencent" or "ibm" => 1500,
        _ => UnknownUnderlay,
    };

    /// <param name="csps">The CSP of every node (or pool) of the cluster.</param>
    public static int For(Cni cni, IEnumerable<string> csps)
    {
        var underlay = csps.Select(UnderlayOf).DefaultIfEmpty(UnknownUnderlay).Min();
        return underlay - (cni == Cni.Kilo ? WireGuardOverhead : VxlanOverhead);
    }
}
