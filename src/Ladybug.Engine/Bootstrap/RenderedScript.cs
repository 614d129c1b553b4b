using System.Text.RegularExpressions;
using Redactor = Ladybug.Engine.Secrets.LogRedactor;

namespace Ladybug.Engine.Bootstrap;

/// <summary>One <c>--name=value</c> argument of a step script.</summary>
public sealed record ScriptArgument(string Name, string Value)
{
    public override string ToString() => $"--{Name}={Value}";
}

/// <summary>
/// A step script ready to run: the text goes to <c>sudo bash -s -- args</c> on stdin. <see cref="Secrets"/>
/// are the values the output must never show (redacted before any line reaches the log).
/// </summary>
public sealed partial record RenderedScript(BootstrapStep Step, string Text, IReadOnlyList<ScriptArgument> Arguments, IReadOnlyList<string> Secrets)
{
    /// <summary>How long the step may run; null means <see cref="SshOptions.CommandTimeout"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The exact remote command: the script itself comes on stdin.</summary>
    public string CommandLine => "sudo bash -s --" + string.Concat(Arguments.Select(a => " " + ShellQuote(a.ToString())));

    /// <summary>The command line with secret values masked, for logs and error messages.</summary>
    public string DisplayCommandLine => Secrets.Where(s => s.Length > 0)
        .Aggregate(CommandLine, (line, secret) => line.Replace(secret, Redactor.Mask, StringComparison.Ordinal));

    /// <summary>The value of a single-valued argument, or null.</summary>
    public string? Argument(string name) => Arguments.FirstOrDefault(a => a.Name == name)?.Value;

    /// <summary>Every value of a repeatable argument, in order.</summary>
    public IEnumerable<string> ArgumentValues(string name) => Arguments.Where(a => a.Name == name).Select(a => a.Value);

    [GeneratedRegex(@"^[A-Za-z0-9_./:,=@+%-]+$")]
    private static partial Regex ShellSafe();

    /// <summary>Leaves plain words alone (so the sandbox simulator can split on spaces) and single-quotes the rest.</summary>
    public static string ShellQuote(string word) =>
        ShellSafe().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public override string ToString() => $"{Step.Name}: {DisplayCommandLine}";
}
