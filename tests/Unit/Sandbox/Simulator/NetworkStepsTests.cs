using Ladybug.Engine.Bootstrap;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Infrastructure;
using Ladybug.Sandbox.Emulator;
using Ladybug.Sandbox.Simulator;
using Ladybug.Sandbox.Simulator.Kubernetes;
using Ladybug.Sandbox.Simulator.Network;
using Ladybug.Tests.Unit.Engine.Bootstrap;

namespace Ladybug.Tests.Unit.Sandbox.Simulator;

/// <summary>
/// The simulated steps across a cloud network: each VM behind its security group and a 1:1 NAT (public address in
/// front, private address on the NIC), as the emulator writes them into the Infra's network document. Joins fail the
/// way kubeadm does when a port is closed or nothing listens where the NAT delivers.
/// </summary>
[Trait(TestTier.Category, TestTier.Unit)]
public sealed class NetworkStepsTests : IDisposable
{
    private static readonly (string Ports, string Protocol)[] SgDefault = [("22", "TCP")];

    private SimulatedVms _vms = new("ladybug-network-steps-");
    private readonly BootstrapScriptRenderer _renderer = new();

    public void Dispose() => _vms.Dispose();

    private string ClusterDirectory => _vms.ClusterDirectory;

    /// <summary>What the emulator publishes for a VM: its addresses and its security group's inbound rules.</summary>
    private void Behind(IEnumerable<NodeFacts> nodes, IEnumerable<(string Ports, string Protocol)> rules) =>
        Behind(nodes, rules.Select(r => new FirewallRuleReq { Ports = r.Ports, Protocol = r.Protocol, Direction = "inbound", Cidr = "0.0.0.0/0" }));

    private void Behind(IEnumerable<NodeFacts> nodes, IEnumerable<FirewallRuleReq> rules)
    {
        var inbound = SecurityGroupBook.ToInbound(rules.ToList());
        new SimulatedCluster(ClusterDirectory).Update<NetworkDocument>(NetworkDocument.Document, doc => doc with
        {
            Nodes = new(doc.Nodes.Concat(nodes.Select(n => KeyValuePair.Create(n.Name,
                new NetworkNode { NodeId = n.Name, PublicIp = n.PublicIp, PrivateIp = n.PrivateIp!, SecurityGroup = "cb-cluster-pool", Inbound = inbound }))), StringComparer.Ordinal),
        });
    }

    /// <summary>The rules the engine registers as its SecurityGroup template.</summary>
    private static IEnumerable<FirewallRuleReq> EngineRules(Cni cni, Func<FirewallRule, bool>? keep = null) =>
        ClusterFirewallPolicy.For(cni, new NetworkOptions()).Inbound.Where(keep ?? (_ => true))
            .Select(r => new FirewallRuleReq { Ports = r.Ports, Protocol = r.Protocol, Direction = "inbound", Cidr = r.Cidr });

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

    /// <summary>kubeadm init as the engine before this change rendered it: no etcd listen URLs, so kubeadm's defaults.</summary>
    private static RenderedScript WithoutEtcdListeners(RenderedScript script) => script with
    {
        Arguments = [.. script.Arguments.Where(a => !a.Name.StartsWith("etcd-listen-", StringComparison.Ordinal) && a.Name != "extra-args-form")],
    };

    private static RenderedScript WithArgument(RenderedScript script, string name, string value) => script with
    {
        Arguments = [.. script.Arguments.Select(a => a.Name == name ? new ScriptArgument(name, value) : a)],
    };

    private async Task<KubeadmInitJoinCommands> InitAsync(ClusterFacts cluster, Func<RenderedScript, RenderedScript>? change = null)
    {
        await PrepareAsync(cluster, cluster.Leader);
        var script = _renderer.KubeadmInit(cluster, KubeadmSecrets.NewToken(), KubeadmSecrets.NewCertificateKey());
        var init = await RunOkAsync(cluster.Leader, change is null ? script : change(script));
        return KubeadmJoinParser.ParseInitOutput(init.Out);
    }

