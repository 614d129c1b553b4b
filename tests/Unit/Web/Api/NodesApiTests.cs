using System.Net;
using Ladybug.Api.Contracts;
using Ladybug.Engine.Clusters;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Unit.Web.Api;

[Collection(McksApiCollection.Name)]
public sealed class NodesApiTests(McksApiFixture fixture)
{
    private readonly HttpClient _admin = fixture.Admin;

    private static string Nodes(string ns, string cluster) => $"/mcks/ns/{ns}/clusters/{cluster}/nodes";

    private const string OneWorkerPool = """{ "controlPlane": [], "worker": [ { "connection": "config-azure-koreacentral", "count": 2, "spec": "Standard_B2s" } ] }""";

    [Fact]
    public async Task ListReturnsTheNodesOfTheCluster()
    {
        var ns = McksApiFixture.NewNamespace();
        await ClusterSeeder.ProvisionedAsync(fixture.Services, ns, "alpha");

        var list = await (await _admin.GetAsync(Nodes(ns, "alpha"))).ReadAsync<NodeList>(HttpStatusCode.OK);

        Assert.Equal("NodeList", list.Kind);
        Assert.Equal([("alpha-cp-1", "control-plane"), ("alpha-w1-1", "worker")], list.Items.Select(n => (n.Name, n.Role)));
    }

    [Fact]
    public async Task ListOfAnUnknownClusterIs404RatherThanMcksEmptyList() =>
        await (await _admin.GetAsync(Nodes(McksApiFixture.NewNamespace(), "ghost"))).ReadStatusAsync(HttpStatusCode.NotFound);

