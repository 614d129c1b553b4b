using Ladybug.Engine.Domain;
using Ladybug.Engine.Infrastructure;
using Ladybug.Web.Services;

namespace Ladybug.Tests.Unit.Web.Services;

[Trait(TestTier.Category, TestTier.Unit)]
public sealed class PlacementInsightTests
{
    private static readonly CloudConnection Tokyo = new("aws-tokyo", "aws", "ap-northeast-1", "ap-northeast-1a", "Tokyo", 35.6, 139.7);
    private static readonly CloudConnection GcpTokyo = new("gcp-tokyo", "gcp", "asia-northeast1", "asia-northeast1-a", "Tokyo", 35.6, 139.7);
    private static readonly CloudConnection London = new("gcp-london", "gcp", "europe-west2", "europe-west2-a", "London", 51.5, -0.1);
    private static readonly CloudConnection[] Connections = [Tokyo, GcpTokyo, London];

    private static ClusterSpec Spec(Cni cni, params CloudConnection[] workers) => new()
    {
        Cni = cni,
        ControlPlane = new NodePoolSpec { Connection = Tokyo.Name, Count = 3, Spec = "t3.medium" },
        WorkerPools = [.. workers.Select(w => new NodePoolSpec { Connection = w.Name, Count = 1, Spec = "e2-medium" })],
    };

    [Fact]
    public void TheBundledTableIsTumblebugsAndKeysRegionsAsProviderRegion()
    {
        // cb-tumblebug assets/cloudlatencymap.csv @v0.13.0: row aws-ap-northeast-1, column gcp-asia-northeast1.
        Assert.Equal(3.596, RegionLatency.Bundled.RoundTripMs("aws", "ap-northeast-1", "gcp", "asia-northeast1"));
        Assert.Equal(216.953, RegionLatency.Bundled.RoundTripMs("AWS", "ap-northeast-1", "gcp", "europe-west2"));
        Assert.Null(RegionLatency.Bundled.RoundTripMs("aws", "mars-north-1", "gcp", "europe-west2"));
    }

    [Fact]
    public void AMissingMeasurementIsReadTheOtherWayRound()
    {
        var table = RegionLatency.Parse(",a-x,b-y\na-x,0.1,\nb-y,42.5,0.1\n");

        Assert.Equal(42.5, table.RoundTripMs("a", "x", "b", "y"));
    }

    [Fact]
    public void EveryTwoRegionsGetTheirRoundTripTime()
    {
        var insight = PlacementInsight.Of(Spec(Cni.Kilo, GcpTokyo, London), Connections, RegionLatency.Bundled);

        Assert.Equal(3, insight.Pairs.Count);
        Assert.Contains(new RegionPair("AWS ap-northeast-1", "Google Cloud asia-northeast1", 3.596), insight.Pairs);
        Assert.Empty(insight.Warnings);
    }

    [Fact]
    public void CanalForNodesInSeveralCloudsIsWarnedAboutAndKiloIsNamed()
    {
        var insight = PlacementInsight.Of(Spec(Cni.Canal, GcpTokyo), Connections, RegionLatency.Bundled);

        var warning = Assert.Single(insight.Warnings);
        Assert.Contains("Canal is chosen for nodes in 2 clouds", warning);
        Assert.Contains("Kilo", warning);
        Assert.Empty(PlacementInsight.Of(Spec(Cni.Canal), Connections, RegionLatency.Bundled).Warnings);
    }

    [Fact]
    public void ACostIsUnknownWhereTheSpecHasNoPriceAndTheTotalSaysItCoversOnlyThePricedPools()
    {
        var estimate = new CostEstimate([new PoolCost("Control plane", 3, "t3.medium", 0.0416), new PoolCost("Worker pool 1", 2, "odd.size", null)]);

        Assert.Equal("$0.1248", CostEstimate.Money(estimate.Pools[0].PerHour));
        Assert.Equal("unknown", CostEstimate.Money(estimate.Pools[1].PerMonth));
        Assert.False(estimate.Complete);
        Assert.Equal("$91.10", CostEstimate.Money(estimate.TotalPerMonth));
    }

    [Fact]
    public void TheCheapestSpecMeetingTheRolesMinimumIsPreselected()
    {
        MachineSpec S(string name, int cpu, double gib, double? cost) => new(name, name, "c", cpu, gib, cost);
        var specs = new[] { S("tiny", 1, 1, 0.005), S("small", 1, 2, 0.01), S("medium", 2, 4, 0.04), S("unpriced", 2, 2, null) };

        Assert.Equal("medium", SpecRequirements.Cheapest(specs, NodeRole.ControlPlane)?.Name);
        Assert.Equal("small", SpecRequirements.Cheapest(specs, NodeRole.Worker)?.Name);
        Assert.Equal("unpriced", SpecRequirements.Cheapest([S("unpriced", 2, 2, null)], NodeRole.ControlPlane)?.Name);
    }

    [Fact]
    public void ControlPlanesFurtherApartThanEtcdsHeartbeatAreWarnedAboutAndNearbyOnesAreNot()
    {
        var far = Assert.Single(PlacementInsight.EtcdWarnings([Tokyo, London], RegionLatency.Bundled));
        Assert.StartsWith("Control planes in AWS ap-northeast-1 and Google Cloud europe-west2 are 217 ms apart", far);
        Assert.Empty(PlacementInsight.EtcdWarnings([Tokyo, GcpTokyo], RegionLatency.Bundled));
    }
}
