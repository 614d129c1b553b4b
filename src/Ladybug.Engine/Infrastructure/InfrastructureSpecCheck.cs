using Ladybug.Engine.Domain;

namespace Ladybug.Engine.Infrastructure;

/// <summary>
/// The cluster rules only the cloud can answer: the connection exists, its cloud takes the root-disk type, it offers
/// the spec, and the spec is big enough for its role (kubeadm's preflight wants 2 CPUs and about 2 GiB on a control plane). When the cloud
/// cannot be asked, that becomes a field error too, so a form never fails with an exception.
/// </summary>
public sealed class InfrastructureSpecCheck(IInfrastructure infrastructure) : IClusterSpecCheck
{
    public const int ControlPlaneMinVCpu = 2;
    public const double ControlPlaneMinMemoryGiB = 2;
    public const double WorkerMinMemoryGiB = 2;

    public Task CheckAsync(ClusterSpec spec, ValidationErrors errors, CancellationToken cancellationToken) =>
        CheckPoolsAsync([(SpecPaths.ControlPlane, spec.ControlPlane, NodeRole.ControlPlane),
            .. spec.WorkerPools.Select((pool, i) => (SpecPaths.WorkerPool(i), pool, NodeRole.Worker))], errors, cancellationToken);

    public Task CheckPoolsAsync(IReadOnlyList<NodePoolSpec> workerPools, ValidationErrors errors, CancellationToken cancellationToken) =>
        CheckPoolsAsync([.. workerPools.Select((pool, i) => (SpecPaths.WorkerPool(i), pool, NodeRole.Worker))], errors, cancellationToken);

    private async Task CheckPoolsAsync(IReadOnlyList<(string Path, NodePoolSpec? Pool, NodeRole Role)> pools, ValidationErrors errors, CancellationToken cancellationToken)
    {
        var asked = pools.Where(p => p.Pool is not null && !string.IsNullOrWhiteSpace(p.Pool.Connection)).ToList();
        if (asked.Count == 0) return;
        try
        {
            var connections = (await infrastructure.ListConnectionsAsync(cancellationToken))
                .DistinctBy(c => c.Name, StringComparer.Ordinal).ToDictionary(c => c.Name, StringComparer.Ordinal);
            // No connection at all usually means the cloud is not set up yet (Tumblebug before init.py): say that.
            if (connections.Count == 0 && await infrastructure.CheckAsync(cancellationToken) is { Ready: false } health)
            {
                errors.Add(SpecPaths.Of(asked[0].Path, PoolField.Connection), $"The cloud is not ready yet: {health.Message}");
                return;
            }
            var specsByConnection = new Dictionary<string, IReadOnlyList<MachineSpec>>(StringComparer.Ordinal);
            foreach (var (path, pool, role) in asked)
            {
                var connection = pool!.Connection.Trim();
                if (!connections.TryGetValue(connection, out var cloud))
                {
                    errors.Add(SpecPaths.Of(path, PoolField.Connection), $"Connection '{connection}' is not one the cloud offers; choose one from the list.");
                    continue;
                }
                if (RootDiskTypes.UnknownProblem(pool.RootDiskType) is null
                    && RootDiskTypes.ProblemOn(cloud.Csp, connection, pool.RootDiskType, pool.RootDiskSizeGb) is { } diskProblem)
                    errors.Add(SpecPaths.Of(path, PoolField.RootDiskType), diskProblem);
                if (string.IsNullOrWhiteSpace(pool.Spec)) continue;
                if (!specsByConnection.TryGetValue(connection, out var specs))
                    specsByConnection[connection] = specs = await infrastructure.ListSpecsAsync(connection, cancellationToken);
                var spec = specs.FirstOrDefault(s => s.Matches(pool.Spec));
                if (spec is null)
                    errors.Add(SpecPaths.Of(path, PoolField.Spec), $"Spec '{pool.Spec.Trim()}' is not offered on connection '{connection}'.");
                else
                    CheckSize($"{path}.spec", spec, role, errors);
            }
        }
        catch (InfrastructureException ex)
        {
            errors.Add(SpecPaths.Of(asked[0].Path, PoolField.Connection), $"The cloud connections and specs cannot be checked right now: {ex.Message}");
        }
    }

    private static void CheckSize(string field, MachineSpec spec, NodeRole role, ValidationErrors errors)
    {
        if (role == NodeRole.ControlPlane && spec.VCpu < ControlPlaneMinVCpu)
            errors.Add(field, $"A control-plane node needs at least {ControlPlaneMinVCpu} vCPUs; {spec.Name} has {spec.VCpu}.");
        var minMemory = role == NodeRole.ControlPlane ? ControlPlaneMinMemoryGiB : WorkerMinMemoryGiB;
        if (spec.MemoryGiB < minMemory)
            errors.Add(field, $"A {(role == NodeRole.ControlPlane ? "control-plane" : "worker")} node needs at least {minMemory:0.#} GiB of memory; {spec.Name} has {spec.MemoryGiB:0.##} GiB.");
    }
}
