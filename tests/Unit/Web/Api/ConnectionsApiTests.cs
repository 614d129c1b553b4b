using System.Net;
using Ladybug.Api.Contracts;
using Ladybug.Tests.Support;

namespace Ladybug.Tests.Unit.Web.Api;

[Collection(McksApiCollection.Name)]
public sealed class ConnectionsApiTests(McksApiFixture fixture)
{
    [Fact]
    public async Task EveryConnectionIsListedByCloudThenRegionWithWhereItPlacesMachines()
    {
        var list = await (await fixture.Admin.GetAsync("/mcks/mcir/connections")).ReadAsync<ConnectionList>(HttpStatusCode.OK);

        Assert.Equal("ConnectionList", list.Kind);
        Assert.Equal(FakeCloud.Connections.OrderBy(c => c.Csp, StringComparer.Ordinal).ThenBy(c => c.Region, StringComparer.Ordinal).Select(c => c.Name),
            list.Items.Select(i => i.Name));
        var tokyo = Assert.Single(list.Items, i => i.Name == "aws-ap-northeast-1");
        Assert.Equal(("aws", "ap-northeast-1", "ap-northeast-1a", "Tokyo"), (tokyo.Csp, tokyo.Region, tokyo.Zone, tokyo.Location));
    }
}
