using System.Globalization;
using Ladybug.Api.Contracts;
using Ladybug.Engine.Domain;

namespace Ladybug.Web.Api;

/// <summary>
/// Turns MCKS request bodies into the engine's spec, applying cb-mcks's documented defaults. The rules
/// that exist only because of the MCKS shape (one control-plane entry, etcd, NFS, the monitoring agent)
/// live here; every other rule is the one validator's, reported through <see cref="McksFieldPaths"/>.
/// </summary>
internal static class McksRequestMapper
{
    public const string DefaultInstallMonAgent = "no";
    public const string LocalEtcd = "local";

    public static (ClusterSpec Spec, ValidationErrors Errors) ToSpec(string ns, ClusterRequest request)
    {
        var errors = new ValidationErrors();
        var kubernetes = request.Config?.Kubernetes ?? new KubernetesConfig();
        CheckServiceType(request.ServiceType, errors);
        CheckInstallMonAgent(request.Config?.InstallMonAgent, errors);
        CheckEtcd(kubernetes.Etcd, errors);
        CheckStorageClass(kubernetes.StorageClass, errors);

        var controlPlanes = request.ControlPlane ?? [];
        if (controlPlanes.Count == 0)
            errors.Add("controlPlane", "Exactly one control-plane entry is required, e.g. {\"connection\": \"…\", \"count\": 1, \"spec\": \"…\"}.");
        else if (controlPlanes.Count > 1)
            errors.Add("controlPlane", "Only one control-plane entry is supported: put all control-plane nodes in one entry with count 1, 3 or 5.");

        var spec = new ClusterSpec
        {
            Namespace = ns,
            Name = request.Name ?? "",
            Label = request.Label ?? "",
            Description = request.Description ?? "",
            KubernetesVersion = OrDefault(kubernetes.Version, KubernetesVersionCatalog.DefaultVersion),
            Cni = ParseCni(kubernetes.NetworkCni),
            PodCidr = OrDefault(kubernetes.PodCidr, ClusterSpec.DefaultPodCidr),
            ServiceCidr = OrDefault(kubernetes.ServiceCidr, ClusterSpec.DefaultServiceCidr),
            DnsDomain = OrDefault(kubernetes.ServiceDnsDomain, ClusterSpec.DefaultDnsDomain),
            LoadBalancer = ParseLoadBalancer(kubernetes.LoadBalancer),
            ControlPlane = controlPlanes.Count > 0 ? ToPool("controlPlane[0]", controlPlanes[0], errors) : new NodePoolSpec(),
            WorkerPools = ToPools("worker", request.Worker, errors),
        };
        return (spec, errors);
    }

    public static (IReadOnlyList<NodePoolSpec> Pools, ValidationErrors Errors) ToWorkerPools(NodeRequest request)
    {
        var errors = new ValidationErrors();
        if (request.ControlPlane is { Count: > 0 })
            errors.Add("controlPlane", "Control plane node is not supported: only worker nodes can be added to a cluster.");
        return (ToPools("worker", request.Worker, errors), errors);
    }

    /// <summary>The validator's errors in MCKS terms, leaving out those about a control plane the request never gave.</summary>
    public static ValidationErrors Translate(ValidationErrors engineErrors, ClusterRequest request)
    {
        var translated = McksFieldPaths.FromEngine(engineErrors);
        if (request.ControlPlane is { Count: > 0 }) return translated;
        var kept = new ValidationErrors();
        foreach (var (field, messages) in translated.ByField)
            if (!field.StartsWith("controlPlane[0]", StringComparison.Ordinal))
                foreach (var message in messages)
                    kept.Add(field, message);
        return kept;
    }

    private static IReadOnlyList<NodePoolSpec> ToPools(string path, IReadOnlyList<NodeSetRequest>? sets, ValidationErrors errors) =>
        (sets ?? []).Select((set, i) => ToPool($"{path}[{i}]", set, errors)).ToList();

