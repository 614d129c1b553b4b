using Ladybug.Api.Contracts;
using Ladybug.Engine.Certificates;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Infrastructure;

namespace Ladybug.Web.Api;

/// <summary>Stored entities as MCKS resources. Only fields listed here leave the server: no kubeconfig, no keys.</summary>
internal static class McksResourceMapper
{
    /// <summary>The node label keys cb-mcks applied; the bootstrap applies the same ones.</summary>
    public const string CspLabelKey = "topology.cloud-barista.github.io/csp";
    public const string RegionLabelKey = "topology.kubernetes.io/region";
    public const string ZoneLabelKey = "topology.kubernetes.io/zone";

    public static ClusterResource ToResource(ClusterView cluster, CertificateExpiryView certificates, ClusterActions actions) => new()
    {
        Name = cluster.Name,
        Status = new ClusterStatus
        {
            Phase = cluster.Phase.ToString(), Reason = cluster.Reason ?? "", Message = cluster.Message ?? "",
            Certificates = certificates.Of(cluster) is { Count: > 0 } read ? read.Select(ToResource).ToList() : null,
            Health = cluster.Health?.ToString() ?? "", HealthReason = cluster.HealthReason ?? "", WatchMode = cluster.WatchMode?.ToString().ToLowerInvariant() ?? "",
            Actions = [.. actions.Allowed.Select(a => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(a.ToString()))],
        },
        Mcis = cluster.InfraId ?? "",
        Namespace = cluster.Namespace,
        K8sVersion = cluster.KubernetesVersion,
        CpLeader = cluster.LeaderNodeName ?? "",
        CpGroup = cluster.ControlPlanePool?.Name ?? "",
        NetworkCni = cluster.Cni.ToString().ToLowerInvariant(),
        Label = cluster.Label,
        InstallMonAgent = McksRequestMapper.DefaultInstallMonAgent,
        Loadbalancer = cluster.LoadBalancer.ToString().ToLowerInvariant(),
        Etcd = McksRequestMapper.LocalEtcd,
        Description = cluster.Description,
        CreatedTime = cluster.CreatedAt.ToUniversalTime(),
        Nodes = ToNodes(cluster),
    };

    public static IReadOnlyList<NodeResource> ToNodes(ClusterView cluster) =>
        cluster.Nodes.Where(n => n.DeletedAt is null)
            .OrderBy(n => n.Role).ThenBy(n => n.Name, StringComparer.Ordinal)
            .Select(ToResource).ToList();

    public static NodeResource ToResource(NodeView node) => new()
    {
        Name = node.Name,
        Role = node.Role == NodeRole.ControlPlane ? "control-plane" : "worker",
        Status = node.Status.ToString(),
        PublicIp = node.PublicIp ?? "",
        PrivateIp = node.PrivateIp ?? "",
        Spec = node.Spec,
        Csp = node.Csp,
        Connection = node.Connection,
        Region = node.Region,
        Zone = node.Zone,
        CreatedTime = node.CreatedAt.ToUniversalTime(),
        CspLabel = Label(CspLabelKey, node.Csp),
        RegionLabel = Label(RegionLabelKey, node.Region),
        ZoneLabel = Label(ZoneLabelKey, node.Zone),
        Readiness = node.Readiness?.ToString() ?? "",
        ReadinessReason = node.ReadinessReason ?? "",
        ReadinessSince = node.ReadinessSince?.ToUniversalTime(),
        KubeletVersion = node.KubeletVersion ?? "",
        ContainerRuntime = node.ContainerRuntime ?? "",
        OsImage = node.OsImage ?? "",
        Cordoned = node.Cordoned,
        PodCount = node.PodCount,
        EtcdHealth = node.EtcdHealth?.ToString() ?? "",
    };

    public static CertificateStatus ToResource(CertificateState certificate) => new()
    {
        Name = certificate.Name,
        NotAfter = certificate.ExpiresAt.ToUniversalTime(),
        ExpiresSoon = certificate.ExpiresSoon,
        Expired = certificate.Expired,
    };

    public static SpecItem ToResource(MachineSpec spec) => new()
    {
        Name = spec.Name,
        Memory = spec.MemoryGiB,
        Cpu = new SpecCpu { Count = spec.VCpu },
        CostPerHour = spec.CostPerHour,
    };

    public static LogLineResource ToResource(LogLineView line) => new()
    {
        Sequence = line.Sequence,
        Time = line.Time,
        NodeName = line.NodeName,
        Step = line.Step,
        Stream = line.Stream.ToString(),
        Text = line.Text,
    };

    private static string Label(string key, string value) => string.IsNullOrEmpty(value) ? "" : $"{key}={value}";
}
