namespace Ladybug.Sandbox.Emulator;

/// <summary>
/// Tumblebug asks the CSP for every node's status on each Infra read. A failed or unrecognised answer makes a node
/// Undefined; only while the node's targetAction is Create is that rewritten to Creating, so a healthy Running node can
/// read Undefined once its creation is over (cb-tumblebug src/core/infra/manageInfo.go:2100-2150, 2284-2318 @v0.13.0).
/// The next read asks again, so the Undefined lasts until then.
/// </summary>
internal static class UndefinedStatus
{
    /// <summary>Decides, for this read, which Running nodes of <paramref name="infra"/> read Undefined. Caller holds <see cref="EmulatorState.Sync"/>.</summary>
    public static void Observe(InfraRecord infra, SandboxControl control)
    {
        var candidates = infra.Nodes.Where(n => n.Status == NodeStatus.Running && n.TargetAction == NodeStatus.None).ToList();
        var all = candidates.Count > 0 && control.ClaimUndefinedRead();
        var rate = control.Faults.UndefinedStatusRate;
        foreach (var node in infra.Nodes)
            node.ReportsUndefined = candidates.Contains(node) && (all || (rate > 0 && Random.Shared.NextDouble() < rate));
    }
}
