using Ladybug.Sandbox;
using Ladybug.Sandbox.Simulator;

namespace Ladybug.Tests.Unit.Sandbox.Simulator;

/// <summary>The node simulator in-process: command parsing, the step extension point, state and faults.</summary>
[Trait(TestTier.Category, TestTier.Unit)]
public sealed class NodeSimulatorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ladybug-simulator-test-").FullName;
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();
    private int _drops;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private SimulatedNode Node(string id = "w1-1")
    {
        var directory = Path.Combine(_root, id);
        var identity = new NodeIdentity
        {
            Id = id, Uid = "abc", Hostname = $"host-{id}", InfraId = "c1", Namespace = "default", Connection = "aws-ap-northeast-1",
            Csp = "aws", Region = "ap-northeast-1", Zone = "ap-northeast-1a", PublicIp = "127.0.9.9", PrivateIp = "10.1.0.9",
            SshPort = 2222, User = "root", VCpu = 2, MemoryGiB = 4, UbuntuRelease = "22.04",
            ClusterDirectory = Path.Combine(_root, "cluster"), SettingsPath = Path.Combine(_root, "simulator.json"),
        };
        SimulatorFileStore.Write(Path.Combine(directory, SimulatedNode.IdentityFile), identity);
        return SimulatedNode.Load(directory);
    }

    private Task<int> RunAsync(string command, string stdin = "", SimulatorSettings? settings = null, NodeSimulatorRegistry? registry = null)
    {
        var node = Node();
        var simulator = new NodeSimulator(registry ?? SimulatorCatalog.CreateRegistry(), node, new SimulatedCluster(node.Identity.ClusterDirectory),
            settings ?? new SimulatorSettings(), new StringReader(stdin), _out, _error, () => _drops++);
        return simulator.RunAsync(command, CancellationToken.None);
    }

    /// <summary>A step as the bootstrap work will write them: reads its marker parameters and arguments, keeps cluster state.</summary>
    private sealed class JoinStep : INodeStep
    {
        public string Name => "join";

        public async Task<int> RunAsync(NodeStepContext context)
        {
            var role = context.Parameters.GetValueOrDefault("role", "worker");
            var members = context.Cluster.Update<Members>("members", m => m with { Names = [.. m.Names, $"{context.Node.Identity.Id}:{role}"] });
            context.Node.WriteFile("/etc/kubernetes/kubelet.conf", $"token {context.Arguments[0]}\n");
            await context.Out.WriteLineAsync($"[join] {context.Node.Identity.Hostname} joined as {role}; {members.Names.Count} member(s)");
            return context.Arguments[0] == "bad-token" ? 1 : 0;
        }
    }

    private sealed record Members
    {
        public List<string> Names { get; init; } = [];
    }

    [Fact]
    public async Task ARegisteredStepGetsItsMarkerParametersArgumentsAndTheCluster()
    {
        var registry = SimulatorCatalog.CreateRegistry().AddStep(new JoinStep());
        const string script = "#!/bin/bash\nset -euo pipefail\n# ladybug-step: join role=control-plane attempt=2\nkubeadm join \"$@\"\n";

        var status = await RunAsync("sudo -E bash -s -- abcdef.0123456789abcdef", script, registry: registry);

        Assert.Equal(0, status);
        Assert.Equal("[join] host-w1-1 joined as control-plane; 1 member(s)\n", _out.ToString());
        Assert.Equal(["w1-1:control-plane"], new SimulatedCluster(Path.Combine(_root, "cluster")).Read<Members>("members").Names);
        Assert.Equal("token abcdef.0123456789abcdef\n", Node().ReadFile("/etc/kubernetes/kubelet.conf"));
    }

    [Fact]
    public async Task AStepsReturnValueIsTheExitCode()
    {
        var status = await RunAsync("bash -s -- bad-token", "# ladybug-step: join\n", registry: SimulatorCatalog.CreateRegistry().AddStep(new JoinStep()));

        Assert.Equal(1, status);
    }

    [Fact]
    public void AStepRegisteredTwiceIsRefused()
    {
        var registry = SimulatorCatalog.CreateRegistry().AddStep(new JoinStep());

        Assert.Throws<InvalidOperationException>(() => registry.AddStep(new JoinStep()));
    }

    [Fact]
    public async Task AnUnknownStepExits127AndNamesTheKnownOnes()
    {
        var status = await RunAsync("bash -s", "# ladybug-step: kubeadm-upgrade\n");

        Assert.Equal(127, status);
        Assert.Contains("no handler for step 'kubeadm-upgrade' (known: cni, drain-delete-node, facts, fetch-kubeconfig, get-nodes, haproxy, join-control-plane, join-token, join-worker, kubeadm-init, label, overlay-addresses, pod-network, prepare, public-ip, renew-certificates, reset, wait-ready)", _error.ToString());
    }

    [Fact]
    public async Task AnUnknownCommandExits127LikeBash()
    {
        var status = await RunAsync("sudo helm list -A");

        Assert.Equal(127, status);
        Assert.Equal("bash: helm: command not found\n", _error.ToString());
    }

    [Fact]
    public async Task ShellSyntaxTheSimulatorCannotRunIsRefusedNotFaked()
    {
        var status = await RunAsync("bash -s", "echo hi > /etc/motd\n");

        Assert.Equal(2, status);
        Assert.Contains("uses the operator '>'", _error.ToString());
        Assert.Equal("", _out.ToString());
    }

    [Fact]
    public async Task WithoutSetEAScriptGoesOnAfterAFailure()
    {
        var status = await RunAsync("bash -c 'false'");
        var script = await RunAsync("bash -s", "false\necho 'still here'\n");

        Assert.Equal(1, status);
        Assert.Equal(0, script);
        Assert.Equal("still here\n", _out.ToString());
    }

    [Fact]
    public async Task AnInteractiveLoginIsRefused()
    {
        Assert.Equal(1, await RunAsync(""));
        Assert.Contains("not interactive shells", _error.ToString());
    }

    [Fact]
    public async Task AFailStepFaultFailsTheMatchingStepForItsNumberOfTimes()
    {
        var settings = new SimulatorSettings { FailSteps = [new StepFault { Step = "facts", Node = "w1-1", ExitCode = 42, Times = 2 }] };

        var results = new[]
        {
            await RunAsync("bash -s", "# ladybug-step: facts\n", settings),
            await RunAsync("bash -s", "# ladybug-step: facts\n", settings),
            await RunAsync("bash -s", "# ladybug-step: facts\n", settings),
        };

        Assert.Equal([42, 42, 0], results);
    }

    [Fact]
    public async Task AFaultForAnotherNodeDoesNotApply()
    {
        var settings = new SimulatorSettings { FailSteps = [new StepFault { Step = "*", Node = "cp-1" }] };

        Assert.Equal(0, await RunAsync("hostname", settings: settings));
    }

    [Fact]
    public async Task ADroppedConnectionCutsTheOutputAfterItsLines()
    {
        var settings = new SimulatorSettings { DropConnections = [new StepFault { Step = "facts", AfterLines = 3 }] };

        var status = await RunAsync("bash -s", "# ladybug-step: facts\n", settings);

        Assert.Equal(NodeSimulator.DroppedExitCode, status);
        Assert.Equal(1, _drops);
        Assert.Equal(["hostname=host-w1-1", "publicIp=127.0.9.9", "privateIp=10.1.0.9"], _out.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task ConcurrentClusterUpdatesAreNotLost()
    {
        var cluster = new SimulatedCluster(Path.Combine(_root, "cluster"));

        await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(() => cluster.Update<Members>("members", m => m with { Names = [.. m.Names, $"n{i}"] }))));

        Assert.Equal(24, cluster.Read<Members>("members").Names.Distinct().Count());
    }

    [Fact]
    public void TheVirtualFilesystemStaysInsideTheVm()
    {
        var node = Node();

        Assert.Throws<ArgumentException>(() => node.WriteFile("/../../escape", "x"));
        Assert.Throws<ArgumentException>(() => node.ReadFile("relative/path"));
        Assert.Throws<ArgumentException>(() => node.Read<Members>("../members"));
    }
}
