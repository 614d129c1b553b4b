using System.Text.RegularExpressions;
using Ladybug.Engine.Domain;

namespace Ladybug.Engine.Clusters;

/// <summary>
/// The one validator. The wizard, the REST API, the CLI (through the API) and the engine all call it,
/// so a rule lives here and nowhere else. Field paths are camelCase like the JSON the API speaks.
/// </summary>
public static partial class ClusterSpecValidator
{
    public const int MaxNameLength = 63;
    public const int MaxDescriptionLength = 1024;
    public const int MaxLabelLength = 255;
    public const int MaxWorkerPools = 20;
    public const int MinWorkerCount = 1;
    public const int MaxWorkerCount = 100;
    public const int MinRootDiskGb = 10;
    public const int MaxRootDiskGb = 4096;
    public static readonly IReadOnlyList<int> ControlPlaneCounts = [1, 3, 5];

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabelPattern();

    public static ValidationErrors Validate(ClusterSpec spec)
    {
        var errors = new ValidationErrors();
        ValidateName(SpecPaths.Namespace, spec.Namespace, "Namespace", errors);
        ValidateName(SpecPaths.Name, spec.Name, "Cluster name", errors);
        // Request bodies can carry an explicit null where the record has a default: an error, never a crash.
        if (spec.Description?.Length > MaxDescriptionLength)
            errors.Add(SpecPaths.Description, $"Description must be at most {MaxDescriptionLength} characters.");
        if (spec.Label?.Length > MaxLabelLength)
            errors.Add(SpecPaths.Label, $"Label must be at most {MaxLabelLength} characters.");

        ValidateKubernetes(spec, errors);
        ValidatePool(SpecPaths.ControlPlane, spec.ControlPlane, NodeRole.ControlPlane, errors);

        var workerPools = spec.WorkerPools ?? [];
        if (workerPools.Count == 0)
            errors.Add(SpecPaths.WorkerPools, "Add at least one worker pool.");
        else if (workerPools.Count > MaxWorkerPools)
            errors.Add(SpecPaths.WorkerPools, $"At most {MaxWorkerPools} worker pools are supported.");
        for (var i = 0; i < workerPools.Count; i++)
            ValidatePool(SpecPaths.WorkerPool(i), workerPools[i], NodeRole.Worker, errors);
        return errors;
    }

    /// <summary>Rules for one pool, also used on its own when nodes are added to a running cluster.</summary>
    public static void ValidatePool(string path, NodePoolSpec? pool, NodeRole role, ValidationErrors errors)
    {
        if (pool is null)
        {
            errors.Add(path, role == NodeRole.ControlPlane ? "The control plane is required." : "The worker pool is missing.");
            return;
        }
        if (string.IsNullOrWhiteSpace(pool.Connection))
            errors.Add(SpecPaths.Of(path, PoolField.Connection), "Choose a cloud connection.");
        if (string.IsNullOrWhiteSpace(pool.Spec))
            errors.Add(SpecPaths.Of(path, PoolField.Spec), "Choose a VM spec.");

        if (role == NodeRole.ControlPlane)
        {
            if (!ControlPlaneCounts.Contains(pool.Count))
                errors.Add(SpecPaths.Of(path, PoolField.Count), pool.Count == 2 || pool.Count == 4
                    ? $"A control plane needs an odd number of nodes for etcd quorum: choose 1, 3 or 5 (not {pool.Count})."
                    : $"Control-plane count must be 1, 3 or 5 (got {pool.Count}).");
        }
        else if (pool.Count is < MinWorkerCount or > MaxWorkerCount)
        {
            errors.Add(SpecPaths.Of(path, PoolField.Count), $"Worker count must be between {MinWorkerCount} and {MaxWorkerCount} (got {pool.Count}).");
        }

        if (pool.RootDiskSizeGb is { } size && size is < MinRootDiskGb or > MaxRootDiskGb)
            errors.Add(SpecPaths.Of(path, PoolField.RootDiskSizeGb), $"Root disk size must be between {MinRootDiskGb} and {MaxRootDiskGb} GB, or left to the cloud's default.");
        if (string.IsNullOrWhiteSpace(pool.RootDiskType))
            errors.Add(SpecPaths.Of(path, PoolField.RootDiskType), "Root disk type must be \"default\" or a disk type the cloud knows.");
        else if (Infrastructure.RootDiskTypes.UnknownProblem(pool.RootDiskType) is { } diskTypeProblem)
            errors.Add(SpecPaths.Of(path, PoolField.RootDiskType), diskTypeProblem);
    }

