using System.Globalization;
using System.Text;

namespace Ladybug.Sandbox.Emulator;

/// <summary>The policyOnPartialFailure of an infraDynamic call and the error history it builds as it goes.</summary>
internal sealed record CreationPolicy(string Name, CreationTimeline Timeline)
{
    public const string Rollback = "rollback";
    public const string Refine = "refine";
    public const string Continue = "continue";
}

/// <summary>
/// CreateInfraDynamic's error history ("[15:04:05] Phase: details") and the answers built from it when node groups or
/// VMs fail (src/core/infra/provisioning.go:1892-1895, 2164-2345 @v0.13.0). Callers hold <see cref="EmulatorState.Sync"/>.
/// </summary>
internal sealed class CreationTimeline
{
    private readonly List<string> _entries = [];

    public void Add(string phase, string details) =>
        _entries.Add($"[{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {phase}: {details}");

    /// <summary>
    /// Node groups that failed resource preparation (provisioning.go:2125-2240 @v0.13.0). All of them: the Infra stays,
    /// Failed with no nodes and targetAction "Create" for good, and the answer is that message. Some, with
    /// policy=rollback: the Infra goes and the answer is that message. Otherwise null: creation goes on without them.
    /// </summary>
    public string? PreparationFailed(InfraRecord infra, IReadOnlyList<(string Group, string Connection)> failed, int totalGroups, string policy)
    {
        var details = failed.Select(f => $"NodeGroup '{f.Group}': {PreparationError(f.Connection)}").ToList();
        foreach (var (group, connection) in failed)
            Add("NodeGroup Resource Preparation", $"Failed to prepare resources for NodeGroup '{group}': {PreparationError(connection)}");
        var summary = $"Resource preparation failed for {failed.Count} NodeGroup(s) out of {totalGroups} total NodeGroups";
        Append(infra, summary);
        Add("Resource Preparation Summary", summary);
        foreach (var detail in details)
        {
            Append(infra, detail);
            Add("NodeGroup Resource Failure", detail);
        }

        if (failed.Count == totalGroups)
        {
            Add("Infra Status Decision", "All NodeGroups failed resource preparation - marking Infra as Failed");
            Append(infra, "Infra creation aborted: All NodeGroups failed resource preparation");
            infra.StoredStatus = NodeStatus.Failed;
            infra.StoredTargetAction = "Create"; // createInfraObject's, never reset on this path
            var message = new StringBuilder($"Infra '{infra.Id}' creation failed - all NodeGroups failed resource preparation.\n\n");
            AppendTimeline(message);
            message.Append("Summary: All NodeGroups failed during resource preparation phase.\n");
            message.Append("Common causes: VPC/subnet limits, insufficient permissions, region capacity issues, or network configuration problems.\n");
            message.Append("Check the error timeline above for specific failure details.");
            return message.ToString();
        }
        if (policy == CreationPolicy.Rollback)
        {
            Add("Infra Status Decision", "Partial failure with policy=rollback: rolling back all 0 created shared resource(s)");
            return $"Infra '{infra.Id}' creation aborted: {failed.Count} NodeGroup(s) failed resource preparation and policy=rollback; all created resources have been cleaned up";
        }
        Add("Infra Status Decision",
            $"Partial success: {totalGroups - failed.Count} NodeGroups succeeded, {failed.Count} failed - continuing with partial Infra creation (policy={policy})");
        return null;
    }

    /// <summary>
    /// Every VM failed: CreateNodesInParallel's first error, wrapped by CreateInfra and then CreateInfraDynamic; the Infra
    /// is kept with its Failed nodes and targetAction None (provisioning.go:1600-1652, 2316-2345; 4518-4525 @v0.13.0).
    /// </summary>
    public string AllNodesFailed(InfraRecord infra, IReadOnlyList<NodeRecord> failed)
    {
        var first = failed.OrderBy(n => n.Id, StringComparer.Ordinal).First();
        return FinalStageFailure(infra,
            $"Infra '{infra.Id}' creation failed: all {failed.Count} VMs failed to create.\n\nError: VM {first.Id}: {first.SystemMessage}");
    }

    /// <summary>policy=rollback after some VMs failed: the Infra is cleaned up and the answer is an error (provisioning.go:1681-1693 @v0.13.0).</summary>
    public string RolledBack(InfraRecord infra, IReadOnlyList<NodeRecord> failed) =>
        FinalStageFailure(infra, $"VM creation failed, Infra rolled back: [{string.Join(" ", failed.OrderBy(n => n.Id, StringComparer.Ordinal).Select(n => $"VM {n.Id}: {n.SystemMessage}"))}]");

    /// <summary>
    /// Some VMs failed under continue or refine: the Infra's systemMessage gets the errors and the answer carries
    /// creationErrors (provisioning.go:1654-1679, 1777-1808 @v0.13.0).
    /// </summary>
    public InfraCreationErrors PartialFailure(InfraRecord infra, IReadOnlyList<NodeRecord> failed, int total, string policy)
    {
        Append(infra, $"VM creation failed for {failed.Count} out of {total} VMs");
        foreach (var node in failed) Append(infra, $"VM '{node.Id}' creation failed: {node.SystemMessage}");
        Append(infra, $"Failure handling policy: {policy}");
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return new InfraCreationErrors
        {
            NodeCreationErrors = failed.Select(n => new NodeCreationError(n.Id, n.SystemMessage, "vm_creation", now)).ToList(),
            TotalNodeCount = total,
            SuccessfulNodeCount = total - failed.Count,
            FailedNodeCount = failed.Count,
            FailureHandlingStrategy = policy == CreationPolicy.Refine ? CreationPolicy.Refine : CreationPolicy.Continue,
        };
    }

    private string FinalStageFailure(InfraRecord infra, string detail)
    {
        Add("Infra Creation", $"Infra '{infra.Id}' creation failed (see Detail below)");
        var message = new StringBuilder($"Infra '{infra.Id}' creation failed in final provisioning stage.\n\n");
        AppendTimeline(message);
        message.Append($"Detail: {detail}\n");
        return message.ToString();
    }

    private void AppendTimeline(StringBuilder message)
    {
        if (_entries.Count == 0) return;
        message.Append("Complete Error Timeline:\n");
        for (var i = 0; i < _entries.Count; i++) message.Append($"  {i + 1}. {_entries[i]}\n");
        message.Append('\n');
    }

    private static void Append(InfraRecord infra, string message) => (infra.SystemMessage ??= []).Add(message);

    private static string PreparationError(string connection) =>
        $"Sandbox fault: resource preparation (vNet, security group, SSH key) fails on connection {connection} (Ladybug:Sandbox:Faults:FailPreparationOnConnections).";
}
