using k8s.Models;
using Ladybug.Engine.Domain;

namespace Ladybug.Engine.Watch;

/// <summary>
/// What the pods watch tells about each node: how many pods it runs and, on a control plane, whether its etcd member
/// is healthy. One pods watch per cluster costs less than asking each node, and needs nothing on the nodes.
/// </summary>
public sealed class PodTally
{
    private readonly Dictionary<(string Namespace, string Name), Pod> _pods = [];

    private sealed record Pod(string? NodeName, bool Counts, bool IsEtcd, bool Ready);

    public void Clear() => _pods.Clear();

    public void Set(V1Pod pod)
    {
        var key = (pod.Metadata?.NamespaceProperty ?? "", pod.Metadata?.Name ?? "");
        var labels = pod.Metadata?.Labels;
        // kubeadm's static pods carry component=<name> and tier=control-plane (kubernetes cmd/kubeadm/app/util/staticpod/utils.go
        // ComponentPod); the kubelet mirrors etcd's as "etcd-<node>" in kube-system. kubeadm's etcd manifest has liveness and
        // startup probes on etcd's /health and no readiness probe, so Ready means the member runs and its node reports.
        var isEtcd = key.Item1 == "kube-system" && labels is not null
            && labels.TryGetValue("component", out var component) && component == "etcd"
            && labels.TryGetValue("tier", out var tier) && tier == "control-plane";
        // kubectl describe node counts "Non-terminated Pods": phase neither Succeeded nor Failed (kubectl pkg/describe describe.go).
        var counts = pod.Status?.Phase is not ("Succeeded" or "Failed");
        var ready = pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") ?? false;
        _pods[key] = new Pod(pod.Spec?.NodeName, counts, isEtcd, ready);
    }

    public void Remove(V1Pod pod) => _pods.Remove((pod.Metadata?.NamespaceProperty ?? "", pod.Metadata?.Name ?? ""));

    /// <summary>Non-terminated pods per node name, in one pass.</summary>
    public Dictionary<string, int> PodCounts()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var pod in _pods.Values)
            if (pod.Counts && pod.NodeName is { } node)
                counts[node] = counts.GetValueOrDefault(node) + 1;
        return counts;
    }

    /// <summary>Null when the node runs no etcd static pod (a worker, or a control plane whose pod is not seen).</summary>
    public EtcdMemberHealth? Etcd(string nodeName) =>
        _pods.Values.FirstOrDefault(p => p.IsEtcd && p.NodeName == nodeName) is { } etcd
            ? etcd.Ready ? EtcdMemberHealth.Healthy : EtcdMemberHealth.Unhealthy
            : null;
}
