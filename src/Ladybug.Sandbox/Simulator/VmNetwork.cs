namespace Ladybug.Sandbox.Simulator;

/// <summary>
/// The simulated VM's interfaces and addresses ("network.json" in its state): which interface an address lives on and
/// whether systemd-networkd manages that interface, because that decides what survives a networkd restart.
/// A fresh VM looks like an Ubuntu cloud image: cloud-init writes its network config as netplan, and netplan hands the
/// NIC to systemd-networkd (cloud-init cloudinit/net/netplan.py renders /etc/netplan/50-cloud-init.yaml with the
/// networkd renderer; netplan src/networkd.c writes /run/systemd/network/10-netplan-&lt;iface&gt;.network), so the
/// NIC's DHCP address is networkd's own and anything else added to it is "foreign" to networkd.
/// </summary>
public sealed record VmNetwork
{
    public const string Document = "network";
    /// <summary>The NIC the simulated VMs print in their step output (AWS Nitro's name).</summary>
    public const string Nic = "ens5";

    public List<VmInterface> Interfaces { get; init; } = [];

    /// <summary>The VM's network as cloud-init left it at first boot.</summary>
    public static VmNetwork FirstBoot(NodeIdentity identity) => new()
    {
        Interfaces =
        [
            new VmInterface { Name = "lo", Kind = "loopback", Addresses = [new VmAddress("127.0.0.1/8", Foreign: false)] },
            new VmInterface
            {
                Name = Nic, Kind = "ether", ManagedByNetworkd = true,
                Addresses = identity.PrivateIp.Length > 0 ? [new VmAddress($"{identity.PrivateIp}/24", Foreign: false)] : [],
            },
        ],
    };

    public static VmNetwork Of(SimulatedNode node) =>
        node.Read<VmNetwork>(Document) is { Interfaces.Count: > 0 } network ? network : FirstBoot(node.Identity);

    public static VmNetwork Update(SimulatedNode node, Func<VmNetwork, VmNetwork> change) =>
        node.Update<VmNetwork>(Document, n => change(n.Interfaces.Count > 0 ? n : FirstBoot(node.Identity)));

    /// <summary>The interface that holds <paramref name="ip"/>, or null when no interface has it (what bind() and the kubelet check).</summary>
    public VmInterface? InterfaceWith(string ip) =>
        Interfaces.FirstOrDefault(i => i.Addresses.Any(a => a.Cidr.Split('/')[0] == ip));

    public bool HasAddress(string ip) => InterfaceWith(ip) is not null;

    /// <summary>
    /// <c>ip addr add ADDRESS/32 dev NAME</c>, creating NAME as a dummy interface first when it is not there
    /// (<c>ip link add NAME type dummy</c>). An address added by hand is foreign to networkd.
    /// </summary>
    public VmNetwork AddAddress(string interfaceName, string cidr, bool dummyUnmanaged)
    {
        var interfaces = Interfaces.ToList();
        var index = interfaces.FindIndex(i => i.Name == interfaceName);
        if (index < 0)
        {
            interfaces.Add(new VmInterface { Name = interfaceName, Kind = "dummy", ManagedByNetworkd = !dummyUnmanaged });
            index = interfaces.Count - 1;
        }
        var target = interfaces[index];
        if (target.Addresses.All(a => a.Cidr != cidr))
            interfaces[index] = target with { Addresses = [.. target.Addresses, new VmAddress(cidr, Foreign: true)] };
        return this with { Interfaces = interfaces };
    }

    /// <summary>
    /// <c>systemctl restart systemd-networkd</c> (also what an unattended upgrade of systemd or a <c>netplan apply</c> does):
    /// networkd configures every link it manages again and drops the addresses it did not configure itself. It leaves
    /// loopback and unmanaged links alone and keeps everything with KeepConfiguration=yes (none of the cloud images' netplan
    /// files set it). systemd src/network/networkd-link.c link_drop_foreign_config() (returns early for
    /// LINK_STATE_UNMANAGED, IFF_LOOPBACK and KEEP_CONFIGURATION_YES, otherwise link_drop_foreign_addresses()) and
    /// link_get_network() (a matching .network with Unmanaged=yes, or none at all, leaves the link unmanaged), systemd main
    /// as of 2025; the behaviour reported on Ubuntu 18.04 in systemd/systemd#13555.
    /// </summary>
    public VmNetwork RestartNetworkd() => this with
    {
        Interfaces = [.. Interfaces.Select(i => i.ManagedByNetworkd && i.Kind != "loopback"
            ? i with { Addresses = [.. i.Addresses.Where(a => !a.Foreign)] }
            : i)],
    };
}

public sealed record VmInterface
{
    public string Name { get; init; } = "";
    /// <summary>"loopback", "ether" or "dummy".</summary>
    public string Kind { get; init; } = "";
    public bool ManagedByNetworkd { get; init; }
    public List<VmAddress> Addresses { get; init; } = [];
}

/// <param name="Foreign">Added by something other than networkd (by hand, by a script).</param>
public sealed record VmAddress(string Cidr, bool Foreign);

/// <summary>The simulated VM's dpkg state ("packages.json"): what prepare installed and what it held with apt-mark.</summary>
public sealed record VmPackages
{
    public const string Document = "packages";

    public List<string> Installed { get; init; } = [];
    /// <summary>Packages unattended-upgrades leaves alone (apt-mark hold).</summary>
    public List<string> Held { get; init; } = [];
}
