using Ladybug.Engine.Bootstrap;
using Ladybug.Engine.Domain;
using Ladybug.Sandbox.Simulator;
using Ladybug.Sandbox.Simulator.Kubernetes;
using Ladybug.Tests.Unit.Engine.Bootstrap;

namespace Ladybug.Tests.Unit.Sandbox.Simulator;

/// <summary>
/// The simulated bootstrap steps in-process, fed the engine's real rendered scripts: what they print is what the
/// engine parses, and nonsense (a join before init, two control planes joining at once, bad arguments) fails clearly.
/// </summary>
[Trait(TestTier.Category, TestTier.Unit)]
public sealed class KubernetesStepsTests : IDisposable
{
    private readonly SimulatedVms _vms = new("ladybug-k8s-steps-");
    private readonly BootstrapScriptRenderer _renderer = new();

    public void Dispose() => _vms.Dispose();

    private SimulatedNode Vm(NodeFacts facts) => _vms.Vm(facts);

    private Task<StepOutcome> RunAsync(NodeFacts node, RenderedScript script) => _vms.RunAsync(node, script);

    private Task<StepOutcome> RunOkAsync(NodeFacts node, RenderedScript script) => _vms.RunOkAsync(node, script);

    private async Task PrepareAsync(ClusterFacts cluster, params NodeFacts[] nodes)
    {
        foreach (var node in nodes)
        {
            await RunOkAsync(node, _renderer.Prepare(cluster, node));
            await RunOkAsync(node, _renderer.PublicIp(cluster, node));
        }
    }