    [Fact]
    public async Task TheDefaultSecurityGroupDropsAWorkersJoinOnTheApiPort()
    {
        var cluster = BootstrapFixtures.Cluster("1.23.17", Cni.Canal);
        var worker = BootstrapFixtures.Worker(1);
        Behind([cluster.Leader, worker], SgDefault);
        var commands = await InitAsync(cluster);
        await PrepareAsync(cluster, worker);

        var outcome = await RunAsync(worker, _renderer.JoinWorker(cluster, worker, commands.Worker.ToCredentials()));

        Assert.Equal(1, outcome.Status);
        Assert.Contains($"dial tcp {cluster.Leader.PublicIp}:6443: i/o timeout", outcome.Error);
    }

    [Fact]
    public async Task ThroughHaproxyAJoinFailsWithEofWhenNoControlPlanesApiPortIsOpen()
    {
        var cluster = BootstrapFixtures.Cluster("1.23.17", Cni.Canal, controlPlanes: 3);
        var worker = BootstrapFixtures.Worker(1);
        Behind(cluster.ControlPlanes, SgDefault);
        Behind([worker], SgDefault);
        var commands = await InitAsync(cluster);
        await PrepareAsync(cluster, worker);
        await RunOkAsync(worker, _renderer.Haproxy(cluster));

        var outcome = await RunAsync(worker, _renderer.JoinWorker(cluster, worker, commands.Worker.ToCredentials()));

        Assert.Equal(1, outcome.Status);
        Assert.Contains("configmaps/cluster-info?timeout=10s\": EOF", outcome.Error);
    }

    [Fact]
    public async Task EtcdOnKubeadmsDefaultListenersIsUnreachableFromAnotherVmBehindNat()
    {
        var cluster = BootstrapFixtures.Cluster("1.23.17", Cni.Canal, controlPlanes: 3);
        Behind(cluster.ControlPlanes, EngineRules(Cni.Canal));
        var commands = await InitAsync(cluster, WithoutEtcdListeners);
        var second = cluster.ControlPlanes[1];
        await PrepareAsync(cluster, second);

        var outcome = await RunAsync(second, _renderer.JoinControlPlane(cluster, second, commands.ControlPlane.ToCredentials(), cluster.Leader.PublicIp));

        // The SG lets 2379 in, the NAT delivers it to the private address, and etcd listens only on 127.0.0.1 and the public one.
        Assert.Equal(1, outcome.Status);
        Assert.Contains($"error execution phase check-etcd: etcd cluster is not healthy: failed to dial endpoint https://{cluster.Leader.PublicIp}:2379 with maintenance client: context deadline exceeded", outcome.Error);
        Assert.Equal(Reach.Refused, NetworkPaths.Connect(Network(), second.Name, cluster.Leader.PublicIp, "tcp", 2379));
    }

    [Fact]
    public async Task EtcdOnEveryAddressJoinsThreeControlPlanesAcrossNat()
    {
        var cluster = BootstrapFixtures.Cluster(KubernetesVersionCatalog.DefaultVersion, Cni.Kilo, controlPlanes: 3);
        Behind(cluster.ControlPlanes, EngineRules(Cni.Kilo));
        var commands = await InitAsync(cluster);
        foreach (var controlPlane in cluster.ControlPlanes.Skip(1))
        {
            await PrepareAsync(cluster, controlPlane);
            await RunOkAsync(controlPlane, _renderer.JoinControlPlane(cluster, controlPlane, commands.ControlPlane.ToCredentials(), cluster.Leader.PublicIp));
        }

        var members = new SimulatedCluster(ClusterDirectory).Read<KubernetesCluster>(KubernetesCluster.Document).EtcdMembers;
        Assert.Equal(cluster.ControlPlanes.Select(c => $"https://{c.PublicIp}:2380"), members.Select(m => m.PeerUrl));
    }

    [Fact]
    public async Task AClosedPeerPortFailsTheControlPlaneJoinAfterItsMemberWasAdded()
    {
        var cluster = BootstrapFixtures.Cluster("1.23.17", Cni.Canal, controlPlanes: 3);
        Behind(cluster.ControlPlanes, EngineRules(Cni.Canal, r => r.Ports != "2379-2380").Append(new FirewallRuleReq { Ports = "2379", Protocol = "TCP", Direction = "inbound", Cidr = "0.0.0.0/0" }));
        var commands = await InitAsync(cluster);
        var second = cluster.ControlPlanes[1];
        await PrepareAsync(cluster, second);

        var outcome = await RunAsync(second, _renderer.JoinControlPlane(cluster, second, commands.ControlPlane.ToCredentials(), cluster.Leader.PublicIp));

        Assert.Equal(1, outcome.Status);
        Assert.Contains("error execution phase control-plane-join/etcd: error creating local etcd static pod manifest file: timeout waiting for etcd cluster to be available", outcome.Error);
        Assert.Contains($"dial tcp {cluster.Leader.PublicIp}:2380: i/o timeout", outcome.Error);
        Assert.Contains(second.Name, new SimulatedCluster(ClusterDirectory).Read<KubernetesCluster>(KubernetesCluster.Document).EtcdMembers.Select(m => m.Name));
    }

