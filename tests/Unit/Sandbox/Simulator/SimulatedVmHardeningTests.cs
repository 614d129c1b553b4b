using Ladybug.Engine.Bootstrap;
using Ladybug.Engine.Domain;
using Ladybug.Sandbox;
using Ladybug.Sandbox.Simulator;
using Ladybug.Sandbox.Simulator.Kubernetes;
using Ladybug.Tests.Unit.Engine.Bootstrap;

namespace Ladybug.Tests.Unit.Sandbox.Simulator;

/// <summary>
/// What a real cloud VM does to a bootstrap that a lab machine does not: systemd-networkd restarting under a hand-made
/// address, first-boot unattended-upgrades holding the dpkg lock. The steps get hand-made arguments here, so these
/// tests pin the simulator's behaviour whatever the engine renders.
/// </summary>
[Trait(TestTier.Category, TestTier.Unit)]
public sealed class SimulatedVmHardeningTests : IDisposable
{
    private readonly SimulatedVms _vms = new("ladybug-vm-hardening-");
    private readonly BootstrapScriptRenderer _renderer = new();
    private readonly ClusterFacts _cluster = BootstrapFixtures.Cluster("1.23.17", Cni.Canal);

    public void Dispose() => _vms.Dispose();

    private SimulatedNode Vm(NodeFacts facts) => _vms.Vm(facts);

    private Task<StepOutcome> RunAsync(NodeFacts node, RenderedScript script, SimulatorSettings? settings = null) => _vms.RunAsync(node, script, settings);

    private Task<StepOutcome> RunOkAsync(NodeFacts node, RenderedScript script, SimulatorSettings? settings = null) => _vms.RunOkAsync(node, script, settings);

    private static RenderedScript WithArguments(RenderedScript script, Func<IReadOnlyList<ScriptArgument>, IEnumerable<ScriptArgument>> change) =>
        BootstrapScriptRenderer.Render(script.Step, [.. change(script.Arguments)]);

    /// <summary>public-ip as the scripts did it before: the alias on the NIC with the default route.</summary>
    private RenderedScript AliasOnTheNic(NodeFacts node) =>
        WithArguments(_renderer.PublicIp(_cluster, node), a => a.Where(x => x.Name != "address-interface"));

    private RenderedScript AliasOnADummy(NodeFacts node) =>
        WithArguments(_renderer.PublicIp(_cluster, node), a => [.. a.Where(x => x.Name != "address-interface"), new("address-interface", "ladybug0")]);

    private static SimulatorSettings NetworkdRestartsBefore(string step) => new() { RestartNetworkd = [new StepFault { Step = step }] };

    [Fact]
    public async Task ANetworkdRestartDropsTheAliasFromTheNicItManagesAndEtcdOnKubeadmsDefaultListenersCannotBind()
    {
        var leader = _cluster.Leader;
        await RunOkAsync(leader, _renderer.Prepare(_cluster, leader));
        await RunOkAsync(leader, AliasOnTheNic(leader));
        Assert.Equal((VmNetwork.Nic, true), (VmNetwork.Of(Vm(leader)).InterfaceWith(leader.PublicIp)!.Name, VmNetwork.Of(Vm(leader)).InterfaceWith(leader.PublicIp)!.ManagedByNetworkd));

        // kubeadm's own etcd listeners (the advertise address), as the engine had them before etcd moved to 0.0.0.0.
        var defaultListeners = WithArguments(_renderer.KubeadmInit(_cluster, KubeadmSecrets.NewToken(), KubeadmSecrets.NewCertificateKey()),
            a => a.Where(x => !x.Name.StartsWith("etcd-listen-", StringComparison.Ordinal)));
        var init = await RunAsync(leader, defaultListeners, NetworkdRestartsBefore("kubeadm-init"));

        Assert.Equal(1, init.Status);
        Assert.Contains($"etcd: listen tcp {leader.PublicIp}:2380: bind: cannot assign requested address", init.Error);
        Assert.False(VmNetwork.Of(Vm(leader)).HasAddress(leader.PublicIp));
        Assert.True(VmNetwork.Of(Vm(leader)).HasAddress(leader.PrivateIp!), "networkd keeps the DHCP address it configured itself");
    }

