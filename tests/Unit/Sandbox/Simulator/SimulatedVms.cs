using Ladybug.Engine.Bootstrap;
using Ladybug.Sandbox;
using Ladybug.Sandbox.Simulator;
using Ladybug.Tests.Unit.Engine.Bootstrap;

namespace Ladybug.Tests.Unit.Sandbox.Simulator;

/// <summary>What one simulated step printed and how it exited.</summary>
public sealed record StepOutcome(int Status, string Out, string Error);

/// <summary>
/// Simulated VMs of one test Infra in a temporary directory, run in-process with the engine's rendered scripts. Each VM's
/// public IP is the one <see cref="BootstrapFixtures"/> gives its node; all of them share the Infra's cluster directory.
/// </summary>
public sealed class SimulatedVms(string prefix) : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory(prefix).FullName;
    public string ClusterDirectory => Path.Combine(Root, "cluster");

    public void Dispose() => Directory.Delete(Root, recursive: true);

    public SimulatedNode Vm(NodeFacts facts)
    {
        var directory = Path.Combine(Root, "nodes", facts.Name);
        if (!File.Exists(Path.Combine(directory, SimulatedNode.IdentityFile)))
        {
            SimulatorFileStore.Write(Path.Combine(directory, SimulatedNode.IdentityFile), new NodeIdentity
            {
                Id = facts.Name, Uid = facts.Name, Hostname = facts.Name, InfraId = "cb-cluster", Namespace = "default", Csp = facts.Csp,
                Region = facts.Region, Zone = facts.Zone, PublicIp = facts.PublicIp, PrivateIp = facts.PrivateIp ?? "", User = "root",
                VCpu = 2, MemoryGiB = 4, UbuntuRelease = "22.04", ClusterDirectory = ClusterDirectory,
            });
        }
        return SimulatedNode.Load(directory);
    }

    public async Task<StepOutcome> RunAsync(NodeFacts node, RenderedScript script, SimulatorSettings? settings = null)
    {
        var vm = Vm(node);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var simulator = new NodeSimulator(SimulatorCatalog.CreateRegistry(), vm, new SimulatedCluster(vm.Identity.ClusterDirectory),
            settings ?? new SimulatorSettings(), new StringReader(script.Text), output, error, () => throw new InvalidOperationException("no drops here"));
        var status = await simulator.RunAsync(script.CommandLine, CancellationToken.None);
        return new StepOutcome(status, output.ToString(), error.ToString());
    }

    public async Task<StepOutcome> RunOkAsync(NodeFacts node, RenderedScript script, SimulatorSettings? settings = null)
    {
        var outcome = await RunAsync(node, script, settings);
        Assert.True(outcome.Status == 0, $"{script.Step.Name} on {node.Name} exited {outcome.Status}: {outcome.Error}");
        return outcome;
    }
}
