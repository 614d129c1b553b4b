using System.Net;
using System.Net.Sockets;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Persistence;
using Ladybug.Tests.Support;
using Ladybug.Tests.Unit.Sandbox;
using Ladybug.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Unit.Engine.Bootstrap;

/// <summary>
/// A machine that moves under a running cluster, for real: the console restarts, its sandbox brings the leader's VM
/// back on another port because something took the old one meanwhile, and the next jobs still reach the leader.
/// </summary>
[Collection(SandboxProvisioningCollection.Name)]
public sealed class MovedMachineSandboxTests : IDisposable
{
    // Both consoles run on one data directory, as ./run.sh does across restarts.
    private readonly string _dataDir = Directory.CreateTempSubdirectory("ladybug-moved-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
    }

    private TestConsole Console() => new(settings: new Dictionary<string, string?>
    {
        ["Ladybug:DataDir"] = _dataDir,
        ["Ladybug:Sandbox:VmCreateDelay"] = "00:00:00.05",
        ["Ladybug:Sandbox:InitializationDelay"] = "00:00:00",
        ["Ladybug:Tumblebug:PollInterval"] = "00:00:00.100",
        ["Ladybug:Tumblebug:MaxPollInterval"] = "00:00:00.500",
        ["Ladybug:Ssh:RetryDelay"] = "00:00:00.200",
        // Short, so a job that knocks at the old port fails fast instead of passing late.
        ["Ladybug:Ssh:ConnectWindow"] = "00:00:05",
    });

    private static readonly ClusterSpec Spec = new()
    {
        Name = "moved",
        KubernetesVersion = "1.23.17",
        Cni = Cni.Kilo,
        PodCidr = "10.32.0.0/16",
        ControlPlane = new() { Connection = "aws-ap-northeast-1", Spec = "t3.medium", Count = 1 },
        WorkerPools = [new() { Connection = "gcp-europe-west2", Spec = "e2-medium", Count = 1 }],
    };

    [Fact]
    public async Task AfterARestartMovedTheLeadersSshPortNodesAreStillAddedAndRemovedThroughIt()
    {
        Guid clusterId;
        Node before;
        await using (var first = Console())
        {
            var created = await first.Services.GetRequiredService<ClusterService>().CreateAsync(Spec);
            clusterId = created.Id;
            var cluster = await WaitAsync(first, clusterId);
            Assert.True(cluster.Phase == ClusterPhase.Provisioned, $"{cluster.Reason}: {cluster.Message}");
            before = (await NodesAsync(first, clusterId)).Single(n => n.Name == "cp-1");
        }
        var sandboxDir = Path.Combine(_dataDir, "sandbox");
        Assert.True(await TestSandbox.EventuallyAsync(() => TestSandbox.ProcessesUsing(sandboxDir).Count == 0, TimeSpan.FromSeconds(10)),
            "the first console left an sshd running");
        // Something else takes the leader's port while the console is down.
        using var squatter = new TcpListener(IPAddress.Parse(before.PublicIp!), before.SshPort);
        // The old sshd's connections may linger in TIME_WAIT on that port; a listener may bind next to them.
        squatter.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        squatter.Start();

        await using var second = Console();
        var clusters = second.Services.GetRequiredService<ClusterService>();
        var sandbox = second.Services.GetRequiredService<EmbeddedSandboxCloud>();
        await clusters.AddNodesAsync(clusterId, [new NodePoolSpec { Connection = "azure-koreacentral", Spec = "Standard_B2s", Count = 1 }]);
        var grown = await WaitAsync(second, clusterId);
        Assert.True(grown.Phase == ClusterPhase.Provisioned, $"{grown.Reason}: {grown.Message}");
        var vm = sandbox.Cloud!.Machines.Single(m => m.InfraId == "moved" && m.NodeId == "cp-1");
        var after = (await NodesAsync(second, clusterId)).Single(n => n.Name == "cp-1");

        await clusters.RemoveNodeAsync(clusterId, "w1-1");
        var shrunk = await WaitAsync(second, clusterId);
        var nodes = await NodesAsync(second, clusterId);
        var jobs = await second.Services.GetRequiredService<ClusterQueries>().JobsAsync(clusterId);

        Assert.NotEqual(before.SshPort, vm.Port);
        Assert.Equal((vm.Address, vm.Port), (after.PublicIp, after.SshPort));
        Assert.Equal(before.HostKeyFingerprint, after.HostKeyFingerprint);
        Assert.True(shrunk.Phase == ClusterPhase.Provisioned, $"{shrunk.Reason}: {shrunk.Message}");
        // A failed job would be rolled back to Provisioned too: each job itself succeeded.
        Assert.Equal([(JobKind.Create, JobState.Succeeded), (JobKind.AddNodes, JobState.Succeeded), (JobKind.RemoveNode, JobState.Succeeded)],
            jobs.OrderBy(j => j.CreatedAt).Select(j => (j.Kind, j.State)));
        Assert.Equal(["cp-1", "w2-1"], nodes.Where(n => n.DeletedAt is null).Select(n => n.Name));
        Assert.All(nodes.Where(n => n.DeletedAt is null), n => Assert.Equal(NodeStatus.Ready, n.Status));
        Assert.DoesNotContain(sandbox.Cloud.Machines, m => m.InfraId == "moved" && m.NodeId == "w1-1");

        await clusters.DeleteAsync(clusterId);
        Assert.Equal(ClusterPhase.Deleted, (await WaitAsync(second, clusterId, ClusterPhase.Deleted)).Phase);
    }

    private static Task<ClusterView> WaitAsync(TestConsole console, Guid clusterId, params ClusterPhase[] phases)
    {
        phases = phases.Length > 0 ? phases : [ClusterPhase.Provisioned, ClusterPhase.Failed];
        return console.Services.GetRequiredService<ClusterQueries>()
            .WaitForSettledAsync(clusterId, (cluster, _) => phases.Contains(cluster.Phase), TimeSpan.FromSeconds(120));
    }

    private static async Task<List<Node>> NodesAsync(TestConsole console, Guid clusterId)
    {
        await using var db = await console.Services.GetRequiredService<IDbContextFactory<LadybugDbContext>>().CreateDbContextAsync();
        return await db.Nodes.AsNoTracking().Where(n => n.ClusterId == clusterId).OrderBy(n => n.Name).ToListAsync();
    }
}
