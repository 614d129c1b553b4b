using Ladybug.Engine.Domain;
using Ladybug.Engine.Infrastructure;

namespace Ladybug.Web.Services;

/// <summary>One marker on the node map: the nodes of one CSP in one region, with what to list in its tooltip.</summary>
/// <param name="Location">The region's human name ("Japan (Tokyo)"); empty when the caller does not know it.</param>
/// <param name="NotReady">Nodes whose Ready condition the cluster watch last saw False or Unknown.</param>
/// <param name="Entries">What the marker's popover lists: nodes, or clusters on the dashboard, each with a link.</param>
public sealed record MapRegion(string Csp, string Region, string Location, double? Latitude, double? Longitude, int NodeCount, IReadOnlyList<string> Items,
    int NotReady = 0, IReadOnlyList<MapEntry>? Entries = null)
{
    public bool HasCoordinates => Latitude is not null && Longitude is not null;

    public string Key => $"{Csp}/{Region}";
}

/// <summary>A line of a marker's popover: a node (name, role, status) or a cluster (name, node count, readiness), and where it links.</summary>
/// <param name="Problem">Shown as a problem (a node not Ready, a failed node, a cluster with nodes not Ready).</param>
public sealed record MapEntry(string Name, string Role, string Status, bool Problem, string? Href);

public static class MapRegions
{
    /// <summary>Nodes of one cluster: the tooltip lists node names.</summary>
    /// <param name="clusterHref">The nodes' cluster page, which each popover line links to.</param>
    public static IReadOnlyList<MapRegion> FromNodes(IEnumerable<NodeView> nodes, string? clusterHref = null) =>
        nodes.GroupBy(n => (n.Csp, n.Region))
            .Select(g => new MapRegion(g.Key.Csp, g.Key.Region, "",
                g.Select(n => n.Latitude).FirstOrDefault(l => l is not null),
                g.Select(n => n.Longitude).FirstOrDefault(l => l is not null),
                g.Count(),
                g.OrderBy(n => n.Role).ThenBy(n => n.Name, StringComparer.Ordinal).Select(Item).ToList(),
                g.Count(IsNotReady),
                g.OrderBy(n => n.Role).ThenBy(n => n.Name, StringComparer.Ordinal).Select(n => Entry(n, clusterHref)).ToList()))
            .OrderBy(r => r.Csp).ThenBy(r => r.Region).ToList();

    public static bool IsNotReady(NodeView node) => node.Readiness is NodeReadiness.NotReady or NodeReadiness.Unknown;

    private static string Item(NodeView node) =>
        (node.Role == NodeRole.ControlPlane ? $"{node.Name} (control plane)" : node.Name)
        + (IsNotReady(node) ? $" {node.Readiness}{(node.ReadinessReason is null ? "" : $" ({node.ReadinessReason})")}" : "");

    private static MapEntry Entry(NodeView node, string? clusterHref) => new(
        node.Name,
        node.Role == NodeRole.ControlPlane ? "control plane" : "worker",
        node.Readiness is { } readiness
            ? DisplayFormat.Words(readiness.ToString()) + (readiness != NodeReadiness.Ready && node.ReadinessReason is { } reason ? $" ({reason})" : "")
            : DisplayFormat.Words(node.Status.ToString()),
        IsNotReady(node) || node.Status == NodeStatus.Failed,
        clusterHref);

    /// <summary>Where a spec's nodes will land, for the wizard's preview (before any node exists).</summary>
    public static IReadOnlyList<MapRegion> FromSpec(ClusterSpec spec, IReadOnlyList<CloudConnection> connections)
    {
        var pools = new List<(string Label, NodePoolSpec Pool)> { ("control plane", spec.ControlPlane) };
        pools.AddRange(spec.WorkerPools.Select((p, i) => ($"worker pool {i + 1}", p)));
        var byName = connections.ToDictionary(c => c.Name, StringComparer.Ordinal);
        return pools
            .Where(p => p.Pool.Count > 0 && byName.ContainsKey(p.Pool.Connection))
            .Select(p => (p.Label, p.Pool, Connection: byName[p.Pool.Connection]))
            .GroupBy(p => (p.Connection.Csp, p.Connection.Region))
            .Select(g =>
            {
                var first = g.First().Connection;
                return new MapRegion(first.Csp, first.Region, first.Location, first.Latitude, first.Longitude,
                    g.Sum(p => p.Pool.Count),
                    g.Select(p => $"{p.Label}: {p.Pool.Count} × {(string.IsNullOrEmpty(p.Pool.Spec) ? "spec not chosen" : p.Pool.Spec)}").ToList());
            })
            .OrderBy(r => r.Csp).ThenBy(r => r.Region).ToList();
    }
}
