namespace Ladybug.Engine.Domain;

/// <summary>
/// The paths that name a field of a <see cref="ClusterSpec"/> in validation errors (<c>workerPools[1].count</c>): the
/// one source for the validator, the cloud's checks, the REST API's translation to MCKS terms and the wizard, which
/// shows each error next to the field its path names.
/// </summary>
public static class SpecPaths
{
    public const string Name = "name";
    public const string Namespace = "namespace";
    public const string Description = "description";
    public const string Label = "label";
    public const string KubernetesVersion = "kubernetesVersion";
    public const string Cni = "cni";
    public const string LoadBalancer = "loadBalancer";
    public const string PodCidr = "podCidr";
    public const string ServiceCidr = "serviceCidr";
    public const string DnsDomain = "dnsDomain";
    public const string ControlPlane = "controlPlane";
    public const string WorkerPools = "workerPools";

    public static string WorkerPool(int index) => $"{WorkerPools}[{index}]";

    /// <summary>The path of a field of the pool at <paramref name="pool"/> (<see cref="ControlPlane"/> or a <see cref="WorkerPool"/>).</summary>
    public static string Of(string pool, PoolField field) => $"{pool}.{Names[(int)field]}";

    /// <summary>The pool fields' names as they appear in paths, in <see cref="PoolField"/> order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["connection", "spec", "count", "rootDiskSizeGb", "rootDiskType"];
}

public enum PoolField
{
    Connection,
    Spec,
    Count,
    RootDiskSizeGb,
    RootDiskType,
}
