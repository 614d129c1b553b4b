using System.Text;
using System.Text.RegularExpressions;

namespace Ladybug.Sandbox.Simulator;

/// <summary>
/// What a sandbox VM does with every SSH command (relayed by <see cref="SimulatorHost"/> from sshd's ForceCommand): it
/// reads the engine's command (SSH_ORIGINAL_COMMAND) and, for <c>bash -s</c>, the script from stdin. A script carrying a step marker
/// (<c># ladybug-step: name</c>) is handed to that step's handler; other scripts run line by line as simple
/// commands; unknown commands fail with 127 like a shell. Faults (failing steps, dropped connections) apply here.
/// </summary>
public sealed partial class NodeSimulator(
    NodeSimulatorRegistry registry,
    SimulatedNode node,
    SimulatedCluster cluster,
    SimulatorSettings settings,
    TextReader input,
    TextWriter output,
    TextWriter error,
    Action dropConnection)
{
    public const string MarkerPrefix = "# ladybug-step:";
    /// <summary>What a dropped session reports if the process outlives the drop (ssh uses 255 for connection errors).</summary>
    public const int DroppedExitCode = 255;

    [GeneratedRegex(@"^[ \t]*#[ \t]*ladybug-step:[ \t]*(?<name>[a-z0-9][a-z0-9-]*)(?<params>([ \t]+[A-Za-z0-9_.-]+=[^ \t]*)*)[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex MarkerPattern();

    private static readonly HashSet<string> Shells = new(["bash", "sh", "/bin/bash", "/bin/sh", "/usr/bin/bash", "/usr/bin/sh"], StringComparer.Ordinal);

    /// <summary>Runs one SSH command; the result is its exit code.</summary>
    public async Task<int> RunAsync(string? command, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(command))
        {
            await error.WriteLineAsync("This Ladybug sandbox VM runs commands (ssh host 'command'), not interactive shells.");
            return 1;
        }
        var parsed = ShellWords.Parse(command);
        if (parsed.SyntaxError is not null)
        {
            await error.WriteLineAsync($"bash: -c: line 1: {parsed.SyntaxError}");
            return 2;
        }
        if (parsed.Unsupported is not null)
            return await RefuseAsync(command, parsed.Unsupported, line: null);

        var words = WithoutSudo(parsed.Words);
        if (words.Count == 0) return 0;
        return Shells.Contains(words[0])
            ? await RunShellAsync(words.Skip(1).ToList(), cancellationToken)
            : await RunCommandAsync(words, line: null, cancellationToken);
    }

    /// <summary><c>bash [-e…] [-o opt] (-s | -c 'cmd') [-- args]</c>; a script file would not exist on the VM.</summary>
    private async Task<int> RunShellAsync(List<string> args, CancellationToken cancellationToken)
    {
        var errexit = false;
        string? inline = null;
        var positional = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--") { positional.AddRange(args.Skip(i + 1)); break; }
            if (arg == "-c" && i + 1 < args.Count) { inline = args[++i]; positional.AddRange(args.Skip(i + 1)); break; }
            if (arg == "-o" && i + 1 < args.Count) { errexit |= args[++i] == "errexit"; continue; }
            if (arg.Length > 1 && arg[0] == '-' && arg.Skip(1).All(c => "sexuv".Contains(c))) { errexit |= arg.Contains('e'); continue; }
            await error.WriteLineAsync($"bash: {arg}: No such file or directory");
            return 127;
        }
        var script = inline ?? await input.ReadToEndAsync(cancellationToken);
        return await RunScriptAsync(script, positional, errexit, cancellationToken);
    }

    private async Task<int> RunScriptAsync(string script, IReadOnlyList<string> arguments, bool errexit, CancellationToken cancellationToken)
    {
        var marker = MarkerPattern().Match(script);
        if (marker.Success)
            return await RunStepAsync(marker, script, arguments, cancellationToken);

        var status = 0;
        var lines = script.Split('\n');
        for (var n = 1; n <= lines.Length; n++)
        {
            var line = lines[n - 1].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parsed = ShellWords.Parse(line);
            if (parsed.SyntaxError is not null)
            {
                await error.WriteLineAsync($"bash: line {n}: {parsed.SyntaxError}");
                return 2;
            }
            if (parsed.Unsupported is not null)
                return await RefuseAsync(line, parsed.Unsupported, n);
            var words = WithoutSudo(parsed.Words);
            switch (words[0])
            {
                case "set":
                    errexit = SetErrexit(words, errexit);
                    status = 0;
                    continue;
                case "exit":
                    return words.Count > 1 && int.TryParse(words[1], out var code) ? code & 0xFF : status;
            }
            status = await RunCommandAsync(words, n, cancellationToken);
            if (status != 0 && errexit) return status;
        }
        return status;
    }

    private async Task<int> RunStepAsync(Match marker, string script, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var name = marker.Groups["name"].Value;
        var parameters = marker.Groups["params"].Value
            .Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        var step = registry.FindStep(name);
        if (step is null)
        {
            await error.WriteLineAsync($"ladybug-sandbox: the simulated VM has no handler for step '{name}' (known: {string.Join(", ", registry.Steps.Order())}).");
            return 127;
        }
        var latency = settings.LatencyOf(name);
        if (Claim(settings.RestartNetworkd, "networkd", name) is not null)
            VmNetwork.Update(node, n => n.RestartNetworkd());
        return await WithFaultsAsync(name, async (o, e) =>
        {
            var context = new NodeStepContext(name, parameters, script, arguments, node, cluster, o, e, cancellationToken, latency, settings);
            int status;
            try
            {
                status = await step.RunAsync(context);
            }
            catch (Kubernetes.NodeStepFailure failure)
            {
                await e.WriteLineAsync(failure.Verbatim ? failure.Message : $"[ladybug] error: {failure.Message}");
                status = failure.ExitCode;
            }
            // A step that finished early still takes its latency, like a real one.
            if (context.Remaining > TimeSpan.Zero)
                await Task.Delay(context.Remaining, cancellationToken);
            return status;
        });
    }

    private async Task<int> RunCommandAsync(IReadOnlyList<string> words, int? line, CancellationToken cancellationToken)
    {
        var command = registry.FindCommand(words[0]);
        if (command is null)
        {
            await error.WriteLineAsync(line is null ? $"bash: {words[0]}: command not found" : $"bash: line {line}: {words[0]}: command not found");
            return 127;
        }
        return await WithFaultsAsync(command.Name, (o, e) => command.RunAsync(
            new NodeCommandContext(command.Name, words.Skip(1).ToList(), node, cluster, o, e, cancellationToken)));
    }

    /// <summary>Applies the FailSteps and DropConnections faults that match this step or command on this node.</summary>
    private async Task<int> WithFaultsAsync(string name, Func<TextWriter, TextWriter, Task<int>> run)
    {
        if (Claim(settings.FailSteps, "fail", name) is { } failure)
        {
            await error.WriteLineAsync($"ladybug-sandbox: '{name}' fails on {node.Identity.Id} on purpose (Ladybug:Sandbox:Faults:FailSteps).");
            return failure.ExitCode;
        }
        var drop = Claim(settings.DropConnections, "drop", name);
        if (drop is null) return await run(output, error);

        var dropping = new DroppingWriter(output, drop.AfterLines, dropConnection);
        try
        {
            if (drop.AfterLines <= 0) dropping.Drop();
            var status = await run(dropping, error);
            dropping.Drop(); // fewer lines than asked for: drop before the exit status reaches the client
            return status;
        }
        catch (ConnectionDroppedException)
        {
            return DroppedExitCode;
        }
    }

    /// <summary>The first fault that matches and still has uses left on this node; counts the use.</summary>
    private StepFault? Claim(IEnumerable<StepFault> faults, string kind, string name)
    {
        foreach (var (fault, index) in faults.Select((f, i) => (f, i)))
        {
            if (!fault.Matches(name, node.Identity.Id)) continue;
            if (fault.Times <= 0) return fault;
            var counter = node.Update<FaultCounter>($"fault-{kind}-{index}", c => c with { Used = c.Used + 1 });
            if (counter.Used <= fault.Times) return fault;
        }
        return null;
    }

    private async Task<int> RefuseAsync(string text, string what, int? line)
    {
        var where = line is null ? "" : $"line {line}: ";
        await error.WriteLineAsync($"ladybug-sandbox: {where}'{text}' uses {what}, which needs a real shell. " +
            $"The simulated VM runs simple commands, or a script marked '{MarkerPrefix} <name>'.");
        return 2;
    }

    private static bool SetErrexit(IReadOnlyList<string> words, bool errexit)
    {
        for (var i = 1; i < words.Count; i++)
        {
            var word = words[i];
            if (word is "-o" or "+o" && i + 1 < words.Count && words[i + 1] == "errexit") errexit = word == "-o";
            else if (word.StartsWith('-') && word.Contains('e') && word != "-o") errexit = true;
            else if (word.StartsWith('+') && word.Contains('e') && word != "+o") errexit = false;
        }
        return errexit;
    }

    /// <summary>Everything runs as root on the simulated VM, so sudo only has to be stepped over (with its flags).</summary>
    private static List<string> WithoutSudo(IReadOnlyList<string> words)
    {
        var i = 0;
        if (words.Count > 0 && words[0] == "sudo")
        {
            i = 1;
            while (i < words.Count && words[i].StartsWith('-'))
            {
                if (words[i] == "--") { i++; break; }
                i += words[i] is "-u" or "-g" or "-C" or "-h" && i + 1 < words.Count ? 2 : 1;
            }
        }
        return words.Skip(i).ToList();
    }

    private sealed record FaultCounter
    {
        public int Used { get; init; }
    }

    private sealed class ConnectionDroppedException() : Exception("The SSH connection was dropped on purpose.");

    /// <summary>Passes output through until the fault's line count is reached, then drops the connection.</summary>
    private sealed class DroppingWriter(TextWriter inner, int afterLines, Action dropConnection) : TextWriter
    {
        private int _lines;

        public override Encoding Encoding => inner.Encoding;

        public override void Write(char value)
        {
            inner.Write(value);
            if (value == '\n' && ++_lines >= afterLines) Drop();
        }

        public override void Flush() => inner.Flush();

        public void Drop()
        {
            inner.Flush();
            dropConnection();
            throw new ConnectionDroppedException();
        }
    }
}
