using Bunit;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Web.Components.Shared;

namespace Ladybug.Tests.Unit.Web.Components;

[Trait(TestTier.Category, TestTier.Unit)]
public sealed class KubeconfigButtonTests : ComponentTest
{
    [Theory]
    [InlineData(ClusterPhase.Pending)]
    [InlineData(ClusterPhase.Provisioning)]
    [InlineData(ClusterPhase.Failed)]
    [InlineData(ClusterPhase.Deleting)]
    [InlineData(ClusterPhase.Deleted)]
    public void DownloadIsDisabledUntilTheClusterIsProvisioned(ClusterPhase phase)
    {
        var cluster = new ClusterView { Name = "edge", Phase = phase, HasKubeconfig = true };
        var cut = Render<KubeconfigButton>(p => p.Add(b => b.Cluster, cluster).Add(b => b.Actions, ClusterActions.For(cluster, [])));

        var button = cut.Find("[data-testid=download-kubeconfig]");
        Assert.True(button.HasAttribute("disabled"));
        Assert.False(button.HasAttribute("href"));
    }

    [Fact]
    public void DownloadLinksToTheAuthorisedEndpointWithTheClusterFileNameWhenProvisioned()
    {
        var cluster = new ClusterView { Namespace = "team-a", Name = "edge", Phase = ClusterPhase.Provisioned, HasKubeconfig = true };
        var cut = Render<KubeconfigButton>(p => p.Add(b => b.Cluster, cluster).Add(b => b.Actions, ClusterActions.For(cluster, [])));

        var link = cut.Find("[data-testid=download-kubeconfig]");
        Assert.False(link.HasAttribute("disabled"));
        Assert.Equal("/clusters/team-a/edge/kubeconfig", link.GetAttribute("href"));
        Assert.Equal("edge.kubeconfig.yaml", link.GetAttribute("download"));
    }
}
