using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Ladybug.Sandbox.Simulator.Kubernetes;

/// <summary>
/// A step's <c>--name=value</c> arguments, read the way the scripts' prelude reads them: a name given more than once
/// collects its values in order; anything else is refused. Reading a missing or malformed value throws
/// <see cref="NodeStepFailure"/> with the words the real script or tool would use.
/// </summary>
public sealed partial class StepArguments
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public StepArguments(IEnumerable<string> arguments)
    {
        foreach (var argument in arguments)
        {
            var match = ArgumentPattern().Match(argument);
            if (!match.Success)
                throw new NodeStepFailure($"unexpected argument '{argument}' (expected --name=value)");
            var name = match.Groups["name"].Value;
            if (!_values.TryGetValue(name, out var list)) _values[name] = list = [];
            list.Add(match.Groups["value"].Value);
        }
    }

    /// <summary>The value of a required argument.</summary>
    public string Required(string name) =>
        _values.TryGetValue(name, out var list) ? list[^1] : throw new NodeStepFailure($"missing argument --{name}");

    public string? Optional(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;

    /// <summary>Every value of a repeatable argument; at least one.</summary>
    public IReadOnlyList<string> List(string name) =>
        _values.TryGetValue(name, out var list) && list.Any(v => v.Length > 0)
            ? list.Where(v => v.Length > 0).ToList()
            : throw new NodeStepFailure($"no --{name} given");

    /// <summary>One of <paramref name="allowed"/>.</summary>
    public string OneOf(string name, params string[] allowed)
    {
        var value = Required(name);
        return allowed.Contains(value, StringComparer.Ordinal)
            ? value
            : throw new NodeStepFailure($"--{name}={value} is not one of {string.Join(", ", allowed)}");
    }

    public string Ipv4(string name) => CheckIpv4(name, Required(name));

    public static string CheckIpv4(string what, string value) =>
        IPAddress.TryParse(value, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && value.Count(c => c == '.') == 3
            ? value
            : throw new NodeStepFailure($"--{what}={value} is not an IPv4 address");

    /// <summary>An IPv4 CIDR such as 10.244.0.0/16.</summary>
    public string Cidr(string name)
    {
        var value = Required(name);
        var parts = value.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var bits) || bits is < 8 or > 30)
            throw new NodeStepFailure($"--{name}={value} is not an IPv4 CIDR such as 10.244.0.0/16");
        CheckIpv4(name, parts[0]);
        return value;
    }

    /// <summary>A whole number of seconds, at least 1.</summary>
    public int Seconds(string name)
    {
        var value = Required(name);
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? seconds
            : throw new NodeStepFailure($"--{name}={value} is not a number of seconds");
    }

    /// <summary>A value that must match kubeadm's format for it.</summary>
    public string Matching(string name, Regex format, string description)
    {
        var value = Required(name);
        return format.IsMatch(value) ? value : throw new NodeStepFailure($"--{name} is not {description}");
    }

    [GeneratedRegex("^--(?<name>[a-z][a-z0-9-]*)=(?<value>.*)$", RegexOptions.Singleline)]
    private static partial Regex ArgumentPattern();
}

/// <summary>
/// A simulated step failing the way the real one would: <see cref="Exception.Message"/> goes to stderr (prefixed like
/// the script's <c>die</c>, or verbatim when <see cref="Verbatim"/>), <see cref="ExitCode"/> is what the client sees.
/// </summary>
public sealed class NodeStepFailure(string message, int exitCode = 1, bool verbatim = false) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
    public bool Verbatim { get; } = verbatim;
}
