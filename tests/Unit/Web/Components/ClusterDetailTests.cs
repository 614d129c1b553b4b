using Bunit;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Events;
using Ladybug.Tests.Unit.Web.Api;
using Ladybug.Web.Components.Pages.Clusters;

namespace Ladybug.Tests.Unit.Web.Components;

public sealed class ClusterDetailTests() : ComponentTest(withEngine: true)
{
    [Fact]
    public async Task ANodeWhoseMachineMovedShowsItsNewPublicIpLive()
    {
        var cluster = await ClusterSeeder.ProvisionedAsync(Engine.Services, "default", "edge");
        var cut = Render<ClusterDetail>(p => p.Add(c => c.Namespace, "default").Add(c => c.Name, "edge"));
        cut.WaitForAssertion(() => Assert.Contains("203.0.113.10", cut.Find("tbody").TextContent));

        Engine.Events.Publish(new NodeChanged(cluster.Id, "edge-cp-1", NodeStatus.Ready, null, "203.0.113.99"));

        cut.WaitForAssertion(() =>
        {
            var nodes = cut.Find("tbody").TextContent;
            Assert.Contains("203.0.113.99", nodes);
            Assert.DoesNotContain("203.0.113.10", nodes);
        });
    }
}
