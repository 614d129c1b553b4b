using System.Text.Json;
using Ladybug.Api.Contracts;
using Ladybug.Engine.Clusters;
using Ladybug.Tests.Unit.Web.Api;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Unit.Cli;

[Collection(LoopbackConsoleCollection.Name)]
public sealed class NodeCommandsTests(McksApiFixture console) : LoopbackCliTests(console)
{
    [Fact]
    public async Task GetNodeListsTheNodesOfTheClusterAndShowsOne()
    {
        await ClusterSeeder.ProvisionedAsync(App.Services, Namespace, "alpha");

        var table = (await Run("get", "node", "--cluster", "alpha")).Succeeded();
        var one = (await Run("get", "node", "alpha-w1-1", "-c", "alpha", "-o", "json")).Succeeded();

        Assert.Contains(table.Output.Split('\n'), l => l.StartsWith("alpha-cp-1 ") && l.Contains("control-plane") && l.Contains("203.0.113.10"));
        Assert.Contains(table.Output.Split('\n'), l => l.StartsWith("alpha-w1-1 ") && l.Contains("worker") && l.Contains("gcp"));
        var node = JsonSerializer.Deserialize<NodeResource>(one.Output, McksJson.Options)!;
        Assert.Equal(("alpha-w1-1", "10.1.0.20"), (node.Name, node.PrivateIp));
        Assert.DoesNotContain("credential", one.Output);
        Assert.DoesNotContain("PRIVATE KEY", table.Output + one.Output);
    }

    [Fact]
    public async Task GetNodeNeedsTheCluster() =>
        Assert.NotEqual(0, (await Run("get", "node")).ExitCode);

    [Fact]
    public async Task CreateNodeAddsWorkerPoolsToAProvisionedCluster()
    {
        var seeded = await ClusterSeeder.ProvisionedAsync(App.Services, Namespace, "grow");

        var result = (await Run("create", "node", "--cluster", "grow", "--worker-connection", "config-azure-koreacentral",
            "--worker-spec", "Standard_B2s", "--worker-count", "3")).Succeeded();

        Assert.Contains("Nodes accepted for cluster 'grow'", result.Output);
        var stored = (await App.Services.GetRequiredService<ClusterQueries>().GetAsync(seeded.Id))!;
        Assert.Equal(("config-azure-koreacentral", "Standard_B2s", 3), stored.Pools.Where(p => p.Name == "w2").Select(p => (p.Connection, p.Spec, p.Count)).Single());
    }

    [Fact]
    public async Task CreateNodeOnAClusterThatIsNotProvisionedFailsWithTheReason()
    {
        await ClusterSeeder.PendingAsync(App.Services, Namespace, "young");

        (await Run("create", "node", "-c", "young", "--worker-connection", "w", "--worker-spec", "s")).Failed("while it is Pending");
    }

    [Fact]
    public async Task CreateNodeFromAFileWithAControlPlaneIsRejectedLikeMcks()
    {
        await ClusterSeeder.ProvisionedAsync(App.Services, Namespace, "grow");
        var file = Path.Combine(Cli.Home, "nodes.json");
        await File.WriteAllTextAsync(file, """{ "controlPlane": [ { "connection": "c", "count": 1, "spec": "s" } ], "worker": [ { "connection": "c", "count": 1, "spec": "s" } ] }""");

        (await Run("create", "node", "-c", "grow", "-f", file)).Failed("controlPlane: Control plane node is not supported");
    }

    [Fact]
    public async Task DeleteNodeRemovesAWorkerAndRefusesTheLeader()
    {
        await ClusterSeeder.ProvisionedAsync(App.Services, Namespace, "shrink");

        (await Run("delete", "node", "shrink-cp-1", "--cluster", "shrink")).Failed("leader");
        var result = (await Run("delete", "node", "shrink-w1-1", "--cluster", "shrink")).Succeeded();

        Assert.Contains("Node 'shrink-w1-1' is being removed from cluster 'shrink'", result.Output);
    }
}
