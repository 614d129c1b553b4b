using Ladybug.Engine.Clusters;
using Ladybug.Engine.Infrastructure;

namespace Ladybug.Web.Services;

/// <summary>Offers only the specs the cluster check accepts (<see cref="InfrastructureSpecCheck"/> owns the minimums).</summary>
public static class SpecRequirements
{
    public static bool Fits(MachineSpec spec, NodeRole role) =>
        role == NodeRole.ControlPlane
            ? spec.VCpu >= InfrastructureSpecCheck.ControlPlaneMinVCpu && spec.MemoryGiB >= InfrastructureSpecCheck.ControlPlaneMinMemoryGiB
            : spec.MemoryGiB >= InfrastructureSpecCheck.WorkerMinMemoryGiB;

    public static string Describe(NodeRole role) =>
        role == NodeRole.ControlPlane
            ? $"Specs with ≥ {InfrastructureSpecCheck.ControlPlaneMinVCpu} vCPU and ≥ {InfrastructureSpecCheck.ControlPlaneMinMemoryGiB:0} GiB"
            : $"Specs with ≥ {InfrastructureSpecCheck.WorkerMinMemoryGiB:0} GiB memory";
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
