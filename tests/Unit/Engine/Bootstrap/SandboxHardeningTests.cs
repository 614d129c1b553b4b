using System.Text.Json;
using Ladybug.Engine.Domain;
using Ladybug.Sandbox;
using Ladybug.Sandbox.Simulator;

namespace Ladybug.Tests.Unit.Engine.Bootstrap;

/// <summary>
/// Full sandbox runs for the things that go wrong on real cloud VMs but not on a lab machine: a dropped SSH session
/// during prepare, systemd-networkd restarting under the public-IP alias, first-boot apt locks.
/// </summary>
[Collection(SandboxProvisioningCollection.Name)]
public sealed class SandboxHardeningTests(SandboxEngine engine) : IClassFixture<SandboxEngine>, IDisposable
{
    public void Dispose() => engine.Sandbox.Control.Faults = new SandboxFaults();

    private static ClusterSpec Small(string name, Cni cni = Cni.Canal, string version = "1.23.17") => new()
    {
        Name = name,
        KubernetesVersion = version,
        Cni = cni,
        PodCidr = "10.32.0.0/16",
        ControlPlane = new() { Connection = "aws-ap-northeast-1", Spec = "t3.medium", Count = 1 },
        WorkerPools = [new() { Connection = "gcp-europe-west2", Spec = "e2-medium", Count = 2 }],
    };

    private async Task<ClusterView> CreateAsync(ClusterSpec spec)
    {
        var created = await engine.Clusters.CreateAsync(spec);
        return await engine.WaitForAsync(created.Id, ClusterPhase.Provisioned, ClusterPhase.Failed);
    }

    private async Task DeleteAsync(ClusterView cluster)
    {
        await engine.Clusters.DeleteAsync(cluster.Id);
        await engine.WaitForAsync(cluster.Id, ClusterPhase.Deleted, ClusterPhase.Failed);
    }

    [Fact]
    public async Task ASshSessionDroppedDuringPrepareIsRetriedAndTheClusterStillComesUp()
    {
        // prepare is repeatable (every change checks or overwrites what is there), so a dropped session is just run again.
        engine.Sandbox.Control.Faults = new SandboxFaults { DropConnections = [new StepFault { Step = "prepare", Node = "w1-2", AfterLines = 3 }] };

        var cluster = await CreateAsync(Small("drop-prepare"));

        Assert.True(cluster.Phase == ClusterPhase.Provisioned, $"{cluster.Reason}: {cluster.Message}");
        var log = await engine.LogAsync(cluster.Id);
        Assert.Contains("Step 'prepare' on w1-2 lost its connection (attempt 1 of 3)", log);
        Assert.All(await engine.NodesAsync(cluster.Id), n => Assert.Equal(NodeStatus.Ready, n.Status));
        await DeleteAsync(cluster);
    }

    [Fact]
    public async Task TheNodeIpSurvivesSystemdNetworkdRestartingBeforeInitAndBeforeAJoin()
    {
        // An unattended upgrade of systemd (or a netplan apply) restarts networkd, which drops addresses it did not
        // configure from the NIC it manages: etcd can no longer bind the leader's public IP, a joining kubelet's node IP is gone.
        engine.Sandbox.Control.Faults = new SandboxFaults
        {
            RestartNetworkd = [new StepFault { Step = "kubeadm-init", Node = "cp-1" }, new StepFault { Step = "join-worker", Node = "w1-1" }],
        };

        var cluster = await CreateAsync(Small("networkd"));

        Assert.True(cluster.Phase == ClusterPhase.Provisioned, $"{cluster.Reason}: {cluster.Message}");
        var nodes = await engine.NodesAsync(cluster.Id);
        var view = await KubectlNodesAsync(nodes.Single(n => n.Name == "cp-1"));
        foreach (var node in nodes)
        {
            var addresses = view[node.Name].GetProperty("status").GetProperty("addresses").EnumerateArray()
                .Where(a => a.GetProperty("type").GetString() == "InternalIP").Select(a => a.GetProperty("address").GetString());
            Assert.Equal([node.PublicIp], addresses);
            var vm = SimulatedNode.Load(engine.Sandbox.Machines.Single(m => m.InfraId == "networkd" && m.NodeId == node.Name).Directory);
            var holder = VmNetwork.Of(vm).InterfaceWith(node.PublicIp!);
            Assert.NotNull(holder);
            Assert.Equal(("dummy", false), (holder.Kind, holder.ManagedByNetworkd));
        }
        await DeleteAsync(cluster);
    }

    [Fact]
    public async Task PrepareWaitsOutFirstBootUnattendedUpgradesHoldingTheDpkgLock()
    {
        // Ten minutes of first-boot upgrades on a 2-vCPU VM: longer than a 5-minute retry budget, within 15 minutes.
        engine.Sandbox.Control.Faults = new SandboxFaults { AptLockSeconds = 600 };

        var cluster = await CreateAsync(Small("apt-lock"));

        Assert.True(cluster.Phase == ClusterPhase.Provisioned, $"{cluster.Reason}: {cluster.Message}");
        var log = await engine.LogAsync(cluster.Id);
        // AWS and GCP: GCP's 1460 less flannel's VXLAN 50.
        var leader = engine.Sandbox.Machines.Single(m => m.InfraId == "apt-lock" && m.NodeId == "cp-1");
        var kubernetes = new SimulatedCluster(SimulatedNode.Load(leader.Directory).Identity.ClusterDirectory)
            .Read<Ladybug.Sandbox.Simulator.Kubernetes.KubernetesCluster>(Ladybug.Sandbox.Simulator.Kubernetes.KubernetesCluster.Document);
        Assert.Equal(1410, kubernetes.PodMtu);
        // The runtime is held, so unattended-upgrades cannot restart it under running pods.
        Assert.All(engine.Sandbox.Machines.Where(m => m.InfraId == "apt-lock"), m =>
            Assert.Superset(new HashSet<string> { "containerd", "runc" }, SimulatedNode.Load(m.Directory).Read<VmPackages>(VmPackages.Document).Held.ToHashSet()));
        Assert.Contains("Waiting for cache lock: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process", log);
        Assert.Contains("for the apt/dpkg lock (held by unattended-upgr)", log);
        await DeleteAsync(cluster);
    }

    private async Task<Dictionary<string, JsonElement>> KubectlNodesAsync(Node leader)
    {
        var result = await engine.RunOnAsync(leader, "sudo kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o json");
        Assert.True(result.ExitStatus == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        return json.RootElement.GetProperty("items").EnumerateArray()
            .ToDictionary(n => n.GetProperty("metadata").GetProperty("name").GetString()!, n => n.Clone());
    }
}
