using System.Collections.Concurrent;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Persistence;
using Ladybug.Sandbox.Simulator;
using Ladybug.Sandbox.Simulator.Network;
using Ladybug.Tests.Unit.Engine.Bootstrap;
using Ladybug.Tests.Unit.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Unit.Engine.Watch;

/// <summary>
/// The engine watches a Provisioned sandbox cluster through the API endpoint its kubeconfig names: node facts and
/// the cluster's health follow stopped and started VMs; an endpoint the console cannot reach is read over SSH; with
/// neither, the cluster is Unreachable with a reason. One cluster (AWS control plane, GCP and Azure workers); every
/// test leaves it as it found it.
/// </summary>
[Collection(SandboxProvisioningCollection.Name)]
public sealed class SandboxClusterWatchTests(KubeApiCluster cluster) : IClassFixture<KubeApiCluster>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TheWatchSeesEveryNodeReadyWithItsCspAndRegionAndTheClusterHealthy()
    {
        var nodes = await Eventually.ReturnsAsync(NodesAsync, ns => ns.All(n => n.Readiness == NodeReadiness.Ready && n.PodCount > 0), "every node Ready with its pods", Patience);

        foreach (var node in nodes)
        {
            Assert.Equal("KubeletReady", node.ReadinessReason);
            Assert.NotNull(node.ReadinessSince);
            Assert.Equal("v1.23.17", node.KubeletVersion);
            Assert.StartsWith("containerd://", node.ContainerRuntime);
            Assert.Matches(@"^Ubuntu \d\d\.\d\d", node.OsImage);
            Assert.Equal("2", node.AllocatableCpu);
            Assert.Matches(@"^\d+(Ki|Mi)$", node.AllocatableMemory);
            Assert.False(node.Cordoned);
            Assert.Contains($"topology.cloud-barista.github.io/csp={node.Csp}", node.TopologyLabels!.Split('\n'));
            Assert.Contains($"topology.kubernetes.io/region={node.Region}", node.TopologyLabels!.Split('\n'));
            // Control planes run etcd (a static pod per control plane); workers have no member.
            Assert.Equal(node.Role == NodeRole.ControlPlane ? EtcdMemberHealth.Healthy : null, node.EtcdHealth);
        }
        // kube-proxy and the CNI's pod on every node, and the control plane's four static pods besides.
        Assert.True(nodes.Single(n => n.Role == NodeRole.ControlPlane).PodCount >= 6);
        var watched = await ClusterAsync();
        Assert.Equal((ClusterHealth.Healthy, (string?)null, ClusterWatchMode.Api), (watched.Health, watched.HealthReason, watched.WatchMode));
    }

    [Fact]
    public async Task AStoppedWorkerMakesItsNodeUnknownAndTheClusterDegradedUntilItIsStartedAgain()
    {
        await HealthyAsync();
        var worker = cluster.Nodes.Single(n => n.Csp == "gcp");
        var machine = cluster.Machine(worker.Name);
        var published = new ConcurrentQueue<NodeChanged>();
        using var subscription = cluster.Engine.Services.GetRequiredService<IProvisioningEvents>().Subscribe(cluster.Id, e =>
        {
            if (e is NodeChanged { Facts: not null } changed) published.Enqueue(changed);
            return ValueTask.CompletedTask;
        });

        Assert.True(await cluster.Engine.Sandbox.StopMachineAsync(machine.InfraId, machine.NodeId));
        try
        {
            var degraded = await Eventually.ReturnsAsync(ClusterAsync, c => c.Health == ClusterHealth.Degraded, "the cluster Degraded", Patience);
            Assert.Matches($"^node {worker.Name} Unknown since \\d\\d:\\d\\d \\(NodeStatusUnknown\\)$", degraded.HealthReason);
            Assert.Equal(ClusterWatchMode.Api, degraded.WatchMode);
            var node = (await NodesAsync()).Single(n => n.Name == worker.Name);
            Assert.Equal((NodeReadiness.Unknown, "NodeStatusUnknown"), (node.Readiness, node.ReadinessReason));
            Assert.Contains(published, e => e.NodeName == worker.Name && e.Facts!.Readiness == NodeReadiness.Unknown);
            Assert.Contains($"Node {worker.Name}: Unknown since", await cluster.Engine.LogAsync(cluster.Id));
        }
        finally
        {
            Assert.True(await cluster.Engine.Sandbox.StartMachineAsync(machine.InfraId, machine.NodeId));
        }

        await HealthyAsync();
        Assert.Equal(NodeReadiness.Ready, (await NodesAsync()).Single(n => n.Name == worker.Name).Readiness);
        Assert.Contains(published, e => e.NodeName == worker.Name && e.Facts!.Readiness == NodeReadiness.Ready);
    }

    [Fact]
    public async Task AnEndpointTheConsoleCannotReachIsReadOverSshAndWatchedAgainWhenItAnswers()
    {
        await HealthyAsync();
        var leader = cluster.Machine(cluster.Leader.Name);
        var network = new SimulatedCluster(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(leader.Directory))!, "cluster"));
        var open = network.Read<NetworkDocument>(NetworkDocument.Document).Nodes[leader.NodeId].Inbound;
        // The security group lets the nodes reach 6443 but not the console.
        SetInbound([.. open.Where(r => !r.Allows("tcp", 6443, "127.0.0.1"))]);
        try
        {
            var overSsh = await Eventually.ReturnsAsync(ClusterAsync, c => c.WatchMode == ClusterWatchMode.Ssh, "the watch going over SSH", Patience);
            Assert.Equal(ClusterHealth.Healthy, overSsh.Health);

            // Read over SSH, a stopped worker still shows.
            var worker = cluster.Nodes.Single(n => n.Csp == "azure");
            var machine = cluster.Machine(worker.Name);
            Assert.True(await cluster.Engine.Sandbox.StopMachineAsync(machine.InfraId, machine.NodeId));
            try
            {
                var degraded = await Eventually.ReturnsAsync(ClusterAsync, c => c.Health == ClusterHealth.Degraded, "the cluster Degraded over SSH", Patience);
                Assert.Equal(ClusterWatchMode.Ssh, degraded.WatchMode);
                Assert.Contains($"node {worker.Name} Unknown", degraded.HealthReason);
            }
            finally
            {
                Assert.True(await cluster.Engine.Sandbox.StartMachineAsync(machine.InfraId, machine.NodeId));
            }
        }
        finally
        {
            SetInbound(open);
        }

        var back = await HealthyAsync();
        Assert.Equal(ClusterWatchMode.Api, back.WatchMode);
        Assert.Contains("Watching through kubectl over SSH on a control plane", await cluster.Engine.LogAsync(cluster.Id));

        void SetInbound(List<InboundRule> rules) => network.Update<NetworkDocument>(NetworkDocument.Document, doc => doc with
        {
            Nodes = new(doc.Nodes, StringComparer.Ordinal) { [leader.NodeId] = doc.Nodes[leader.NodeId] with { Inbound = rules } },
        });
    }

    [Fact]
    public async Task AClusterWhoseApiAndSshDoNotAnswerIsUnreachableWithAReason()
    {
        await HealthyAsync();
        var leader = cluster.Machine(cluster.Leader.Name);

        Assert.True(await cluster.Engine.Sandbox.StopMachineAsync(leader.InfraId, leader.NodeId));
        try
        {
            var unreachable = await Eventually.ReturnsAsync(ClusterAsync, c => c.Health == ClusterHealth.Unreachable, "the cluster Unreachable", Patience);
            Assert.StartsWith($"API server at https://{cluster.Leader.PublicIp}:6443 unreachable: no answer within 2 s; over SSH: ", unreachable.HealthReason);
            Assert.Contains(cluster.Leader.Name, unreachable.HealthReason!["API server".Length..]);
            Assert.Null(unreachable.WatchMode);
        }
        finally
        {
            Assert.True(await cluster.Engine.Sandbox.StartMachineAsync(leader.InfraId, leader.NodeId));
        }
        var back = await HealthyAsync();
        Assert.Equal(ClusterWatchMode.Api, back.WatchMode);
    }

    private Task<ClusterView> HealthyAsync() =>
        Eventually.ReturnsAsync(ClusterAsync, c => c.Health == ClusterHealth.Healthy && c.WatchMode == ClusterWatchMode.Api, "the cluster Healthy through its API", Patience);

    private async Task<ClusterView> ClusterAsync() => (await cluster.Engine.Queries.GetAsync(cluster.Id))!;

    private async Task<List<Node>> NodesAsync()
    {
        await using var db = await cluster.Engine.Services.GetRequiredService<IDbContextFactory<LadybugDbContext>>().CreateDbContextAsync();
        return await db.Nodes.AsNoTracking().Where(n => n.ClusterId == cluster.Id && n.DeletedAt == null).OrderBy(n => n.Name).ToListAsync();
    }
}
