using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Tests.Support;
using Ladybug.Tests.Unit.Web.Api;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Unit.Cli;

/// <summary>
/// The talk's two cbadm commands (<see cref="TalkDemo"/>) through the ladybug CLI. The run on the sandbox is the E2E
/// TalkDemoJourneyTests.
/// </summary>
[Collection(LoopbackConsoleCollection.Name)]
public sealed class TalkCommandsTests(McksApiFixture console) : IDisposable
{
    private readonly CliHarness _cli = CliHarness.SignedInTo(console.Console);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task TheTalksCommandsParseAsCbadmsAndReachTheCluster()
    {
        var created = (await _cli.RunAsync(TalkDemo.CreateCluster)).Succeeded();
        // The cluster is still Pending here (the jobs are scripted): the add is refused for that reason alone,
        // which shows the node command found the talk's cluster in the talk's namespace.
        var added = await _cli.RunAsync(TalkDemo.CreateNode);

        Assert.Contains("Cluster 'cb-cluster' accepted: Pending.", created.Output);
        var stored = (await console.Services.GetRequiredService<ClusterQueries>().GetAsync("cloud-barista", "cb-cluster"))!;
        Assert.Equal(("aws-ap-northeast-1", "t2.medium", 1), (stored.ControlPlanePool!.Connection, stored.ControlPlanePool.Spec, stored.ControlPlanePool.Count));
        Assert.Equal(("gcp-asia-northeast1", "e2-highcpu-4", 2), stored.Pools.Where(p => p.Role == NodeRole.Worker).Select(p => (p.Connection, p.Spec, p.Count)).Single());
        added.Failed("while it is Pending");
    }

    [Fact]
    public async Task CbadmsNameFlagNamesWhatGetAndDeleteActOn()
    {
        var ns = McksApiFixture.NewNamespace();
        await ClusterSeeder.ProvisionedAsync(console.Services, ns, "alpha");

        var got = (await _cli.RunAsync("get", "cluster", "--name", "alpha", "-n", ns, "-o", "json")).Succeeded();
        var node = (await _cli.RunAsync("get", "node", "--name", "alpha-w1-1", "--cluster", "alpha", "-n", ns, "-o", "json")).Succeeded();
        (await _cli.RunAsync("delete", "cluster", "alpha", "--name", "beta", "-n", ns)).Failed("Two cluster names given: 'alpha' and --name 'beta'.");
        (await _cli.RunAsync("delete", "cluster", "-n", ns)).Failed("Name the cluster: ladybug delete cluster NAME (or --name NAME, as cbadm).");
        var deleted = (await _cli.RunAsync("delete", "cluster", "--name", "alpha", "-n", ns)).Succeeded();

        Assert.Contains("\"name\": \"alpha\"", got.Output);
        Assert.Contains("\"name\": \"alpha-w1-1\"", node.Output);
        Assert.Contains("Cluster 'alpha' is being deleted", deleted.Output);
    }
}
