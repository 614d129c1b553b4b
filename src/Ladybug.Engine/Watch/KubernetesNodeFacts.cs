using k8s.Models;
using Ladybug.Engine.Domain;

namespace Ladybug.Engine.Watch;

/// <summary>Reads <see cref="NodeWatchFacts"/> from the Kubernetes API's Node object.</summary>
public static class KubernetesNodeFacts
{
    /// <summary>The Node object's own facts; pods and etcd come from the pods the watch sees.</summary>
    public static NodeWatchFacts From(V1Node node, int? podCount, EtcdMemberHealth? etcd)
    {
        // The Ready condition's status is "True", "False" or "Unknown" (k8s.io/api core/v1 types.go ConditionStatus);
        // a node without one has not posted status yet, which kubectl also shows as NotReady.
        var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        var readiness = ready?.Status switch
        {
            "True" => NodeReadiness.Ready,
            "False" => NodeReadiness.NotReady,
            _ => NodeReadiness.Unknown,
        };
        var info = node.Status?.NodeInfo;
        var labels = node.Metadata?.Labels?.Where(l => l.Key.StartsWith("topology.", StringComparison.Ordinal))
            .OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}").ToList() ?? [];
        return new NodeWatchFacts(
            readiness,
            ready?.Reason,
            ready?.LastTransitionTime is { } since ? new DateTimeOffset(DateTime.SpecifyKind(since, DateTimeKind.Utc)) : null,
            info?.KubeletVersion,
            info?.OsImage,
            info?.ContainerRuntimeVersion,
            Quantity(node, "cpu"),
            Quantity(node, "memory"),
            podCount,
            node.Spec?.Unschedulable ?? false,
            labels.Count == 0 ? null : string.Join('\n', labels),
            etcd);
    }

    private static string? Quantity(V1Node node, string resource) =>
        node.Status?.Allocatable is { } allocatable && allocatable.TryGetValue(resource, out var quantity) ? quantity.ToString() : null;
}