    [Fact]
    public async Task AnAliasOnAnUnmanagedDummyInterfaceSurvivesTheRestart()
    {
        var leader = _cluster.Leader;
        await RunOkAsync(leader, _renderer.Prepare(_cluster, leader));
        var alias = await RunOkAsync(leader, AliasOnADummy(leader));

        await RunOkAsync(leader, _renderer.KubeadmInit(_cluster, KubeadmSecrets.NewToken(), KubeadmSecrets.NewCertificateKey()),
            NetworkdRestartsBefore("kubeadm-init"));

        Assert.Contains($"public IP {leader.PublicIp} added to ladybug0 (dummy, unmanaged by systemd-networkd)", alias.Out);
        var holder = VmNetwork.Of(Vm(leader)).InterfaceWith(leader.PublicIp)!;
        Assert.Equal(("ladybug0", "dummy", false), (holder.Name, holder.Kind, holder.ManagedByNetworkd));
    }

    [Fact]
    public async Task AWorkerWhoseNodeIpIsGoneRegistersWithoutAnInternalIp()
    {
        var leader = _cluster.Leader;
        var worker = BootstrapFixtures.Worker(1);
        await RunOkAsync(leader, _renderer.Prepare(_cluster, leader));
        await RunOkAsync(leader, AliasOnADummy(leader));
        var init = await RunOkAsync(leader, _renderer.KubeadmInit(_cluster, KubeadmSecrets.NewToken(), KubeadmSecrets.NewCertificateKey()));
        var join = KubeadmJoinParser.ParseInitOutput(init.Out).Worker.ToCredentials();
        await RunOkAsync(worker, _renderer.Prepare(_cluster, worker));
        await RunOkAsync(worker, AliasOnTheNic(worker));

        await RunOkAsync(worker, _renderer.JoinWorker(_cluster, worker, join), NetworkdRestartsBefore("join-worker"));

        var cluster = new SimulatedCluster(Vm(leader).Identity.ClusterDirectory).Read<KubernetesCluster>(KubernetesCluster.Document);
        Assert.Equal("", cluster.Nodes[worker.Name].InternalIp);
        Assert.Equal(leader.PublicIp, cluster.Nodes[leader.Name].InternalIp);
    }

    [Fact]
    public async Task FirstBootUpgradesHoldingTheDpkgLockLongerThanTheBudgetFailPrepareWithAptsWords()
    {
        var node = BootstrapFixtures.Worker(1);
        var settings = new SimulatorSettings { AptLockSeconds = 600 };
        var legacy = WithArguments(_renderer.Prepare(_cluster, node), a => a.Where(x => x.Name != "apt-lock-wait-seconds"));

        var failed = await RunAsync(node, legacy, settings);

        Assert.Equal(100, failed.Status);
        Assert.Contains("E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 1342 (unattended-upgr)", failed.Error);
        Assert.Contains("after 290s", failed.Error);
    }

    [Fact]
    public async Task APrepareWhoseBudgetCoversTheLockWaitsAndSaysSo()
    {
        var node = BootstrapFixtures.Worker(1);
        var settings = new SimulatorSettings { AptLockSeconds = 600 };
        var patient = WithArguments(_renderer.Prepare(_cluster, node),
            a => [.. a.Where(x => x.Name != "apt-lock-wait-seconds"), new("apt-lock-wait-seconds", "900")]);

        var prepared = await RunOkAsync(node, patient, settings);

        Assert.Contains("Waiting for cache lock: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 1342 (unattended-upgr)", prepared.Out);
        Assert.Contains("for the apt/dpkg lock (held by unattended-upgr)", prepared.Out);
    }

    [Fact]
    public async Task PrepareRecordsThePackagesItHoldsAgainstUnattendedUpgrades()
    {
        var held = BootstrapFixtures.Worker(1);
        var unheld = BootstrapFixtures.Worker(2);

        await RunOkAsync(held, _renderer.Prepare(_cluster, held));
        await RunOkAsync(unheld, WithArguments(_renderer.Prepare(_cluster, unheld), a => a.Where(x => x.Name != "hold")));

        Assert.Equal(["containerd", "runc"], Vm(held).Read<VmPackages>(VmPackages.Document).Held);
        Assert.Empty(Vm(unheld).Read<VmPackages>(VmPackages.Document).Held);
        Assert.Contains("containerd", Vm(unheld).Read<VmPackages>(VmPackages.Document).Installed);
    }
}
