namespace Ladybug.Engine.Infrastructure.Tumblebug;

/// <summary>
/// Counts, per machine, the status polls in a row that found it Undefined. Tumblebug reports Undefined whenever one
/// CSP status call fails or answers a word it does not know, and rewrites it to Creating only while the node is being
/// created (cb-tumblebug src/core/infra/manageInfo.go:2100-2150, 2284-2318 @v0.13.0): one Undefined poll says nothing
/// about the VM, many in a row do.
/// </summary>
internal sealed class UndefinedStreaks(int pollsBeforeFailure)
{
    private readonly Dictionary<string, int> _streaks = new(StringComparer.Ordinal);

    /// <exception cref="InfrastructureException">A machine of <paramref name="pools"/> stayed Undefined for too many polls.</exception>
    public void Observe(InfraStatusInfo status, IReadOnlyList<MachinePoolRequest> pools)
    {
        var wanted = pools.ToDictionary(p => p.PoolName, StringComparer.Ordinal);
        foreach (var node in status.Node.Where(n => wanted.ContainsKey(TumblebugInfrastructure.NodeGroupOf(n.Id))))
        {
            if (!node.Status.Equals("Undefined", StringComparison.OrdinalIgnoreCase))
            {
                _streaks.Remove(node.Id);
                continue;
            }
            var streak = _streaks[node.Id] = _streaks.GetValueOrDefault(node.Id) + 1;
            if (streak >= Math.Max(1, pollsBeforeFailure))
                throw new InfrastructureException(
                    $"Machine {node.Id} on {wanted[TumblebugInfrastructure.NodeGroupOf(node.Id)].Connection} was Undefined in {streak} status reads in a row " +
                    $"({TumblebugOptions.Section}:UndefinedPollsBeforeFailure)" +
                    (string.IsNullOrWhiteSpace(node.SystemMessage) ? "." : $": {node.SystemMessage.Trim().TrimEnd('.')}."));
        }
    }
}