    [Fact]
    public async Task EtcdCannotBindThePublicAddressWithoutItsAlias()
    {
        var cluster = BootstrapFixtures.Cluster("1.23.17", Cni.Canal);
        Behind([cluster.Leader], EngineRules(Cni.Canal));
        await RunOkAsync(cluster.Leader, _renderer.Prepare(cluster, cluster.Leader)); // no public-ip step: no /32 alias
        var script = WithArgument(_renderer.KubeadmInit(cluster, KubeadmSecrets.NewToken(), KubeadmSecrets.NewCertificateKey()),
            "etcd-listen-client-urls", $"https://{cluster.Leader.PublicIp}:2379");

        var outcome = await RunAsync(cluster.Leader, script);

        Assert.Equal(1, outcome.Status);
        Assert.Contains($"listen tcp {cluster.Leader.PublicIp}:2379: bind: cannot assign requested address", outcome.Error);
        Assert.Contains("error execution phase wait-control-plane", outcome.Error);
    }

    [Theory]
    [InlineData(false, "list", "cannot unmarshal array into Go struct field LocalEtcd.etcd.local.extraArgs of type map[string]string")]
    [InlineData(true, "map", "cannot unmarshal object into Go struct field LocalEtcd.etcd.local.extraArgs of type []v1beta4.Arg")]
    public async Task TheOtherExtraArgsFormIsRefusedLikeKubeadmsStrictDecoding(bool v1beta4, string wrongForm, string error)
    {
        // The default version is past 1.31, where kubeadm reads v1beta4; 1.23 reads v1beta3.
        var cluster = BootstrapFixtures.Cluster(v1beta4 ? KubernetesVersionCatalog.DefaultVersion : "1.23.17", Cni.Canal);
        await PrepareAsync(cluster, cluster.Leader);
        var script = WithArgument(_renderer.KubeadmInit(cluster, KubeadmSecrets.NewToken(), KubeadmSecrets.NewCertificateKey()), "extra-args-form", wrongForm);

        var outcome = await RunAsync(cluster.Leader, script);

        Assert.Equal(1, outcome.Status);
        Assert.Contains(error, outcome.Error);
    }

    [Fact]
    public void NatDeliversToThePrivateAddressSoOnlyWildcardOrPrivateListenersAnswerOtherVms()
    {
        NetworkNode Node(string id, string publicIp, string privateIp, string listenOn) => new()
        {
            NodeId = id, PublicIp = publicIp, PrivateIp = privateIp,
            Inbound = [new InboundRule("tcp", 2379, 2380, "0.0.0.0/0")],
            Listeners = [new Listener("tcp", listenOn, 2379, "etcd")],
        };
        var network = new NetworkDocument
        {
            Nodes = new(StringComparer.Ordinal)
            {
                ["public-only"] = Node("public-only", "127.0.9.1", "10.1.0.4", "127.0.9.1"),
                ["private"] = Node("private", "127.0.9.2", "10.2.0.4", "10.2.0.4"),
                ["wildcard"] = Node("wildcard", "127.0.9.3", "10.3.0.4", "0.0.0.0"),
            },
        };

        Assert.Equal(Reach.Refused, NetworkPaths.Connect(network, "wildcard", "127.0.9.1", "tcp", 2379));
        Assert.Equal(Reach.Connected, NetworkPaths.Connect(network, "public-only", "127.0.9.1", "tcp", 2379)); // locally the alias answers
        Assert.Equal(Reach.Connected, NetworkPaths.Connect(network, "wildcard", "127.0.9.2", "tcp", 2379));
        Assert.Equal(Reach.Connected, NetworkPaths.Connect(network, "private", "127.0.9.3", "tcp", 2379));
        Assert.Equal(Reach.Dropped, NetworkPaths.Connect(network, "private", "127.0.9.3", "tcp", 6443));
        Assert.Equal(Reach.Dropped, NetworkPaths.Connect(network, "private", "127.0.9.3", "udp", 8472, checkListener: false));
    }

