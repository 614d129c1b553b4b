using System.Globalization;

namespace Ladybug.Engine.Domain;

/// <summary>What the cluster watch keeps of one Kubernetes Node (stored on <see cref="Node"/>, sent with NodeChanged).</summary>
public sealed record NodeWatchFacts(
    NodeReadiness Readiness,
    string? Reason,
    DateTimeOffset? Since,
    string? KubeletVersion,
    string? OsImage,
    string? ContainerRuntime,
    string? AllocatableCpu,
    string? AllocatableMemory,
    int? PodCount,
    bool Cordoned,
    string? TopologyLabels,
    EtcdMemberHealth? EtcdHealth)
{
    public static NodeWatchFacts? Stored(Node node) => node.Readiness is not { } readiness ? null : new NodeWatchFacts(
        readiness, node.ReadinessReason, node.ReadinessSince, node.KubeletVersion, node.OsImage, node.ContainerRuntime,
        node.AllocatableCpu, node.AllocatableMemory, node.PodCount, node.Cordoned, node.TopologyLabels, node.EtcdHealth);

    public void ApplyTo(Node node)
    {
        node.Readiness = Readiness;
        node.ReadinessReason = Reason;
        node.ReadinessSince = Since;
        node.KubeletVersion = KubeletVersion;
        node.OsImage = OsImage;
        node.ContainerRuntime = ContainerRuntime;
        node.AllocatableCpu = AllocatableCpu;
        node.AllocatableMemory = AllocatableMemory;
        node.PodCount = PodCount;
        node.Cordoned = Cordoned;
        node.TopologyLabels = TopologyLabels;
        node.EtcdHealth = EtcdHealth;
    }

    /// <summary>The same facts with the pod count and etcd health of <paramref name="known"/>, for reads that cannot see pods (SSH).</summary>
    public NodeWatchFacts WithPodsOf(NodeWatchFacts? known) => this with { PodCount = known?.PodCount, EtcdHealth = known?.EtcdHealth };

    /// <summary>"Ready since 11:02:03 (KubeletReady)": how the history and health reasons name a readiness.</summary>
    public string ReadinessText => $"{Readiness}{(Since is { } since ? " since " + since.ToUniversalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture) : "")}{(Reason is null ? "" : $" ({Reason})")}";

    /// <summary>What changed from <paramref name="before"/>, in words, for the cluster's history; null when only the pod count moved.</summary>
    public string? Describe(NodeWatchFacts? before)
    {
        if (before is null)
            return $"{ReadinessText}, kubelet {KubeletVersion}, {ContainerRuntime}{(Cordoned ? ", cordoned" : "")}{Etcd(EtcdHealth)}";
        var parts = new List<string>();
        if (before.Readiness != Readiness || before.Reason != Reason || before.Since != Since) parts.Add(ReadinessText);
        if (before.Cordoned != Cordoned) parts.Add(Cordoned ? "cordoned" : "uncordoned");
        if (before.KubeletVersion != KubeletVersion) parts.Add($"kubelet {KubeletVersion}");
        if (before.ContainerRuntime != ContainerRuntime) parts.Add($"runtime {ContainerRuntime}");
        if (before.OsImage != OsImage) parts.Add($"OS {OsImage}");
        if (before.AllocatableCpu != AllocatableCpu || before.AllocatableMemory != AllocatableMemory) parts.Add($"allocatable cpu {AllocatableCpu}, memory {AllocatableMemory}");
        if (before.TopologyLabels != TopologyLabels) parts.Add($"topology labels {(TopologyLabels ?? "none").Replace('\n', ',')}");
        if (before.EtcdHealth != EtcdHealth) parts.Add($"etcd member {EtcdHealth?.ToString() ?? "not seen"}");
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    private static string Etcd(EtcdMemberHealth? health) => health is null ? "" : $", etcd member {health}";
}
