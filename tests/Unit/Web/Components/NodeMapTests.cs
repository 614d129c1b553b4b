using Bunit;
using Ladybug.Engine.Domain;
using Ladybug.Tests.Support;
using Ladybug.Web.Components.Shared;
using Ladybug.Web.Services;

namespace Ladybug.Tests.Unit.Web.Components;

[Trait(TestTier.Category, TestTier.Unit)]
public sealed class NodeMapTests : ComponentTest
{
    private static NodeView At(string name, string csp, string region, double lat, double lon, NodeRole role = NodeRole.Worker) =>
        new() { Name = name, Csp = csp, Region = region, Latitude = lat, Longitude = lon, Role = role };

    private static readonly NodeView[] Nodes =
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

    private static double Attr(AngleSharp.Dom.IElement element, string name) =>
        double.Parse(element.GetAttribute(name)!, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void OverlappingMarkersClusterAtATrueRegionPlaceAndNoVisibleMarkerCoversAnother()
    {
        NodeView[] nodes =
        [
            At("a1", "aws", "ap-northeast-1", 35.68, 139.77), At("a2", "aws", "ap-northeast-1", 35.68, 139.77),
            At("b1", "alibaba", "ap-northeast-1", 35.41, 139.42), At("c1", "ibm", "jp-tok", 35.69, 139.69),
            At("d1", "gcp", "europe-west2", 51.51, -0.13), At("d2", "gcp", "europe-west2", 51.51, -0.13),
            At("e1", "azure", "westeurope", 52.37, 4.90), At("e2", "azure", "westeurope", 52.37, 4.90),
            At("f1", "aws", "us-east-1", 38.13, -78.45),
        ];

        var cut = Render<NodeMap>(p => p.Add(m => m.Regions, MapRegions.FromNodes(nodes)));

        // Every region keeps its marker (with its data) in the page; the clustered ones are hidden behind their cluster.
        Assert.Equal(6, cut.FindAll("[data-testid=map-marker]").Count);
        var clusters = cut.FindAll("[data-testid=map-cluster]");
        Assert.Equal(["aws/ap-northeast-1:3:4", "azure/westeurope:2:4"], clusters.Select(c => $"{c.GetAttribute("data-key")}:{c.GetAttribute("data-regions")}:{c.GetAttribute("data-count")}").Order());
        Assert.Equal(["aws/us-east-1"], cut.FindAll("[data-testid=map-marker]:not(.node-map-clustered)").Select(m => $"{m.GetAttribute("data-csp")}/{m.GetAttribute("data-region")}"));
        var tokyo = clusters.Single(c => c.GetAttribute("data-key") == "aws/ap-northeast-1").QuerySelector("circle")!;
        Assert.Equal((139.77 + 180, 90 - 35.68), (Math.Round(Attr(tokyo, "cx"), 2), Math.Round(Attr(tokyo, "cy"), 2)));
        Assert.Contains("AWS · ap-northeast-1", clusters[0].GetAttribute("aria-label") + clusters[1].GetAttribute("aria-label"));
        var visible = cut.FindAll("[data-testid=map-cluster] > circle:first-of-type, [data-testid=map-marker]:not(.node-map-clustered) circle")
            .Select(c => (X: Attr(c, "cx"), Y: Attr(c, "cy"), R: Attr(c, "r"))).ToList();
        Assert.Equal(3, visible.Count);
        foreach (var (a, i) in visible.Select((c, i) => (c, i)))
            foreach (var b in visible.Skip(i + 1))
                Assert.True(Math.Sqrt(Math.Pow(a.X - b.X, 2) + Math.Pow(a.Y - b.Y, 2)) >= a.R + b.R, $"{a} overlaps {b}");
        var virginia = visible.Single(c => c.X < 110);
        Assert.Equal((-78.45 + 180, 90 - 38.13), (Math.Round(virginia.X, 2), Math.Round(virginia.Y, 2)));
    }

    [Fact]
    public void ClickingAClusterShowsItsMarkersSideBySideWithLinesToTheirTruePlaces()
    {
        NodeView[] nodes = [At("cp-1", "aws", "ap-northeast-1", 35.41, 139.42, NodeRole.ControlPlane), At("w-1", "gcp", "asia-northeast1", 35.6896, 139.6917)];
        var cut = Render<NodeMap>(p => p.Add(m => m.Regions, MapRegions.FromNodes(nodes)));
        Assert.Empty(cut.FindAll("[data-testid=map-marker]:not(.node-map-clustered)"));

        cut.Find("[data-testid=map-cluster]").Click();

        Assert.Empty(cut.FindAll("[data-testid=map-cluster]"));
        var markers = cut.FindAll("[data-testid=map-marker]:not(.node-map-clustered)");
        Assert.Equal(["aws/ap-northeast-1", "gcp/asia-northeast1"], markers.Select(m => $"{m.GetAttribute("data-csp")}/{m.GetAttribute("data-region")}").Order());
        var leaders = cut.FindAll("line.node-map-leader");
        Assert.Equal(2, leaders.Count);
        Assert.Contains(leaders, l => Math.Abs(Attr(l, "x2") - (139.42 + 180)) < 0.01 && Math.Abs(Attr(l, "y2") - (90 - 35.41)) < 0.01);
        Assert.Contains(leaders, l => Math.Abs(Attr(l, "x2") - (139.6917 + 180)) < 0.01 && Math.Abs(Attr(l, "y2") - (90 - 35.6896)) < 0.01);

        // Zooming folds it again: the zoom decides what overlaps.
        cut.Find("[data-testid=map-zoom-in]").Click();
        Assert.Single(cut.FindAll("[data-testid=map-cluster]"));
    }

    [Fact]
    public void AMarkerOpensAPopoverWithTheRegionTheCloudAndItsNodesLinkingToTheCluster()
    {
        NodeView[] nodes =
        [
            At("cp-1", "gcp", "europe-west2", 51.51, -0.13, NodeRole.ControlPlane),
            new() { Name = "w-1", Csp = "gcp", Region = "europe-west2", Latitude = 51.51, Longitude = -0.13, Role = NodeRole.Worker,
                Status = NodeStatus.Ready, Readiness = NodeReadiness.NotReady, ReadinessReason = "KubeletNotReady" },
            At("w-2", "aws", "us-east-1", 38.13, -78.45),
        ];
        var regions = MapRegions.FromNodes(nodes, "clusters/default/tokyo-london").Select(r => r.Region == "europe-west2" ? r with { Location = "UK (London)" } : r).ToList();
        var cut = Render<NodeMap>(p => p.Add(m => m.Regions, regions));
        Assert.Empty(cut.FindAll("[data-testid=map-popover]"));

        var london = cut.Find("[data-testid=map-marker][data-region=europe-west2]");
        Assert.Equal("Google Cloud · UK (London) · europe-west2 · 2 nodes", london.GetAttribute("aria-label"));
        london.Click();

        var popover = cut.Find("[data-testid=map-popover]");
        Assert.Equal("dialog", popover.GetAttribute("role"));
        Assert.Equal("UK (London)", popover.QuerySelector("[data-testid=map-popover-region]")!.TextContent);
        Assert.Equal("Google Cloud", popover.QuerySelector("[data-testid=map-popover-cloud]")!.TextContent);
        Assert.Equal("2 nodes", popover.QuerySelector("[data-testid=map-popover-count]")!.TextContent);
        var entries = popover.QuerySelectorAll("[data-testid=map-popover-entry]");
        Assert.Equal(["cp-1", "w-1"], entries.Select(e => e.QuerySelector("a")!.TextContent));
        Assert.All(entries, e => Assert.Equal("clusters/default/tokyo-london", e.QuerySelector("a")!.GetAttribute("href")));
        Assert.Contains("control plane", entries[0].TextContent);
        Assert.Contains("Pending", entries[0].TextContent);
        Assert.Contains("worker", entries[1].TextContent);
        Assert.Equal("Not ready (KubeletNotReady)", entries[1].QuerySelector("[data-testid=map-popover-status]")!.TextContent);
        // The list beside the map names the region the same way.
        Assert.Equal("UK (London)", cut.Find("li[data-region=europe-west2] [data-testid=map-list-region]").TextContent);
        Assert.Equal(london.GetAttribute("aria-label"), cut.Find("li[data-region=europe-west2]").GetAttribute("title"));

        cut.Find("[data-testid=map-popover-close]").Click();
        Assert.Empty(cut.FindAll("[data-testid=map-popover]"));
    }

    [Fact]
    public void ZoomButtonsHaveNamesAndZoomInOutAndBackToTheWorld()
    {
        var cut = Render<NodeMap>(p => p.Add(m => m.Regions, MapRegions.FromNodes(Nodes)));
        var svg = () => cut.Find("[data-testid=map-svg]");
        Assert.Equal("0 6 360 142", svg().GetAttribute("viewBox"));
        Assert.Equal(["Zoom in", "Zoom out", "Reset map view"], cut.FindAll(".node-map-zoom button").Select(b => b.GetAttribute("aria-label")));
        Assert.True(cut.Find("[data-testid=map-zoom-out]").HasAttribute("disabled"));

        cut.Find("[data-testid=map-zoom-in]").Click();
        cut.Find("[data-testid=map-zoom-in]").Click();

        Assert.Equal("4", svg().GetAttribute("data-zoom"));
        Assert.Equal("135 59.25 90 35.5", svg().GetAttribute("viewBox"));
        // Markers keep their size on screen: a quarter of the map units at zoom 4.
        var virginia = cut.Find("[data-testid=map-marker][data-region=us-east-1] circle");
        Assert.Equal(MarkerClusters.Radius(1) / 4, Attr(virginia, "r"), 3);

        cut.Find("[data-testid=map-zoom-out]").Click();
        Assert.Equal("2", svg().GetAttribute("data-zoom"));
        cut.Find("[data-testid=map-zoom-reset]").Click();
        Assert.Equal("0 6 360 142", svg().GetAttribute("viewBox"));
        Assert.True(cut.Find("[data-testid=map-zoom-reset]").HasAttribute("disabled"));
    }

    [Fact]
    public void AWheelDragOrPinchEndingInTheBrowserMovesTheViewWithinTheWorld()
    {
        var cut = Render<NodeMap>(p => p.Add(m => m.Regions, MapRegions.FromNodes(Nodes)));

        cut.InvokeAsync(() => cut.Instance.SetViewAsync(1000, -50, 3));

        Assert.Equal("240 6 120 47.333", cut.Find("[data-testid=map-svg]").GetAttribute("viewBox"));
    }
}