    [Fact]
    public async Task GetReturnsOneNodeAnd404ForAnUnknownOne()
    {
        var ns = McksApiFixture.NewNamespace();
        await ClusterSeeder.ProvisionedAsync(fixture.Services, ns, "alpha");

        var node = await (await _admin.GetAsync($"{Nodes(ns, "alpha")}/alpha-w1-1")).ReadAsync<NodeResource>(HttpStatusCode.OK);
        var missing = await (await _admin.GetAsync($"{Nodes(ns, "alpha")}/alpha-w9-1")).ReadStatusAsync(HttpStatusCode.NotFound);

        Assert.Equal(("worker", "gcp", "198.51.100.20", "10.1.0.20", "Ready"), (node.Role, node.Csp, node.PublicIp, node.PrivateIp, node.Status));
        Assert.Equal("topology.kubernetes.io/zone=asia-northeast3-a", node.ZoneLabel);
        Assert.Contains("'alpha-w9-1'", missing.Message);
        await (await _admin.GetAsync($"{Nodes(ns, "ghost")}/alpha-w1-1")).ReadStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AddAnswers202WithTheCurrentNodesAndStoresTheNewPool()
    {
        var ns = McksApiFixture.NewNamespace();
        var seeded = await ClusterSeeder.ProvisionedAsync(fixture.Services, ns, "grow");

        var response = await _admin.PostJsonAsync(Nodes(ns, "grow"), OneWorkerPool);

        var list = await response.ReadAsync<NodeList>(HttpStatusCode.Accepted);
        Assert.Equal(2, list.Items.Count);
        Assert.Equal(Nodes(ns, "grow"), response.Headers.Location?.OriginalString);
        var stored = (await fixture.Services.GetRequiredService<ClusterQueries>().GetAsync(seeded.Id))!;
        var added = Assert.Single(stored.Pools, p => p.Name == "w2");
        Assert.Equal(("config-azure-koreacentral", 2, "Standard_B2s"), (added.Connection, added.Count, added.Spec));
    }

    [Fact]
    public async Task AddRejectsControlPlaneNodesLikeMcks()
    {
        var ns = McksApiFixture.NewNamespace();
        await ClusterSeeder.ProvisionedAsync(fixture.Services, ns, "grow");
        const string body = """{ "controlPlane": [ { "connection": "c", "count": 1, "spec": "s" } ], "worker": [ { "connection": "c", "count": 1, "spec": "s" } ] }""";

        var status = await (await _admin.PostJsonAsync(Nodes(ns, "grow"), body)).ReadStatusAsync(HttpStatusCode.BadRequest);

        Assert.StartsWith("Control plane node is not supported", Assert.Contains("controlPlane", status.Errors!)[0]);
    }

    [Theory]
    [InlineData("""{ "worker": [] }""", "worker")]
    [InlineData("""{ }""", "worker")]
    [InlineData("""{ "worker": [ { "connection": "c", "count": 0, "spec": "s" } ] }""", "worker[0].count")]
    [InlineData("""{ "worker": [ { "connection": "", "count": 1, "spec": "s" } ] }""", "worker[0].connection")]
    [InlineData("""{ "worker": [ { "connection": "c", "count": 1, "spec": "s", "rootDisk": { "size": "1" } } ] }""", "worker[0].rootDisk.size")]
    [InlineData("""{ "controlPlane": [ { "count": 1 } ], "worker": [ { "connection": "c", "count": 0, "spec": "s" } ] }""", "worker[0].count")]
    [InlineData("""{ "worker": { "connection": "c" } }""", "worker")]
    public async Task AddRejectsBadWorkerPoolsWithFieldErrors(string body, string field)
    {
        var ns = McksApiFixture.NewNamespace();
        await ClusterSeeder.ProvisionedAsync(fixture.Services, ns, "grow");

        var status = await (await _admin.PostJsonAsync(Nodes(ns, "grow"), body)).ReadStatusAsync(HttpStatusCode.BadRequest);

        Assert.Contains(field, status.Errors!.Keys);
    }

    [Fact]
    public async Task AddToAClusterThatIsNotProvisionedIs409()
    {
        var ns = McksApiFixture.NewNamespace();
        await ClusterSeeder.PendingAsync(fixture.Services, ns, "young");

        var status = await (await _admin.PostJsonAsync(Nodes(ns, "young"), OneWorkerPool)).ReadStatusAsync(HttpStatusCode.Conflict);

        Assert.Contains("Pending", status.Message);
    }

    [Fact]
    public async Task AddToAnUnknownClusterIs404() =>
        await (await _admin.PostJsonAsync(Nodes(McksApiFixture.NewNamespace(), "ghost"), OneWorkerPool)).ReadStatusAsync(HttpStatusCode.NotFound);

    [Fact]
    public async Task RemoveAWorkerAnswers202AndQueuesTheRemoval()
    {
        var ns = McksApiFixture.NewNamespace();
        await ClusterSeeder.ProvisionedAsync(fixture.Services, ns, "shrink");

        var status = await (await _admin.DeleteAsync($"{Nodes(ns, "shrink")}/shrink-w1-1")).ReadStatusAsync(HttpStatusCode.Accepted);

        Assert.Contains("is being removed", status.Message);
        var busy = await (await _admin.PostJsonAsync(Nodes(ns, "shrink"), OneWorkerPool)).ReadStatusAsync(HttpStatusCode.Conflict);
        Assert.Contains("busy", busy.Message);
    }

    [Fact]
    public async Task RemoveTheLeaderIs409()
    {
        var ns = McksApiFixture.NewNamespace();
        await ClusterSeeder.ProvisionedAsync(fixture.Services, ns, "shrink");

        var status = await (await _admin.DeleteAsync($"{Nodes(ns, "shrink")}/shrink-cp-1")).ReadStatusAsync(HttpStatusCode.Conflict);

        Assert.Contains("leader", status.Message);
    }

    [Fact]
    public async Task RemoveAnUnknownNodeOrFromAnUnknownClusterIs404()
    {
        var ns = McksApiFixture.NewNamespace();
        await ClusterSeeder.ProvisionedAsync(fixture.Services, ns, "shrink");

        await (await _admin.DeleteAsync($"{Nodes(ns, "shrink")}/nobody")).ReadStatusAsync(HttpStatusCode.NotFound);
        await (await _admin.DeleteAsync($"{Nodes(ns, "ghost")}/shrink-w1-1")).ReadStatusAsync(HttpStatusCode.NotFound);
    }
}