    private async Task<KubeadmInitJoinCommands> InitAsync(ClusterFacts cluster)
    {
        await PrepareAsync(cluster, cluster.Leader);
        var token = KubeadmSecrets.NewToken();
        var key = KubeadmSecrets.NewCertificateKey();
        var init = await RunOkAsync(cluster.Leader, _renderer.KubeadmInit(cluster, token, key));
        var commands = KubeadmJoinParser.ParseInitOutput(init.Out);
        Assert.Equal((token, key), (commands.Worker.Token, commands.ControlPlane.CertificateKey));
        return commands;
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task KubeadmInitPrintsJoinCommandsTheEnginesParserReadsAndWorkersJoinWithThem(string version)
    {
        var cluster = BootstrapFixtures.Cluster(version, Cni.Canal);
        var worker = BootstrapFixtures.Worker(1);
        var commands = await InitAsync(cluster);
        await PrepareAsync(cluster, worker);

        Assert.Equal($"{BootstrapFixtures.EndpointHost}:6443", commands.Worker.Endpoint);
        await RunOkAsync(cluster.Leader, _renderer.PodNetwork(cluster, 1410));
        var join = await RunOkAsync(worker, _renderer.JoinWorker(cluster, worker, commands.Worker.ToCredentials()));
        Assert.Contains("This node has joined the cluster:", join.Out);

        var ready = await RunOkAsync(cluster.Leader, _renderer.WaitReady([cluster.Leader.Name, worker.Name], TimeSpan.FromMinutes(1)));
        var kubelet = KubernetesVersionCatalog.TryFind(version, out _, out var normalized) ? normalized : version;
        Assert.Equal(new Dictionary<string, string> { [cluster.Leader.Name] = $"v{kubelet}", [worker.Name] = $"v{kubelet}" }, WaitReadyReport.Parse(ready.Out));
    }

    public static TheoryData<string> Versions() => [.. BootstrapFixtures.Versions];

    [Fact]
    public async Task AWorkerJoinBeforeKubeadmInitIsRefusedLikeAnUnreachableApiServer()
    {
        var cluster = BootstrapFixtures.Cluster("1.23.17", Cni.Kilo);
        var worker = BootstrapFixtures.Worker(1);
        await PrepareAsync(cluster, worker);

        var outcome = await RunAsync(worker, _renderer.JoinWorker(cluster, worker, BootstrapFixtures.Join(controlPlane: false)));

        Assert.Equal(1, outcome.Status);
        Assert.Contains($"dial tcp {cluster.Leader.PublicIp}:6443: connect: connection refused", outcome.Error);
    }

    [Fact]
    public async Task AJoinWithAnUnknownTokenOrAWrongCaHashIsRefused()
    {
        var cluster = BootstrapFixtures.Cluster("1.23.17", Cni.Kilo);
        var worker = BootstrapFixtures.Worker(1);
        var commands = await InitAsync(cluster);
        await PrepareAsync(cluster, worker);

        var unknownToken = await RunAsync(worker, _renderer.JoinWorker(cluster, worker, commands.Worker.ToCredentials() with { Token = "zzzzzz.0123456789abcdef" }));
        var wrongHash = await RunAsync(worker, _renderer.JoinWorker(cluster, worker, commands.Worker.ToCredentials() with { DiscoveryHash = "sha256:" + new string('0', 64) }));

        Assert.Equal((1, 1), (unknownToken.Status, wrongHash.Status));
        Assert.Contains("token ID \"zzzzzz\"", unknownToken.Error);
        Assert.Contains("cluster CA found in cluster-info ConfigMap is invalid", wrongHash.Error);
    }

    [Fact]
    public async Task ASecondControlPlaneJoiningWhileAnotherStillJoinsFailsLikeEtcd()
    {
        var cluster = BootstrapFixtures.Cluster("1.23.17", Cni.Canal, controlPlanes: 3);
        var commands = await InitAsync(cluster);
        await PrepareAsync(cluster, cluster.ControlPlanes[1], cluster.ControlPlanes[2]);
        // cp-2's join has added its etcd member and not finished (what its whole latency looks like to others).
        new SimulatedCluster(_vms.ClusterDirectory).Update<KubernetesCluster>(KubernetesCluster.Document,
            c => c with { ControlPlaneJoining = cluster.ControlPlanes[1].Name });

        var outcome = await RunAsync(cluster.ControlPlanes[2],
            _renderer.JoinControlPlane(cluster, cluster.ControlPlanes[2], commands.ControlPlane.ToCredentials(), cluster.Leader.PublicIp));

        Assert.Equal(1, outcome.Status);
        Assert.Contains("etcdserver: unhealthy cluster", outcome.Error);
        Assert.Contains("control planes must join one at a time", outcome.Error);
    }

    [Fact]
    public async Task ControlPlanesJoinedOneAtATimeBecomeEtcdMembersAndCanBeRemovedAgain()
    {
        var cluster = BootstrapFixtures.Cluster("1.23.17", Cni.Canal, controlPlanes: 3);
        var commands = await InitAsync(cluster);
        await PrepareAsync(cluster, cluster.ControlPlanes[1], cluster.ControlPlanes[2]);
        foreach (var controlPlane in cluster.ControlPlanes.Skip(1))
            await RunOkAsync(controlPlane, _renderer.JoinControlPlane(cluster, controlPlane, commands.ControlPlane.ToCredentials(), cluster.Leader.PublicIp));
        var state = new SimulatedCluster(_vms.ClusterDirectory);
        Assert.Equal(cluster.ControlPlanes.Select(c => c.Name), state.Read<KubernetesCluster>(KubernetesCluster.Document).EtcdMembers.Select(m => m.Name));

        var removed = await RunOkAsync(cluster.Leader, _renderer.DrainDeleteNode(cluster, cluster.ControlPlanes[2], TimeSpan.FromMinutes(1)));

        Assert.Contains("removed from cluster", removed.Out);
        var after = state.Read<KubernetesCluster>(KubernetesCluster.Document);
        Assert.Equal(cluster.ControlPlanes.Take(2).Select(c => c.Name), after.EtcdMembers.Select(m => m.Name));
        Assert.Equal(cluster.ControlPlanes.Take(2).Select(c => c.Name), after.Nodes.Keys.Order());
    }

    [Fact]
    public async Task WaitReadyBeforeThePodNetworkReportsTheNodesNotReady()
    {
        var cluster = BootstrapFixtures.Cluster("1.23.17", Cni.Kilo);
        await InitAsync(cluster);

        var outcome = await RunAsync(cluster.Leader, _renderer.WaitReady([cluster.Leader.Name], TimeSpan.FromSeconds(30)));

        Assert.Equal(1, outcome.Status);
        Assert.Contains($"timed out waiting for the condition on nodes/{cluster.Leader.Name}", outcome.Error);
        Assert.Contains("NotReady", outcome.Error);
        Assert.Empty(WaitReadyReport.Parse(outcome.Out));
    }

    [Fact]
    public async Task AMissingOrMalformedArgumentFailsWithTheScriptsOwnWords()
    {
        var cluster = BootstrapFixtures.Cluster("1.23.17", Cni.Kilo);
        var node = cluster.Leader;
        var prepare = _renderer.Prepare(cluster, node);

        var missing = await RunAsync(node, prepare with { Arguments = [.. prepare.Arguments.Where(a => a.Name != "node-name")] });
        var malformed = await RunAsync(node, prepare with { Arguments = [.. prepare.Arguments.Select(a => a.Name == "runtime" ? new ScriptArgument("runtime", "podman") : a)] });

        Assert.Equal((1, "[ladybug] error: missing argument --node-name\n"), (missing.Status, missing.Error));
        Assert.Equal(1, malformed.Status);
        Assert.Contains("--runtime=podman is not one of docker, containerd", malformed.Error);
    }

    [Fact]
    public async Task StepsOnAFreshVmFailLikeAShellWithoutKubeadm()
    {
        var cluster = BootstrapFixtures.Cluster("1.23.17", Cni.Kilo);

        var outcome = await RunAsync(cluster.Leader, _renderer.KubeadmInit(cluster, KubeadmSecrets.NewToken(), KubeadmSecrets.NewCertificateKey()));

        Assert.Equal(127, outcome.Status);
        Assert.Contains("kubeadm: command not found", outcome.Error);
    }
}
