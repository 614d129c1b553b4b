namespace Ladybug.Engine.Bootstrap;

/// <summary>The machine-readable lines the wait-ready step ends with: <c>ladybug-node: &lt;name&gt; &lt;kubelet version&gt;</c>.</summary>
public static class WaitReadyReport
{
    public const string LinePrefix = "ladybug-node: ";

    /// <summary>Kubelet version by node name, for every node the step reported Ready.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string stdout)
    {
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in stdout.Split('\n'))
        {
            var trimmed = line.Trim();
            if (!trimmed.StartsWith(LinePrefix, StringComparison.Ordinal)) continue;
            var parts = trimmed[LinePrefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 1)
                versions[parts[0]] = parts.Length >= 2 ? parts[1] : "";
        }
        return versions;
    }
}
