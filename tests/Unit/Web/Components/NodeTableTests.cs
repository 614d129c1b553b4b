using Bunit;
using Ladybug.Engine.Domain;
using Ladybug.Web.Components.Shared;

namespace Ladybug.Tests.Unit.Web.Components;

[Trait(TestTier.Category, TestTier.Unit)]
public sealed class NodeTableTests : ComponentTest
{
    private static readonly NodeView[] Nodes =
    [
        new() { Name = "edge-cp-1", Role = NodeRole.ControlPlane, Csp = "aws", Region = "ap-northeast-1", Zone = "ap-northeast-1a", PublicIp = "203.0.113.10", PrivateIp = "10.0.0.10", Spec = "t3.medium", Status = NodeStatus.Ready, KubeletVersion = "v1.23.17" },
        new() { Name = "edge-w1-1", Role = NodeRole.Worker, Csp = "gcp", Region = "europe-west2", Zone = "europe-west2-a", PublicIp = "203.0.113.11", PrivateIp = "10.1.0.11", Spec = "e2-standard-2", Status = NodeStatus.Joining },
    ];

    [Fact]
    public void ShowsEveryNodeWithRoleCloudRegionZoneAddressesSpecStatusAndVersion()
    {
        var cut = Render<NodeTable>(p => p.Add(t => t.Nodes, Nodes));

        var rows = cut.FindAll("tbody tr");
        Assert.Equal(2, rows.Count);
        var cp = rows[0].TextContent;
        foreach (var expected in new[] { "edge-cp-1", "control plane", "AWS", "ap-northeast-1", "ap-northeast-1a", "203.0.113.10", "10.0.0.10", "t3.medium", "Ready", "v1.23.17" })
            Assert.Contains(expected, cp);
        Assert.Contains("Joining", rows[1].TextContent);
        Assert.Equal("gcp", rows[1].QuerySelector("[data-csp]")!.GetAttribute("data-csp"));
        Assert.Empty(cut.FindAll("[data-testid=remove-node]"));
    }

    [Fact]
    public void OffersRemovalOnlyForRemovableNodesAndReportsWhichNode()
    {
        NodeView? removed = null;
        var cut = Render<NodeTable>(p => p
            .Add(t => t.Nodes, Nodes)
            .Add(t => t.CanRemove, n => n.Role == NodeRole.Worker)
            .Add(t => t.OnRemove, n => removed = n));

        var buttons = cut.FindAll("[data-testid=remove-node]");
        Assert.Single(buttons);
        buttons[0].Click();
        Assert.Equal("edge-w1-1", removed?.Name);
    }

    [Fact]
    public void UpdatesWhenTheNodesChange()
    {
        var cut = Render<NodeTable>(p => p.Add(t => t.Nodes, Nodes));
        var grown = Nodes.Append(new NodeView { Name = "edge-w2-1", Csp = "azure", Region = "koreacentral", Status = NodeStatus.Creating }).ToList();

        cut.Render(p => p.Add(t => t.Nodes, grown));

        Assert.Equal(3, cut.FindAll("[data-testid=node-name]").Count);
        Assert.Contains("edge-w2-1", cut.Markup);
    }

    [Fact]
    public void ShowsTheSpecByItsCspNameWithTheTumblebugIdOnHoverAndADashForWhatIsMissing()
    {
        NodeView[] nodes = [new() { Name = "edge-w2-1", Csp = "azure", Region = "koreacentral", Zone = "", Spec = "azure+koreacentral+standard_b2s", Status = NodeStatus.Creating }];

        var cut = Render<NodeTable>(p => p.Add(t => t.Nodes, nodes));

        var spec = cut.Find("td[data-label=Spec] span");
        Assert.Equal("standard_b2s", spec.TextContent);
        Assert.Equal("azure+koreacentral+standard_b2s", spec.GetAttribute("title"));
        Assert.Equal("—", cut.Find("[data-testid=node-public-ip]").TextContent);
        Assert.Equal("koreacentral", cut.Find("[data-testid=node-region]").TextContent);
        Assert.Equal("—", cut.Find("td[data-label=Where] .muted").TextContent);
    }

    [Fact]
    public void AnEmptyTableSaysWhyThePageGivesAndAFilterThatMissesSaysSo()
    {
        var empty = Render<NodeTable>(p => p.Add(t => t.Nodes, []).Add(t => t.EmptyText, "No nodes: the cluster was deleted with its machines."));
        Assert.Equal("No nodes: the cluster was deleted with its machines.", empty.Find("[data-testid=no-nodes]").TextContent);

        var cut = Render<NodeTable>(p => p.Add(t => t.Nodes, Nodes));
        cut.Find("input[aria-label='Filter nodes']").Input("no-such-node");
        cut.WaitForAssertion(() => Assert.Equal("No node matches the filter.", cut.Find("[data-testid=no-nodes]").TextContent));
    }
}
