using Ladybug.Tests.Support;
using Ladybug.Web.Components.Shared;

namespace Ladybug.Tests.Unit.Web.Components;

[Trait(TestTier.Category, TestTier.Unit)]
public sealed class MarkerClustersTests
{
    // Coordinates as the sandbox's connection catalog gives them (cb-tumblebug's cloud location table).
    private static MapPoint At(string key, double lat, double lon, int nodes = 1) => new(key, lon + 180, 90 - lat, nodes);

    private static readonly MapPoint AwsTokyo = At("aws/ap-northeast-1", 35.41, 139.42, 2);
    private static readonly MapPoint GcpTokyo = At("gcp/asia-northeast1", 35.6896, 139.6917, 2);
    private static readonly MapPoint AzureSeoul = At("azure/koreacentral", 37.57, 126.98);
    private static readonly MapPoint GcpLondon = At("gcp/europe-west2", 51.5099, -0.1181, 3);
    private static readonly MapPoint AzureAmsterdam = At("azure/westeurope", 52.37, 4.90);
    private static readonly MapPoint AwsVirginia = At("aws/us-east-1", 38.13, -78.45);

    [Fact]
    public void MarkersApartStayAloneAtTheirTruePlaces()
    {
        var clusters = MarkerClusters.Group([AwsTokyo, AzureSeoul, AwsVirginia], 1);

        Assert.Equal(3, clusters.Count);
        Assert.All(clusters, c => Assert.True(c.IsSingle));
        Assert.Equal([AwsTokyo, AzureSeoul, AwsVirginia], clusters.Select(c => c.Anchor).OrderBy(p => p.Key == AwsTokyo.Key ? 0 : p.Key == AzureSeoul.Key ? 1 : 2));
    }

    [Fact]
    public void TwoCloudsInOneCityClusterAtTheBiggerOnesTruePlaceAndNoZoomSeparatesThem()
    {
        var bigger = AwsTokyo with { Nodes = 3 };

        var cluster = Assert.Single(MarkerClusters.Group([GcpTokyo, bigger], 1));

        Assert.Equal(bigger, cluster.Anchor);
        Assert.Equal(5, cluster.Nodes);
        Assert.Null(MarkerClusters.SplitZoom(cluster, 1, MapViewport.MaxZoom));
        Assert.Single(MarkerClusters.Group([GcpTokyo, bigger], MapViewport.MaxZoom));
    }

    [Fact]
    public void NeighbouringCitiesClusterAtWorldZoomAndComeApartWhenZoomedIn()
    {
        var cluster = Assert.Single(MarkerClusters.Group([GcpLondon, AzureAmsterdam], 1));

        Assert.Equal(GcpLondon, cluster.Anchor);
        Assert.Equal(2, MarkerClusters.SplitZoom(cluster, 1, MapViewport.MaxZoom));
        var apart = MarkerClusters.Group([GcpLondon, AzureAmsterdam], 2);
        Assert.Equal([AzureAmsterdam, GcpLondon], apart.Select(c => c.Anchor).OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2.5)]
    [InlineData(8)]
    public void NoTwoDrawnMarkersTouchAndEveryOneSitsOnARealRegion(double zoom)
    {
        MapPoint[] points =
        [
            AwsTokyo, GcpTokyo, AzureSeoul, GcpLondon, AzureAmsterdam, AwsVirginia,
            At("aws/eu-west-2", 51.0, -0.1), At("aws/eu-central-1", 50.11, 8.68, 4), At("gcp/europe-west3", 50.11, 8.68),
            At("aws/ap-northeast-2", 37.36, 126.78, 5), At("alibaba/ap-southeast-1", 1.37, 103.8), At("aws/us-east-2", 40.42, -82.91),
        ];

        var clusters = MarkerClusters.Group(points, zoom);

        Assert.Equal(points.Length, clusters.Sum(c => c.Members.Count));
        Assert.All(clusters, c => Assert.Contains(c.Anchor, points));
        foreach (var (a, i) in clusters.Select((c, i) => (c, i)))
            foreach (var b in clusters.Skip(i + 1))
                Assert.True(Math.Sqrt(Math.Pow(a.Anchor.X - b.Anchor.X, 2) + Math.Pow(a.Anchor.Y - b.Anchor.Y, 2)) * zoom >= a.Radius + b.Radius,
                    $"{a.Anchor.Key} touches {b.Anchor.Key} at zoom {zoom}");
    }

    [Fact]
    public void AnExpandedClusterShowsItsMembersSideBySideRoundItsAnchor()
    {
        var cluster = Assert.Single(MarkerClusters.Group([AwsTokyo, GcpTokyo, At("alibaba/ap-northeast-1", 35.41, 139.42)], 1));

        var spread = MarkerClusters.Spread(cluster, 1);

        Assert.Equal(cluster.Members.Select(m => m.Key).Order(), spread.Select(s => s.Point.Key).Order());
        foreach (var (a, i) in spread.Select((s, i) => (s, i)))
            foreach (var b in spread.Skip(i + 1))
                Assert.True(Math.Sqrt(Math.Pow(a.X - b.X, 2) + Math.Pow(a.Y - b.Y, 2)) >= MarkerClusters.Radius(a.Point.Nodes) + MarkerClusters.Radius(b.Point.Nodes),
                    $"{a.Point.Key} overlaps {b.Point.Key}");
        // Close by: the ring is about one marker wide, so the lines to the true places stay short.
        Assert.All(spread, s => Assert.True(Math.Sqrt(Math.Pow(s.X - cluster.Anchor.X, 2) + Math.Pow(s.Y - cluster.Anchor.Y, 2)) < 10));
        Assert.Equal([(AwsTokyo, AwsTokyo.X, AwsTokyo.Y)], MarkerClusters.Spread(new MarkerCluster(AwsTokyo, [AwsTokyo]), 4));
    }

    [Fact]
    public void TheViewZoomsWithinItsBoundsAndNeverLeavesTheWorld()
    {
        Assert.Equal("0 6 360 142", MapViewport.World.ViewBox);
        var zoomed = MapViewport.World.ZoomBy(2);
        Assert.Equal("90 41.5 180 71", zoomed.ViewBox);
        Assert.Equal(MapViewport.MaxZoom, MapViewport.World.ZoomBy(1000).Zoom);
        Assert.Equal(MapViewport.World, zoomed.ZoomBy(0.01));
        // Centred on Tokyo's far east at zoom 4: pushed back so the view's right edge is the world's.
        var east = MapViewport.At(359, 60, 4);
        Assert.Equal(360, east.Left + east.Width, 6);
        Assert.Equal((0.5, 0.5), zoomed.Fraction(180, 77));
    }
}
