using Ladybug.Engine.Infrastructure;

namespace Ladybug.Web.Services;

/// <summary>Minimum sizes offered in the spec picker; kubeadm's preflight wants 2 CPUs and ~2 GiB on a control plane.</summary>
public static class SpecRequirements
{
    public const int ControlPlaneMinVCpu = 2;
    public const double ControlPlaneMinMemoryGiB = 2;
    public const double WorkerMinMemoryGiB = 2;

    public static bool Fits(MachineSpec spec, Ladybug.Engine.Clusters.NodeRole role) =>
        role == Ladybug.Engine.Clusters.NodeRole.ControlPlane
            ? spec.VCpu >= ControlPlaneMinVCpu && spec.MemoryGiB >= ControlPlaneMinMemoryGiB
            : spec.MemoryGiB >= WorkerMinMemoryGiB;

    public static string Describe(Ladybug.Engine.Clusters.NodeRole role) =>
        role == Ladybug.Engine.Clusters.NodeRole.ControlPlane
            ? $"Specs with ≥ {ControlPlaneMinVCpu} vCPU and ≥ {ControlPlaneMinMemoryGiB:0} GiB"
            : $"Specs with ≥ {WorkerMinMemoryGiB:0} GiB memory";
}

/// <summary>Specs per connection for one form, fetched once each (several pools often share a connection).</summary>
public sealed class MachineSpecCache(CloudCatalog catalog)
{
    private readonly Dictionary<string, Task<CloudResult<IReadOnlyList<MachineSpec>>>> _byConnection = new(StringComparer.Ordinal);

    public Task<CloudResult<IReadOnlyList<MachineSpec>>> GetAsync(string connection)
    {
        lock (_byConnection)
        {
            if (_byConnection.TryGetValue(connection, out var cached) && !(cached.IsCompleted && !cached.Result.Ok))
                return cached;
            return _byConnection[connection] = catalog.SpecsAsync(connection);
        }
    }
}