    public static void ValidateName(string field, string? value, string what, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
            errors.Add(field, $"{what} is required.");
        else if (value.Length > MaxNameLength)
            errors.Add(field, $"{what} must be at most {MaxNameLength} characters (got {value.Length}).");
        else if (!NamePattern().IsMatch(value))
            errors.Add(field, $"{what} must start with a lowercase letter and contain only lowercase letters, digits and '-', not ending with '-'.");
    }

    private static void ValidateKubernetes(ClusterSpec spec, ValidationErrors errors)
    {
        if (!KubernetesVersionCatalog.TryFind(spec.KubernetesVersion, out _, out _))
            errors.Add(SpecPaths.KubernetesVersion, $"Kubernetes version '{spec.KubernetesVersion}' is not supported. Choose one of: {string.Join(", ", KubernetesVersionCatalog.Minors.Select(m => $"{m.Minor}.0–{m.LatestVersion}{(m.EndOfLife ? "" : " or later")}"))}.");

        if (!Enum.IsDefined(spec.Cni))
            errors.Add(SpecPaths.Cni, "CNI must be canal or kilo.");
        // Tumblebug's NLB API could front the control planes, but Ladybug does not create one yet
        // (docs/sandbox-fidelity/nlb.md): refused here rather than accepted and failed at the first step.
        if (spec.LoadBalancer != LoadBalancerMode.Haproxy)
            errors.Add(SpecPaths.LoadBalancer, "Load balancer must be haproxy: Ladybug does not offer a cloud NLB yet.");

        var pod = ValidateCidr(SpecPaths.PodCidr, spec.PodCidr, "Pod CIDR", errors);
        var service = ValidateCidr(SpecPaths.ServiceCidr, spec.ServiceCidr, "Service CIDR", errors);
        if (pod is { } p && p.Prefix > 24)
            errors.Add(SpecPaths.PodCidr, $"Pod CIDR /{p.Prefix} is too small: each node takes a /24, so use /24 or larger (e.g. /16).");
        if (service is { } s && s.Prefix < 12)
            errors.Add(SpecPaths.ServiceCidr, $"Service CIDR /{s.Prefix} is too large: the API server accepts /12 or smaller.");
        if (pod is { } a && service is { } b && a.Overlaps(b))
        {
            errors.Add(SpecPaths.PodCidr, $"Pod CIDR {a} overlaps service CIDR {b}.");
            errors.Add(SpecPaths.ServiceCidr, $"Service CIDR {b} overlaps pod CIDR {a}.");
        }

        ValidateDnsDomain(spec.DnsDomain, errors);
    }

    private static Ipv4Cidr? ValidateCidr(string field, string? value, string what, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, $"{what} is required.");
            return null;
        }
        if (!Ipv4Cidr.TryParse(value, out var cidr, out var hostBitsSet))
        {
            errors.Add(field, $"{what} '{value}' is not an IPv4 CIDR like 10.244.0.0/16.");
            return null;
        }
        if (hostBitsSet)
        {
            errors.Add(field, $"{what} '{value}' has host bits set: did you mean {cidr}?");
            return null;
        }
        return cidr;
    }

    private static void ValidateDnsDomain(string? domain, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(domain))
        {
            errors.Add(SpecPaths.DnsDomain, "DNS domain is required (usually cluster.local).");
            return;
        }
        if (domain.Length > 253 || domain.Split('.').Any(label => label.Length is 0 or > 63 || !DnsLabelPattern().IsMatch(label)))
            errors.Add(SpecPaths.DnsDomain, $"DNS domain '{domain}' must be lowercase DNS labels separated by dots, like cluster.local.");
    }
}
