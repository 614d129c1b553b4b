using System.Text.Json;
using System.Text.Json.Nodes;
using Ladybug.Api.Contracts;
using YamlDotNet.Serialization;

namespace Ladybug.Cli.Output;

/// <summary>Writes resources as a table (for people), or as YAML or JSON with the API's field names (for scripts).</summary>
public sealed class Printer(TextWriter output, string format)
{
    private static readonly JsonSerializerOptions Indented = new(McksJson.Options) { WriteIndented = true };
    private static readonly ISerializer Yaml = new SerializerBuilder().WithQuotingNecessaryStrings(quoteYaml1_1Strings: true).Build();

    public string Format { get; } = format;

    public void Write<T>(T value, Func<T, Table> table)
    {
        switch (Format)
        {
            case GlobalOptions.Json:
                output.WriteLine(JsonSerializer.Serialize(value, Indented));
                break;
            case GlobalOptions.Yaml:
                output.Write(ToYaml(JsonSerializer.SerializeToNode(value, McksJson.Options)));
                break;
            default:
                table(value).WriteTo(output);
                break;
        }
    }

    /// <summary>Through JSON, so YAML keys are exactly the API's (k8sVersion, loadbalancer…), and values keep their JSON types.</summary>
    public static string ToYaml(JsonNode? node) => Yaml.Serialize(ToPlain(node));

    private static object? ToPlain(JsonNode? node) => node switch
    {
        JsonObject o => o.ToDictionary(p => p.Key, p => ToPlain(p.Value)),
        JsonArray a => a.Select(ToPlain).ToList(),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        JsonValue v => v.ToJsonString(),
        _ => null,
    };

    public static Table Clusters(IReadOnlyList<ClusterResource> clusters) => new(
        ["NAME", "PHASE", "HEALTH", "VERSION", "CNI", "LB", "NODES", "AGE", "REASON"],
        [.. clusters.Select(c => (IReadOnlyList<string>)[c.Name, c.Status.Phase, Health(c.Status), c.K8sVersion, c.NetworkCni, c.Loadbalancer,
            c.Nodes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), Age(c.CreatedTime),
            c.Status.Reason.Length > 0 ? c.Status.Reason : c.Status.HealthReason])]);

    /// <summary>"Healthy", "Degraded (via SSH)"…: the watch mode matters only when it is not the API.</summary>
    private static string Health(ClusterStatus status) =>
        status.WatchMode == "ssh" ? $"{status.Health} (via SSH)" : status.Health;

    public static Table Nodes(IReadOnlyList<NodeResource> nodes) => new(
        ["NAME", "ROLE", "STATUS", "READY", "CSP", "REGION", "ZONE", "PUBLIC-IP", "PRIVATE-IP", "SPEC"],
        [.. nodes.Select(n => (IReadOnlyList<string>)[n.Name, n.Role, n.Status, n.Readiness + (n.Cordoned ? ",SchedulingDisabled" : ""), n.Csp, n.Region, n.Zone,
            n.PublicIp, n.PrivateIp, n.Spec])]);

    public static Table Connections(IReadOnlyList<ConnectionItem> connections) => new(
        ["NAME", "CSP", "REGION", "ZONE", "LOCATION"],
        [.. connections.Select(c => (IReadOnlyList<string>)[c.Name, c.Csp, c.Region, c.Zone, c.Location])]);

    public static Table Specs(IReadOnlyList<SpecItem> specs) => new(
        ["NAME", "VCPU", "MEMORY(GiB)", "USD/HOUR"],
        [.. specs.Select(s => (IReadOnlyList<string>)[s.Name, s.Cpu.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            s.Memory.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture),
            s.CostPerHour is { } cost ? cost.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture) : "unknown"])]);

    public static string Age(DateTimeOffset? since)
    {
        if (since is null) return "";
        var age = DateTimeOffset.UtcNow - since.Value;
        return age.TotalMinutes < 1 ? $"{Math.Max(0, (int)age.TotalSeconds)}s"
            : age.TotalHours < 1 ? $"{(int)age.TotalMinutes}m"
            : age.TotalDays < 1 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
    }
}

/// <summary>Left-aligned columns separated by three spaces, like kubectl's.</summary>
public sealed record Table(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public void WriteTo(TextWriter output)
    {
        var widths = Headers.Select((h, i) => Rows.Select(r => r[i].Length).Prepend(h.Length).Max()).ToArray();
        foreach (var row in Rows.Prepend(Headers))
            output.WriteLine(string.Join("   ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
    }
}
