using Ladybug.Engine.Clusters;
using Ladybug.Tests.Unit.Web.Api;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Unit.Cli;

/// <summary>
/// The two cbadm commands of the talk's demo (shared/reference/seed-cb-ladybug-talk-ko.txt, "MCKS 맛보기"), as the
/// shell hands them to the program, with only the connection names changed from config-aws-tokyo and config-gcp-tokyo
/// to Tumblebug v0.13's aws-ap-northeast-1 and gcp-asia-northeast1. The same flags are cbadm's
/// (cb-mcks src/grpc-api/cbadm/cmd/create.go:96-124, root.go:50-55 @v0.7.0). The run on the sandbox is the E2E
/// TalkDemoJourneyTests.
/// </summary>
[Collection(LoopbackConsoleCollection.Name)]
public sealed class TalkCommandsTests(McksApiFixture console) : IDisposable
{
    public static readonly string[] CreateCluster =
    [
        "create", "cluster",
        "--namespace", "cloud-barista",
        "--name", "cb-cluster",
        "--control-plane-connection=aws-ap-northeast-1",
        "--control-plane-count=1",
        "--control-plane-spec=t2.medium",
        "--worker-connection=gcp-asia-northeast1",
        "--worker-count=2",
        "--worker-spec=e2-highcpu-4",
    ];

    public static readonly string[] CreateNode =
    [
        "create", "node",
        "--namespace", "cloud-barista",
        "--cluster", "cb-cluster",
        "--worker-connection=aws-ap-northeast-1",
        "--worker-count=1",
        "--worker-spec=t2.medium",
    ];

    private readonly CliHarness _cli = CliHarness.SignedInTo(console.Console);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task TheTalksCommandsParseAsCbadmsAndReachTheCluster()
    {
        var created = (await _cli.RunAsync(CreateCluster)).Succeeded();
        // The cluster is still Pending here (the jobs are scripted): the add is refused for that reason alone,
        // which shows the node command found the talk's cluster in the talk's namespace.
        var added = await _cli.RunAsync(CreateNode);

        Assert.Contains("Cluster 'cb-cluster' accepted: Pending.", created.Output);
        var stored = (await console.Services.GetRequiredService<ClusterQueries>().GetAsync("cloud-barista", "cb-cluster"))!;
        Assert.Equal(("aws-ap-northeast-1", "t2.medium", 1), (stored.ControlPlanePool!.Connection, stored.ControlPlanePool.Spec, stored.ControlPlanePool.Count));
        Assert.Equal(("gcp-asia-northeast1", "e2-highcpu-4", 2), stored.Pools.Where(p => p.Role == NodeRole.Worker).Select(p => (p.Connection, p.Spec, p.Count)).Single());
        added.Failed("while it is Pending");
    }
}
