namespace Ladybug.Sandbox.Simulator;

/// <summary>
/// A bootstrap step the simulated VM recognises by the marker line its script carries:
/// <c># ladybug-step: &lt;name&gt; [key=value ...]</c>. The script arrives on stdin (<c>sudo bash -s -- args</c>);
/// instead of running it, the simulator calls <see cref="RunAsync"/>, whose return value is the exit code the
/// SSH client sees. Register new steps in <see cref="SimulatorCatalog"/>.
/// </summary>
public interface INodeStep
{
    /// <summary>The marker name: lower-case letters, digits and '-' (e.g. "kubeadm-init").</summary>
    string Name { get; }
    Task<int> RunAsync(NodeStepContext context);
}

/// <summary>A plain command the simulated VM knows (argv[0], e.g. "hostname", "kubectl"). Register in <see cref="SimulatorCatalog"/>.</summary>
public interface INodeCommand
{
    string Name { get; }
    Task<int> RunAsync(NodeCommandContext context);
}

/// <summary>What a step or command gets: the VM, the cluster it belongs to, and the session's output streams.</summary>
public abstract class NodeContext(SimulatedNode node, SimulatedCluster cluster, TextWriter output, TextWriter error, CancellationToken cancellationToken)
{
    public SimulatedNode Node { get; } = node;
    public SimulatedCluster Cluster { get; } = cluster;
    /// <summary>The session's stdout; the engine streams it line by line. Write whole lines.</summary>
    public TextWriter Out { get; } = output;
    /// <summary>The session's stderr.</summary>
    public TextWriter Error { get; } = error;
    public CancellationToken CancellationToken { get; } = cancellationToken;
}

public sealed class NodeStepContext(
    string step,
    IReadOnlyDictionary<string, string> parameters,
    string script,
    IReadOnlyList<string> arguments,
    SimulatedNode node, SimulatedCluster cluster, TextWriter output, TextWriter error, CancellationToken cancellationToken,
    TimeSpan latency = default,
    SimulatorSettings? settings = null)
    : NodeContext(node, cluster, output, error, cancellationToken)
{
    /// <summary>The sandbox's current settings and faults.</summary>
    public SimulatorSettings Settings { get; } = settings ?? new SimulatorSettings();

    private readonly System.Diagnostics.Stopwatch _stopwatch = System.Diagnostics.Stopwatch.StartNew();

    private TimeSpan Elapsed => _stopwatch.Elapsed;

    /// <summary>The marker name.</summary>
    public string Step { get; } = step;
    /// <summary>The key=value pairs after the name on the marker line.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; } = parameters;
    /// <summary>The whole script, for steps that read values from it.</summary>
    public string Script { get; } = script;
    /// <summary>Positional arguments after <c>bash -s --</c>.</summary>
    public IReadOnlyList<string> Arguments { get; } = arguments;

    /// <summary>How long the step takes in all (Ladybug:Sandbox:StepLatency, or StepLatencies for this step).</summary>
    public TimeSpan Latency { get; } = latency;

    /// <summary>What is left of <see cref="Latency"/>.</summary>
    public TimeSpan Remaining => Latency - Elapsed is { Ticks: > 0 } left ? left : TimeSpan.Zero;

    /// <summary>
    /// Writes <paramref name="lines"/> spread over what is left of the step's latency, the way a real tool's output
    /// trickles in while it works.
    /// </summary>
    public async Task WorkAsync(IReadOnlyCollection<string> lines)
    {
        var start = Elapsed;
        var end = Latency > start ? Latency : start;
        var written = 0;
        foreach (var line in lines)
        {
            await Out.WriteLineAsync(line);
            written++;
            var due = start + (end - start) * written / Math.Max(1, lines.Count) - Elapsed;
            if (due > TimeSpan.Zero)
                await Task.Delay(due, CancellationToken);
        }
    }
}

public sealed class NodeCommandContext(
    string name,
    IReadOnlyList<string> arguments,
    SimulatedNode node, SimulatedCluster cluster, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    : NodeContext(node, cluster, output, error, cancellationToken)
{
    public string Name { get; } = name;
    /// <summary>argv[1..], already unquoted.</summary>
    public IReadOnlyList<string> Arguments { get; } = arguments;
}

/// <summary>The steps and commands a simulated VM knows.</summary>
public sealed class NodeSimulatorRegistry
{
    private readonly Dictionary<string, INodeStep> _steps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, INodeCommand> _commands = new(StringComparer.Ordinal);

    public IEnumerable<string> Steps => _steps.Keys;
    public IEnumerable<string> Commands => _commands.Keys;

    public NodeSimulatorRegistry AddStep(INodeStep step)
    {
        if (!_steps.TryAdd(step.Name, step))
            throw new InvalidOperationException($"Step '{step.Name}' is registered twice.");
        return this;
    }

    public NodeSimulatorRegistry AddCommand(INodeCommand command)
    {
        if (!_commands.TryAdd(command.Name, command))
            throw new InvalidOperationException($"Command '{command.Name}' is registered twice.");
        return this;
    }

    public INodeStep? FindStep(string name) => _steps.GetValueOrDefault(name);

    /// <summary>By name or by path ("/usr/bin/hostname" finds "hostname").</summary>
    public INodeCommand? FindCommand(string name) =>
        _commands.GetValueOrDefault(name) ?? (name.Contains('/') ? _commands.GetValueOrDefault(Path.GetFileName(name)) : null);
}
