using System.Collections.Concurrent;

namespace Ladybug.Engine.Bootstrap;

/// <summary>The step scripts and the shared prelude, read once from the assembly's embedded resources.</summary>
public static class BootstrapScripts
{
    private const string ResourcePrefix = "Ladybug.Bootstrap.Scripts.";
    private const string PreludeName = "prelude";
    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);

    /// <summary>The step's script as shipped: shebang, marker line, comment, body.</summary>
    public static string Template(BootstrapStep step) => Read(step.Name);

    /// <summary>Functions and argument parsing every step script starts with.</summary>
    public static string Prelude => Read(PreludeName);

    private static string Read(string name) => Cache.GetOrAdd(name, static n =>
    {
        using var stream = typeof(BootstrapScripts).Assembly.GetManifestResourceStream($"{ResourcePrefix}{n}.sh")
            ?? throw new InvalidOperationException($"Bootstrap script '{n}.sh' is not embedded in {typeof(BootstrapScripts).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        // Scripts run on Linux: never let a checkout's CRLF reach bash.
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
    });

    /// <summary>Names of every embedded script (for tests that check them all).</summary>
    public static IReadOnlyList<string> EmbeddedNames { get; } = typeof(BootstrapScripts).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..^".sh".Length])
        .Order(StringComparer.Ordinal)
        .ToList();
}
