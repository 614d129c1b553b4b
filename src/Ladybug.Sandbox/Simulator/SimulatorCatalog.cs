namespace Ladybug.Sandbox.Simulator;

/// <summary>
/// Everything a simulated VM knows, in one place. To teach it a bootstrap step, implement <see cref="INodeStep"/>
/// (the engine's script carries <c># ladybug-step: &lt;Name&gt;</c>) and add it below; plain commands
/// (<c>kubectl</c>…) implement <see cref="INodeCommand"/>.
/// </summary>
public static class SimulatorCatalog
{
    public static NodeSimulatorRegistry CreateRegistry() => new NodeSimulatorRegistry()
        // Plain commands
        .AddCommand(new HostnameCommand())
        .AddCommand(new EchoCommand())
        .AddCommand(new ExitStatusCommand("true", 0))
        .AddCommand(new ExitStatusCommand("false", 1))
        .AddCommand(new WhoamiCommand())
        .AddCommand(new UnameCommand())
        .AddCommand(new NprocCommand())
        .AddCommand(new CatCommand())
        .AddCommand(new SleepCommand())
        // Bootstrap steps, by marker name
        .AddStep(new FactsStep());
}
