using System.Net;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Infrastructure;

namespace Ladybug.Engine.Bootstrap;

/// <summary>
/// The ports a Ladybug cluster needs open (docs/cloud-requirements.md). Node-to-node traffic between clouds arrives
/// from the nodes' public addresses, which do not exist yet when the security group is made, so those ports are open
/// to any source: only the ports Kubernetes and the pod network listen on, never every port.
/// </summary>
public static class ClusterFirewallPolicy
{
    public const string AnySource = "0.0.0.0/0";

    public static ClusterFirewall For(Cni cni, NetworkOptions options)
    {
        var admin = AdminCidrs(options);
        var rules = new List<FirewallRule>();
        foreach (var cidr in admin)
        {
            rules.Add(new("TCP", "22", cidr, "SSH: Ladybug bootstraps every node"));
            rules.Add(new("TCP", "6443", cidr, "Kubernetes API for Ladybug and kubeconfig users"));
        }
        if (!admin.Contains(AnySource))
            // Workers (their haproxy, kubelet and kube-proxy) reach the API servers from their own public addresses.
            rules.Add(new("TCP", "6443", AnySource, "Kubernetes API for the other nodes"));
        rules.Add(new("TCP", "10250", AnySource, "kubelet API (logs, exec, metrics) from the API servers"));
        rules.Add(new("TCP", "2379-2380", AnySource, "etcd client and peer traffic between control planes"));
        rules.Add(cni == Cni.Kilo
            ? new("UDP", "51820", AnySource, "Kilo WireGuard between nodes")
            : new("UDP", "8472", AnySource, "Canal (flannel VXLAN) between nodes"));
        rules.Add(new("ICMP", "", AnySource, "path MTU discovery (fragmentation needed) across the internet"));
        return new ClusterFirewall(rules);
    }

    private static List<string> AdminCidrs(NetworkOptions options)
    {
        var cidrs = options.AdminCidrs.Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (cidrs.Count == 0)
            throw new InvalidOperationException($"{NetworkOptions.Section}:AdminCidrs is empty: Ladybug could not reach the nodes over SSH.");
        foreach (var cidr in cidrs.Where(c => !IPNetwork.TryParse(c, out _)))
            throw new InvalidOperationException($"{NetworkOptions.Section}:AdminCidrs has '{cidr}', which is not an IPv4 CIDR such as 203.0.113.0/24.");
        return cidrs;
    }
}
