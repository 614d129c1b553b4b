using Ladybug.Engine.Domain;
using Ladybug.Engine.Infrastructure;

namespace Ladybug.Web.Services;

/// <summary>Offers only the specs the cluster check accepts (<see cref="InfrastructureSpecCheck"/> owns the minimums).</summary>
public static class SpecRequirements
{
    public static bool Fits(MachineSpec spec, NodeRole role) =>
        role == NodeRole.ControlPlane
            ? spec.VCpu >= InfrastructureSpecCheck.ControlPlaneMinVCpu && spec.MemoryGiB >= InfrastructureSpecCheck.ControlPlaneMinMemoryGiB
            : spec.MemoryGiB >= InfrastructureSpecCheck.WorkerMinMemoryGiB;

    /// <summary>
    /// The spec a new pool starts with: the cheapest that meets the role's minimum (the engine's, above); where no spec
    /// has a price, the smallest that fits. The user can still pick any other.
    /// </summary>
    public static MachineSpec? Cheapest(IEnumerable<MachineSpec> specs, NodeRole role) =>
        specs.Where(s => Fits(s, role))
            .OrderBy(s => s.CostPerHour is null).ThenBy(s => s.CostPerHour).ThenBy(s => s.VCpu).ThenBy(s => s.MemoryGiB).ThenBy(s => s.Name, StringComparer.Ordinal)
            .FirstOrDefault();

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
