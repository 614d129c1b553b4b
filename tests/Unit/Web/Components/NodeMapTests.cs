using Bunit;
using Ladybug.Engine.Clusters;
using Ladybug.Tests.Support;
using Ladybug.Web.Components.Shared;
using Ladybug.Web.Services;

namespace Ladybug.Tests.Unit.Web.Components;

[Trait(TestTier.Category, TestTier.Unit)]
public sealed class NodeMapTests : ComponentTest
{
    private static Node At(string name, string csp, string region, double lat, double lon, NodeRole role = NodeRole.Worker) =>
        new() { Name = name, Csp = csp, Region = region, Latitude = lat, Longitude = lon, Role = role };

    private static readonly Node[] Nodes =
    [
        At("cp-1", "aws", "ap-northeast-1", 35.68, 139.77, NodeRole.ControlPlane),
        At("w1-1", "aws", "ap-northeast-1", 35.68, 139.77),
        At("w2-1", "aws", "us-east-1", 38.13, -78.45),
        At("w3-1", "gcp", "europe-west2", 51.51, -0.13),
        At("w4-1", "azure", "koreacentral", 37.57, 126.98),
    ];

    [Fact]
    public void OneMarkerPerCspAndRegionColouredByCspAndSizedByNodeCount()
    {
        var cut = Render<NodeMap>(p => p.Add(m => m.Regions, MapRegions.FromNodes(Nodes)));

        var markers = cut.FindAll("[data-testid=map-marker]");
        Assert.Equal(["aws/ap-northeast-1", "aws/us-east-1", "azure/koreacentral", "gcp/europe-west2"],
            markers.Select(m => $"{m.GetAttribute("data-csp")}/{m.GetAttribute("data-region")}").Order());
        var tokyo = markers.Single(m => m.GetAttribute("data-region") == "ap-northeast-1");
        Assert.Equal("2", tokyo.GetAttribute("data-count"));
        Assert.Equal(CspPalette.Color("aws"), tokyo.QuerySelector("circle")!.GetAttribute("fill"));
        Assert.Equal(CspPalette.Color("gcp"), markers.Single(m => m.GetAttribute("data-csp") == "gcp").QuerySelector("circle")!.GetAttribute("fill"));
        Assert.NotEqual(CspPalette.Color("aws"), CspPalette.Color("gcp"));
        var virginia = markers.Single(m => m.GetAttribute("data-region") == "us-east-1");
        Assert.True(double.Parse(tokyo.QuerySelector("circle")!.GetAttribute("r")!, System.Globalization.CultureInfo.InvariantCulture)
                    > double.Parse(virginia.QuerySelector("circle")!.GetAttribute("r")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("cp-1 (control plane)", tokyo.QuerySelector("title")!.TextContent);
        Assert.Contains("w1-1", tokyo.QuerySelector("title")!.TextContent);
    }

    [Fact]
    public void ListsTheSameNodesGroupedByCspThenRegionWithALegend()
    {
        var cut = Render<NodeMap>(p => p.Add(m => m.Regions, MapRegions.FromNodes(Nodes)));

        var groups = cut.FindAll(".node-map-list-csp");
        Assert.Equal(["aws", "azure", "gcp"], groups.Select(g => g.GetAttribute("data-csp")!).OrderBy(c => c));
        var aws = groups.Single(g => g.GetAttribute("data-csp") == "aws");
        Assert.Equal(["ap-northeast-1", "us-east-1"], aws.QuerySelectorAll("li[data-region]").Select(r => r.GetAttribute("data-region")!));
        Assert.Contains("w2-1", aws.TextContent);
        Assert.Equal(3, cut.FindAll(".node-map-legend-item").Count);
    }

    [Fact]
    public void WizardPreviewPlacesEachPoolAtItsConnectionsRegion()
    {
        var spec = new ClusterSpec
        {
            Name = "x",
            ControlPlane = new NodePoolSpec { Connection = "aws-ap-northeast-1", Count = 3, Spec = "large-4c8g" },
            WorkerPools = [new NodePoolSpec { Connection = "gcp-europe-west2", Count = 2, Spec = "medium-2c4g" }, new NodePoolSpec { Connection = "aws-ap-northeast-1", Count = 1 }],
        };

        var regions = MapRegions.FromSpec(spec, FakeCloud.Connections);
        var cut = Render<NodeMap>(p => p.Add(m => m.Regions, regions));

        Assert.Equal(2, cut.FindAll("[data-testid=map-marker]").Count);
        var tokyo = regions.Single(r => r.Region == "ap-northeast-1");
        Assert.Equal(4, tokyo.NodeCount);
        Assert.Equal(["control plane: 3 × large-4c8g", "worker pool 2: 1 × spec not chosen"], tokyo.Items);
    }

    [Fact]
    public void WithoutNodesTheMapSaysSoAndDrawsNoMarker()
    {
        var cut = Render<NodeMap>(p => p.Add(m => m.Regions, []).Add(m => m.EmptyText, "Nothing here yet."));

        Assert.Empty(cut.FindAll("[data-testid=map-marker]"));
        Assert.Contains("Nothing here yet.", cut.Markup);
    }

    [Fact]
    public void MarkersOfNeighbouringRegionsAreSpreadSoNoneCoversAnother()
    {
        Node[] nodes =
        [
            At("a1", "aws", "ap-northeast-1", 35.68, 139.77), At("a2", "aws", "ap-northeast-1", 35.68, 139.77),
            At("b1", "alibaba", "ap-northeast-1", 35.41, 139.42), At("c1", "ibm", "jp-tok", 35.69, 139.69),
            At("d1", "gcp", "europe-west2", 51.51, -0.13), At("d2", "gcp", "europe-west2", 51.51, -0.13),
            At("e1", "azure", "westeurope", 52.37, 4.90), At("e2", "azure", "westeurope", 52.37, 4.90),
            At("f1", "aws", "us-east-1", 38.13, -78.45),
        ];

        var cut = Render<NodeMap>(p => p.Add(m => m.Regions, MapRegions.FromNodes(nodes)));

        var circles = cut.FindAll("[data-testid=map-marker] circle").Select(c => (
            X: double.Parse(c.GetAttribute("cx")!, System.Globalization.CultureInfo.InvariantCulture),
            Y: double.Parse(c.GetAttribute("cy")!, System.Globalization.CultureInfo.InvariantCulture),
            R: double.Parse(c.GetAttribute("r")!, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(6, circles.Count);
        foreach (var (a, i) in circles.Select((c, i) => (c, i)))
            foreach (var b in circles.Skip(i + 1))
                Assert.True(Math.Sqrt(Math.Pow(a.X - b.X, 2) + Math.Pow(a.Y - b.Y, 2)) >= a.R + b.R, $"{a} overlaps {b}");
        var virginia = circles.Single(c => c.X < 110);
        Assert.Equal((-78.45 + 180, 90 - 38.13), (Math.Round(virginia.X, 2), Math.Round(virginia.Y, 2)));
    }
}
