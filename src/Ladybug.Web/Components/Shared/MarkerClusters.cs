namespace Ladybug.Web.Components.Shared;

/// <summary>A marker's true place on the map (x = longitude + 180, y = 90 − latitude) and how many nodes it stands for.</summary>
public sealed record MapPoint(string Key, double X, double Y, int Nodes);

/// <summary>
/// Markers drawn as one: at the true place of its biggest member (a real region, so never in the sea), with the
/// members' nodes added up. A cluster of one is a plain marker.
/// </summary>
public sealed record MarkerCluster(MapPoint Anchor, IReadOnlyList<MapPoint> Members)
{
    public int Nodes => Members.Sum(m => m.Nodes);

    public bool IsSingle => Members.Count == 1;

    /// <summary>Radius on screen at zoom 1 (map units); divide by the zoom for map units at that zoom.</summary>
    public double Radius => MarkerClusters.Radius(Nodes);
}

/// <summary>Which markers overlap at a zoom, and how an overlapping group comes apart (pure logic, no drawing).</summary>
public static class MarkerClusters
{
    /// <summary>Space left between two markers' circles, in map units at zoom 1.</summary>
    public const double Gap = 0.6;

    /// <summary>A marker grows with the log of its nodes, up to a cap, so a big region does not hide a continent.</summary>
    public static double Radius(int nodes) => Math.Min(10, 3 + 1.5 * Math.Log2(Math.Max(1, nodes)));

    /// <summary>
    /// Groups the markers whose circles would touch at <paramref name="zoom"/> (markers keep their size on screen while
    /// the map zooms, so two places come apart as the zoom grows). Closest pairs merge first, until no two drawn circles
    /// touch; every cluster stays at the true place of its biggest member.
    /// </summary>
    public static IReadOnlyList<MarkerCluster> Group(IEnumerable<MapPoint> points, double zoom)
    {
        var clusters = points
            .OrderByDescending(p => p.Nodes).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new MarkerCluster(p, [p])).ToList();
        while (true)
        {
            var closest = ClosestTouchingPair(clusters, zoom);
            if (closest is not var (i, j)) return clusters;
            var members = clusters[i].Members.Concat(clusters[j].Members)
                .OrderByDescending(p => p.Nodes).ThenBy(p => p.Key, StringComparer.Ordinal).ToList();
            clusters[i] = new MarkerCluster(members[0], members);
            clusters.RemoveAt(j);
        }
    }

    /// <summary>
    /// The zoom that first shows a cluster's members apart, trying doublings of <paramref name="zoom"/> and then
    /// <paramref name="maxZoom"/>; null when they still touch at the closest zoom (e.g. two clouds in one city).
    /// </summary>
    public static double? SplitZoom(MarkerCluster cluster, double zoom, double maxZoom)
    {
        if (cluster.IsSingle) return null;
        for (var next = Math.Min(zoom * 2, maxZoom); next > zoom; next = Math.Min(next * 2, maxZoom))
        {
            if (Group(cluster.Members, next).Count > 1) return next;
            if (next >= maxZoom) break;
        }
        return null;
    }

    /// <summary>
    /// Where an expanded cluster draws its members: side by side on a small ring round the anchor's true place, each
    /// just clear of its neighbours at this zoom; the map draws a line from each to its own true place.
    /// </summary>
    public static IReadOnlyList<(MapPoint Point, double X, double Y)> Spread(MarkerCluster cluster, double zoom)
    {
        if (cluster.IsSingle) return [(cluster.Anchor, cluster.Anchor.X, cluster.Anchor.Y)];
        var count = cluster.Members.Count;
        // Neighbours on the ring are 2·ring·sin(π/n) apart: at least one widest marker's diameter plus the gap.
        var ring = (cluster.Members.Max(m => Radius(m.Nodes)) + Gap / 2) / Math.Sin(Math.PI / count) / zoom;
        return cluster.Members.Select((m, i) =>
        {
            var angle = 2 * Math.PI * i / count - Math.PI / 2;
            return (m, cluster.Anchor.X + ring * Math.Cos(angle), cluster.Anchor.Y + ring * Math.Sin(angle));
        }).ToList();
    }

    private static (int, int)? ClosestTouchingPair(List<MarkerCluster> clusters, double zoom)
    {
        (int, int)? best = null;
        var bestDistance = double.MaxValue;
        for (var i = 0; i < clusters.Count; i++)
            for (var j = i + 1; j < clusters.Count; j++)
            {
                var (a, b) = (clusters[i], clusters[j]);
                var distance = Math.Sqrt(Math.Pow(a.Anchor.X - b.Anchor.X, 2) + Math.Pow(a.Anchor.Y - b.Anchor.Y, 2)) * zoom;
                if (distance < a.Radius + b.Radius + Gap && distance < bestDistance)
                    (best, bestDistance) = ((i, j), distance);
            }
        return best;
    }
}
