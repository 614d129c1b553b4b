using System.Net;
using System.Text;
using Ladybug.Engine.Domain;

namespace Ladybug.Engine.Bootstrap;

/// <summary>A node the pod-network check pings, at the address its pod network's tunnel answers on.</summary>
public sealed record PodNetworkPeer(string Name, string Address);

/// <summary>One node's view of a peer after the check: did the peer answer through the tunnel?</summary>
public sealed record PodNetworkProbe(string From, string To, string Address, bool Reachable);

/// <summary>
/// The machine-readable lines of the overlay-addresses and pod-network steps, and the verdict over all of them: which
/// pairs of nodes the tunnel does not carry, named with their clouds and the port the clouds must let through.
/// </summary>
public static class PodNetworkReport
{
    public const string OverlayLinePrefix = "ladybug-overlay: ";
    public const string ProbeLinePrefix = "ladybug-pod-network: ";

    /// <summary>The UDP port the CNI's tunnel uses between nodes, and what runs on it.</summary>
    public static (string Port, string Tunnel) TunnelOf(Cni cni) => cni == Cni.Kilo
        ? ("51820/udp", "Kilo's WireGuard")
        : ("8472/udp", "Canal's flannel VXLAN");

    /// <summary>
    /// The address to ping per node, from overlay-addresses' lines: canal prints the node's podCIDR, whose network
    /// address flanneld puts on flannel.1; Kilo prints the WireGuard IP with its prefix, as in its annotation.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ParseOverlay(string stdout)
    {
        var addresses = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parts in Lines(stdout, OverlayLinePrefix))
        {
            if (parts.Length < 2) continue;
            var value = parts[1].Split('/')[0];
            if (IPAddress.TryParse(value, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                addresses[parts[0]] = ip.ToString();
        }
        return addresses;
    }

    /// <summary>Reachable or not, per peer, from one node's pod-network lines.</summary>
    public static IReadOnlyList<PodNetworkProbe> ParseProbes(string from, string stdout) =>
    [
        .. Lines(stdout, ProbeLinePrefix).Where(p => p.Length >= 3)
            .Select(p => new PodNetworkProbe(from, p[0], p[1], p[2] == "reachable")),
    ];

    /// <summary>
    /// Null when every probe got through; otherwise the failure: the first pair on the first line, then every pair,
    /// and the node every failing pair shares when there is one (most likely the one whose security group is wrong).
    /// </summary>
    public static string? Failure(Cni cni, IReadOnlyCollection<PodNetworkProbe> probes, IReadOnlyDictionary<string, string> cspOf)
    {
        var failed = probes.Where(p => !p.Reachable).OrderBy(p => p.From, StringComparer.Ordinal).ThenBy(p => p.To, StringComparer.Ordinal).ToList();
        if (failed.Count == 0) return null;
        var (port, tunnel) = TunnelOf(cni);
        string Named(string node) => cspOf.TryGetValue(node, out var csp) ? $"{node} ({csp})" : node;
        var first = failed[0];
        var text = new StringBuilder()
            .Append($"pod network: {Named(first.From)} cannot reach {Named(first.To)} over {port} ({tunnel})")
            .Append(failed.Count > 1 ? $", nor can {failed.Count - 1} more pair(s) of the {probes.Count} checked" : "")
            .Append(": check the security groups. Every node is Ready, but pods on these nodes cannot talk to each other.");
        foreach (var probe in failed)
            text.Append($"\n  {Named(probe.From)} -> {Named(probe.To)} at {probe.Address}: no answer through the tunnel");
        var shared = failed.Select(p => new[] { p.From, p.To }).Aggregate((a, b) => [.. a.Intersect(b, StringComparer.Ordinal)]);
        if (shared.Length == 1 && failed.Count > 1)
            text.Append($"\nEvery failing pair involves {Named(shared[0])}: its security group (or a firewall in front of it) most likely drops {port}.");
        text.Append($"\nEach node must let {port} in from every other node's public address (docs/cloud-requirements.md).");
        return text.ToString();
    }

    private static IEnumerable<string[]> Lines(string stdout, string prefix) =>
        stdout.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith(prefix, StringComparison.Ordinal))
            .Select(l => l[prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
