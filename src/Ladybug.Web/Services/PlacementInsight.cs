using Ladybug.Engine.Domain;
using Ladybug.Engine.Infrastructure;

namespace Ladybug.Web.Services;

/// <summary>The round-trip time between two of the cluster's regions; null when Tumblebug's table does not measure the pair.</summary>
public sealed record RegionPair(string From, string To, double? RoundTripMs);

/// <summary>
/// What the placement means for the network, for the wizard's Review step: the round-trip time between every two regions
/// the pools use, and warnings where the placement works against etcd or the CNI.
/// </summary>
public sealed record PlacementInsight(IReadOnlyList<RegionPair> Pairs, IReadOnlyList<string> Warnings)
{
    /// <summary>
    /// etcd's default heartbeat interval (--heartbeat-interval=100 ms): its tuning guide asks for a heartbeat of about the
    /// members' round-trip time, so members further apart than that miss heartbeats and start elections under the defaults.
    /// </summary>
    public const double EtcdMaxRoundTripMs = 100;

    public static PlacementInsight Of(ClusterSpec spec, IReadOnlyList<CloudConnection> connections, RegionLatency latency)
    {
        var byName = connections.DistinctBy(c => c.Name).ToDictionary(c => c.Name, StringComparer.Ordinal);
        CloudConnection? Find(NodePoolSpec pool) => byName.GetValueOrDefault(pool.Connection);

        var pools = new[] { spec.ControlPlane }.Concat(spec.WorkerPools).Select(Find).OfType<CloudConnection>().ToList();
        var regions = pools.DistinctBy(c => RegionLatency.Key(c.Csp, c.Region)).ToList();
        var pairs = new List<RegionPair>();
        for (var i = 0; i < regions.Count; i++)
            for (var j = i + 1; j < regions.Count; j++)
                pairs.Add(new RegionPair(Name(regions[i]), Name(regions[j]),
                    latency.RoundTripMs(regions[i].Csp, regions[i].Region, regions[j].Csp, regions[j].Region)));

        // Control planes carry etcd's members. Today they are one pool, so one region; the rule reads every pool of them.
        var warnings = EtcdWarnings([.. new[] { spec.ControlPlane }.Where(p => p.Count > 0).Select(Find).OfType<CloudConnection>()], latency).ToList();

        var clouds = pools.Select(c => c.Csp.ToLowerInvariant()).Distinct().Count();
        if (spec.Cni == Cni.Canal && clouds > 1)
            warnings.Add($"Canal is chosen for nodes in {clouds} clouds. Canal sends pod traffic to the nodes' private addresses, which do not " +
                "route from one cloud to another; Kilo joins the clouds with a WireGuard mesh and is the choice for this cluster.");
        return new PlacementInsight(pairs, warnings);
    }

    /// <summary>A warning for every two control-plane regions further apart than etcd's default heartbeat allows.</summary>
    public static IEnumerable<string> EtcdWarnings(IReadOnlyList<CloudConnection> controlPlanes, RegionLatency latency)
    {
        var regions = controlPlanes.DistinctBy(c => RegionLatency.Key(c.Csp, c.Region)).ToList();
        for (var i = 0; i < regions.Count; i++)
            for (var j = i + 1; j < regions.Count; j++)
                if (latency.RoundTripMs(regions[i].Csp, regions[i].Region, regions[j].Csp, regions[j].Region) is > EtcdMaxRoundTripMs and var rtt)
                    yield return $"Control planes in {Name(regions[i])} and {Name(regions[j])} are {rtt:0} ms apart: etcd's members need under " +
                        $"{EtcdMaxRoundTripMs:0} ms with its default heartbeat, or they miss heartbeats and keep electing leaders. Keep the control plane in one region or nearby ones.";
    }

    private static string Name(CloudConnection c) => $"{CspPalette.DisplayName(c.Csp)} {c.Region}";
}

/// <summary>One pool's share of the estimate: its spec's costPerHour as Tumblebug reports it, null where it has no price.</summary>
public sealed record PoolCost(string Pool, int Count, string Spec, double? SpecPerHour)
{
    public double? PerHour => SpecPerHour * Count;
    public double? PerMonth => PerHour * CostEstimate.HoursPerMonth;
}

/// <summary>The cluster's estimated running cost, per pool and in total, from Tumblebug's spec prices.</summary>
public sealed record CostEstimate(IReadOnlyList<PoolCost> Pools)
{
    /// <summary>The month the clouds price by: 365 × 24 / 12 hours.</summary>
    public const double HoursPerMonth = 730;

    /// <summary>True when every pool has a price; otherwise the total covers only the priced ones.</summary>
    public bool Complete => Pools.All(p => p.SpecPerHour is not null);

    public double TotalPerHour => Pools.Sum(p => p.PerHour ?? 0);
    public double TotalPerMonth => TotalPerHour * HoursPerMonth;

    public static string Money(double? amount) => amount is { } a ? "$" + a.ToString(a < 1 ? "0.0000" : "#,##0.00", System.Globalization.CultureInfo.InvariantCulture) : "unknown";
}
