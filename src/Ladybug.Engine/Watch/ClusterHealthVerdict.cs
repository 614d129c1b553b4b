using System.Globalization;
using Ladybug.Engine.Domain;

namespace Ladybug.Engine.Watch;

/// <summary>The cluster's health with the reason a person reads first.</summary>
public sealed record ClusterHealthVerdict(ClusterHealth Health, string? Reason)
{
    public static ClusterHealthVerdict Unreachable(string reason) => new(ClusterHealth.Unreachable, reason);

    /// <summary>
    /// Degraded when a node the console joined is not Ready, is missing from the API, or runs an etcd member that is not
    /// healthy; Healthy otherwise. Nodes still joining or being removed (their Status is not Ready) do not count.
    /// </summary>
    public static ClusterHealthVerdict Of(IEnumerable<Node> joined, IReadOnlyDictionary<string, NodeWatchFacts> seen)
    {
        var problems = new List<string>();
        foreach (var node in joined.OrderBy(n => n.Role).ThenBy(n => n.Name, StringComparer.Ordinal))
        {
            if (!seen.TryGetValue(node.Name, out var facts))
                problems.Add($"node {node.Name} is not registered with the API server");
            else if (facts.Readiness != NodeReadiness.Ready)
                problems.Add($"node {node.Name} {facts.Readiness}{Since(facts.Since)}{(facts.Reason is null ? "" : $" ({facts.Reason})")}");
            else if (facts.EtcdHealth == EtcdMemberHealth.Unhealthy)
                problems.Add($"etcd member on {node.Name} is not Ready");
        }
        return problems.Count == 0 ? new(ClusterHealth.Healthy, null) : new(ClusterHealth.Degraded, string.Join("; ", problems));
    }

    private static string Since(DateTimeOffset? since) =>
        since is { } at ? " since " + at.ToUniversalTime().ToString("HH:mm", CultureInfo.InvariantCulture) : "";
}