    private static NodePoolSpec ToPool(string path, NodeSetRequest? set, ValidationErrors errors)
    {
        if (set is null) return new NodePoolSpec { Count = 0 };
        if (!string.IsNullOrWhiteSpace(set.Role))
            errors.Add($"{path}.role", $"role must be empty (got '{set.Role}'): Ladybug installs no cloud controller manager, so it attaches no cloud IAM role to the machines.");
        var diskType = set.RootDisk?.Type;
        return new NodePoolSpec
        {
            Connection = set.Connection ?? "",
            Count = set.Count,
            Spec = set.Spec ?? "",
            RootDiskType = IsDefault(diskType) ? "default" : diskType!.Trim(),
            RootDiskSizeGb = ParseDiskSize($"{path}.rootDisk.size", set.RootDisk?.Size, errors),
        };
    }

    private static int? ParseDiskSize(string field, string? size, ValidationErrors errors)
    {
        if (IsDefault(size)) return null;
        if (int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var gb)) return gb;
        errors.Add(field, $"Root disk size must be \"default\" or a whole number of GB (got '{size}').");
        return null;
    }

    private static bool IsDefault(string? value) =>
        string.IsNullOrWhiteSpace(value) || value.Trim().Equals("default", StringComparison.OrdinalIgnoreCase);

    private static string OrDefault(string? value, string fallback) => string.IsNullOrWhiteSpace(value) ? fallback : value;

    /// <summary>An unknown name becomes an undefined enum value, so the validator reports it with its own message.</summary>
    private static Cni ParseCni(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "kilo" => Cni.Kilo,
        "canal" => Cni.Canal,
        _ => (Cni)(-1),
    };

    private static LoadBalancerMode ParseLoadBalancer(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "haproxy" => LoadBalancerMode.Haproxy,
        // cb-mcks' "nlb" included: Ladybug has no cloud NLB mode (docs/sandbox-fidelity/nlb.md).
        _ => (LoadBalancerMode)(-1),
    };

    public const string MultiCloud = "multi";
    public const string SingleCloud = "single";

    /// <summary>cb-mcks v0.7.2's serviceType enum: multi (its default) or single (cb-mcks src/core/app/const.go:62-63,76 @v0.7.2).</summary>
    private static void CheckServiceType(string? value, ValidationErrors errors)
    {
        var type = value?.Trim() ?? "";
        if (type.Length == 0 || type.Equals(MultiCloud, StringComparison.OrdinalIgnoreCase)) return;
        errors.Add("serviceType", type.Equals(SingleCloud, StringComparison.OrdinalIgnoreCase)
            ? "Single-cloud clusters (serviceType \"single\", nodes joined over private addresses) are not supported yet: use \"multi\" or leave serviceType out. A multi cluster may still run all its nodes in one cloud."
            : $"serviceType must be \"multi\" or \"single\" (got '{value}').");
    }

    private static void CheckInstallMonAgent(string? value, ValidationErrors errors)
    {
        if (!string.IsNullOrWhiteSpace(value) && !value.Trim().Equals(DefaultInstallMonAgent, StringComparison.OrdinalIgnoreCase))
            errors.Add("config.installMonAgent", $"installMonAgent must be \"no\" (got '{value}'): Ladybug does not install the CB-Dragonfly monitoring agent.");
    }

    private static void CheckEtcd(string? value, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Equals(LocalEtcd, StringComparison.OrdinalIgnoreCase)) return;
        errors.Add("config.kubernetes.etcd", value.Trim().Equals("external", StringComparison.OrdinalIgnoreCase)
            ? "External etcd is not supported: Ladybug runs etcd on the control-plane nodes. Use \"local\" or leave etcd out."
            : $"etcd must be \"local\" (got '{value}').");
    }

    private static void CheckStorageClass(StorageClassConfig? storageClass, ValidationErrors errors)
    {
        var nfs = storageClass?.Nfs;
        if (nfs is not null && (!string.IsNullOrWhiteSpace(nfs.Server) || !string.IsNullOrWhiteSpace(nfs.Path)))
            errors.Add("config.kubernetes.storageclass.nfs", "Ladybug does not install an NFS storage class: leave storageclass.nfs empty and install a provisioner once the cluster is Provisioned.");
    }
}