    /// <summary>
    /// A leader and two workers, every node behind the engine's rules except <paramref name="closed"/>, whose security
    /// group lacks the CNI's tunnel port; then every node pings every other through the tunnel. Answers "from>to" with
    /// the nodes called cp, w1 and w2.
    /// </summary>
    private async Task<IReadOnlyList<string>> UnreachablePairsAsync(Cni cni, params string[] closedLabels)
    {
        var cluster = BootstrapFixtures.Cluster(cni == Cni.Kilo ? KubernetesVersionCatalog.DefaultVersion : "1.23.17", cni);
        NodeFacts[] workers = [BootstrapFixtures.Worker(1), BootstrapFixtures.Worker(2, "azure", "koreacentral", "")];
        NodeFacts[] nodes = [cluster.Leader, .. workers];
        var label = new Dictionary<string, string> { [cluster.Leader.Name] = "cp", [workers[0].Name] = "w1", [workers[1].Name] = "w2" };
        var closed = closedLabels.Select(l => label.Single(p => p.Value == l).Key).ToList();
        var tunnel = cni == Cni.Kilo ? "51820" : "8472";
        Behind(nodes.Where(n => !closed.Contains(n.Name)), EngineRules(cni));
        Behind(nodes.Where(n => closed.Contains(n.Name)), EngineRules(cni, r => r.Ports != tunnel));
        var commands = await InitAsync(cluster);
        await RunOkAsync(cluster.Leader, _renderer.PodNetwork(cluster, PodNetworkMtu.For(cni, ["aws", "gcp", "azure"])));
        foreach (var worker in workers)
        {
            await PrepareAsync(cluster, worker);
            await RunOkAsync(worker, _renderer.JoinWorker(cluster, worker, commands.Worker.ToCredentials()));
        }

        var listed = await RunOkAsync(cluster.Leader, _renderer.OverlayAddresses(cluster, nodes.Select(n => n.Name), TimeSpan.FromMinutes(2)));
        var addresses = PodNetworkReport.ParseOverlay(listed.Out);
        Assert.Equal(3, addresses.Values.Distinct().Count());
        var unreachable = new List<string>();
        foreach (var node in nodes)
        {
            var peers = nodes.Where(p => p != node).Select(p => new PodNetworkPeer(p.Name, addresses[p.Name]));
            var outcome = await RunOkAsync(node, _renderer.PodNetworkCheck(cluster, peers, TimeSpan.FromMinutes(2)));
            unreachable.AddRange(PodNetworkReport.ParseProbes(node.Name, outcome.Out).Where(p => !p.Reachable).Select(p => $"{label[p.From]}>{label[p.To]}"));
        }
        return unreachable;
    }

    [Theory]
    [InlineData(Cni.Canal)]
    [InlineData(Cni.Kilo)]
    public async Task TheEnginesRulesCarryThePodNetworkBetweenEveryTwoNodes(Cni cni) =>
        Assert.Empty(await UnreachablePairsAsync(cni));

    [Fact]
    public async Task VxlanNeedsItsPortOpenOnBothNodesOfAPairForAPingAndItsAnswer()
    {
        // w2's group drops 8472/udp: nothing reaches it, and its answers to the others' pings do not get back either.
        var unreachable = await UnreachablePairsAsync(Cni.Canal, "w2");

        Assert.Equal(["cp>w2", "w1>w2", "w2>cp", "w2>w1"], unreachable.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task WireGuardNeedsItsPortOpenOnOneNodeOfAPairBehindStatefulSecurityGroups()
    {
        // One closed node still gets its handshakes out and the answers back on the same flow; two closed ones never meet.
        Assert.Empty(await UnreachablePairsAsync(Cni.Kilo, "w2"));
        _vms.Dispose();
        _vms = new SimulatedVms("ladybug-network-steps-");

        var unreachable = await UnreachablePairsAsync(Cni.Kilo, "w1", "w2");

        Assert.Equal(["w1>w2", "w2>w1"], unreachable.Order(StringComparer.Ordinal));
    }

    private NetworkDocument Network() => new SimulatedCluster(ClusterDirectory).Read<NetworkDocument>(NetworkDocument.Document);
}
