using Ladybug.Engine.Domain;
using Ladybug.Engine.Infrastructure;
using Ladybug.Engine.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using static Ladybug.Engine.Bootstrap.InfrastructureCalls;

namespace Ladybug.Engine.Bootstrap;

/// <summary>
/// Teardown: remove a node (drain, delete from Kubernetes, delete its machine), delete every machine of a cluster, roll
/// back what a failed job left, and record a failure with the decision to roll back or keep the machines.
/// </summary>
internal sealed class TeardownSteps(
    IInfrastructure infrastructure,
    ClusterStateLoader states,
    NodeScripts scripts,
    BootstrapScriptRenderer renderer,
    IOptions<BootstrapOptions> options,
    ILogger<TeardownSteps> logger)
{
    /// <summary>Drains the node and deletes it from Kubernetes (with its etcd member for a control plane), from the leader.</summary>
    public async Task DrainAndDeleteNodeAsync(JobContext context, CancellationToken cancellationToken)
    {
        var state = await states.LoadAsync(context, cancellationToken);
        var node = NodeToRemove(context, state);
        if (node is null) return;
        await context.Record.SetNodeStatusAsync(node.Name, NodeStatus.Deleting, null, cancellationToken);
        await scripts.RunAsync(context, state.Leader, renderer.DrainDeleteNode(state.RequireFacts(), NodeFacts.From(node), options.Value.DrainTimeout), cancellationToken);
    }

    /// <summary>Deletes the removed node's machine and marks the node deleted.</summary>
    public async Task DeleteNodeMachineAsync(JobContext context, CancellationToken cancellationToken)
    {
        var state = await states.ReadRecordedAsync(context, cancellationToken);
        var node = NodeToRemove(context, state);
        if (node is null) return;
        var (ns, groupId) = RequireGroup(state.Cluster);
        await CallAsync(FailureReason.RemoveNodeFailed, $"Deleting machine {node.Name}",
            () => infrastructure.DeleteMachineAsync(ns, groupId, node.Name, cancellationToken));
        await context.Record.SetNodeStatusAsync(node.Name, NodeStatus.Deleted, cancellationToken: cancellationToken);
        context.Info($"Node {node.Name} removed and its machine deleted");
    }

    private static Node? NodeToRemove(JobContext context, ClusterState state)
    {
        var name = JobPayload.Read<RemoveNodePayload>(context).NodeName;
        var node = state.Nodes.FirstOrDefault(n => n.Name == name);
        if (node is null)
            context.Info($"Node {name} is already gone");
        else if (node.Name == state.Cluster.LeaderNodeName)
            throw new StepFailedException(FailureReason.RemoveNodeFailed, $"Node {name} is the control-plane leader and cannot be removed.");
        return node;
    }

    /// <summary>
    /// Records a failed job on the cluster as its handler's <paramref name="policy"/> decides (phase Failed, reason
    /// code, message) and says whether to roll back.
    /// </summary>
    public async Task<bool> RecordFailureAsync(JobContext context, JobFailure failure, Func<Cluster, JobFailure, FailureOutcome> policy,
        CancellationToken cancellationToken)
    {
        Cluster cluster;
        await using (var db = await context.OpenDbAsync(cancellationToken))
            cluster = await db.Clusters.AsNoTracking().SingleAsync(c => c.Id == context.ClusterId, cancellationToken);

        var outcome = policy(cluster, failure);
        await context.Record.SetPhaseAsync(ClusterPhase.Failed, outcome.Reason, outcome.Message, cancellationToken);
        if (outcome.SettleDeletingNodes)
            await ShowUndeletedNodesAsync(context, cluster, failure, cancellationToken);
        return outcome.RollBack;
    }

    /// <summary>
    /// A delete or rollback that failed left its nodes Deleting, which a Failed cluster never resolves: each is shown as it
    /// is instead — Deleted when the cloud no longer has its machine, Failed (saying its machine remains, or may) otherwise.
    /// </summary>
    private async Task ShowUndeletedNodesAsync(JobContext context, Cluster cluster, JobFailure failure, CancellationToken cancellationToken)
    {
        List<string> deleting;
        await using (var db = await context.OpenDbAsync(cancellationToken))
            deleting = await db.Nodes.Where(n => n.ClusterId == context.ClusterId && n.Status == NodeStatus.Deleting && n.DeletedAt == null)
                .Select(n => n.Name).ToListAsync(cancellationToken);
        if (deleting.Count == 0) return;
        HashSet<string>? remaining = null;
        if (cluster is { InfraNamespace: { } ns, InfraId: { } groupId })
        {
            try
            {
                remaining = (await infrastructure.GetMachinesAsync(ns, groupId, cancellationToken)).Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
            }
            catch (InfrastructureException ex) when (ex.NotFound)
            {
                remaining = [];
            }
            catch (InfrastructureException ex)
            {
                logger.LogWarning("Could not ask the cloud which machines of {Group} remain after a failed {Kind}: {Message}", groupId, context.Job.Kind, ex.Message);
            }
        }
        var gone = remaining is null ? [] : deleting.Where(n => !remaining.Contains(n)).ToList();
        var kept = deleting.Except(gone).ToList();
        if (gone.Count > 0) await context.Record.SetNodeStatusAsync(gone, NodeStatus.Deleted, cancellationToken: cancellationToken);
        if (kept.Count > 0)
            await context.Record.SetNodeStatusAsync(kept, NodeStatus.Failed, remaining is null
                ? $"Deleting its machine failed ({failure.Reason}) and the cloud could not say whether it remains; delete the cluster to retry."
                : $"Its machine remains: deleting it failed ({failure.Reason}); delete the cluster to retry.", cancellationToken);
    }

    /// <summary>Undoes what the failed job left behind, as far as the cluster did not ask to keep it.</summary>
    public async Task RollbackAsync(JobContext context, CancellationToken cancellationToken)
    {
        var failedJobId = Guid.TryParse(context.Job.Payload, out var id) ? id
            : throw new StepFailedException(FailureReason.InternalError, "The rollback job does not name the job it rolls back.");
        Job failed;
        await using (var db = await context.OpenDbAsync(cancellationToken))
            failed = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == failedJobId, cancellationToken);

        switch (failed.Kind)
        {
            case JobKind.Create:
                var recorded = await DeleteRecordedMachinesAsync(context, cancellationToken);
                // Say only what is known: with no group recorded there was nothing to delete, not "machines deleted".
                await context.Record.AppendToMessageAsync(recorded ? "The machines were deleted."
                    : "No machines were recorded for it, so none were deleted.", cancellationToken);
                break;
            case JobKind.AddNodes:
                await RemoveAddedNodesAsync(context, failed, cancellationToken);
                context.SetPhaseAtEnd(ClusterPhase.Provisioned, $"Adding nodes failed ({failed.Error}); the new machines were removed.");
                break;
            case JobKind.RemoveNode:
                context.SetPhaseAtEnd(ClusterPhase.Provisioned, $"Removing a node failed ({failed.Error}); the node was left in the cluster.");
                break;
            default:
                context.Info($"Nothing to roll back for a {failed.Kind} job");
                break;
        }
    }

    /// <summary>Drains and deletes (best effort) the nodes a failed add-nodes job brought, then deletes their machines.</summary>
    private async Task RemoveAddedNodesAsync(JobContext context, Job failed, CancellationToken cancellationToken)
    {
        var pools = failed.Payload is { } json ? System.Text.Json.JsonSerializer.Deserialize<AddNodesPayload>(json)?.PoolIds : null;
        if (pools is null || pools.Count == 0) return;
        var selection = new NodeSelection(pools.ToHashSet());
        var state = await states.LoadAsync(context, cancellationToken);
        var added = state.Nodes.Where(selection.Includes).ToList();
        var (ns, groupId) = RequireGroup(state.Cluster);
        foreach (var node in added)
        {
            try
            {
                await scripts.RunAsync(context, state.Leader, renderer.DrainDeleteNode(state.RequireFacts(), NodeFacts.From(node), options.Value.DrainTimeout), cancellationToken);
            }
            catch (StepFailedException ex)
            {
                // The machine goes anyway; a leftover Node object only shows NotReady until someone deletes it.
                logger.LogWarning("Rollback could not remove node {Node} from Kubernetes: {Message}", node.Name, ex.Message);
                context.Info($"Could not remove {node.Name} from Kubernetes ({ex.Message.Split('\n')[0]}); run 'kubectl delete node {node.Name}' if it shows up.");
            }
            await CallAsync(FailureReason.AddNodeEntityFailed, $"Deleting machine {node.Name}",
                () => infrastructure.DeleteMachineAsync(ns, groupId, node.Name, cancellationToken));
        }
        await context.Record.SetNodeStatusAsync(added.Select(n => n.Name).ToList(), NodeStatus.Deleted, cancellationToken: cancellationToken);
    }

    /// <summary>Deleting a cluster: every machine and per-cluster resource goes; the rows stay as history.</summary>
    public Task DeleteAllMachinesAsync(JobContext context, CancellationToken cancellationToken) =>
        DeleteRecordedMachinesAsync(context, cancellationToken);

    /// <summary>Deletes every machine; whether the cluster had a recorded machine group to delete at all.</summary>
    private async Task<bool> DeleteRecordedMachinesAsync(JobContext context, CancellationToken cancellationToken)
    {
        var state = await states.ReadRecordedAsync(context, cancellationToken);
        await context.Record.SetNodeStatusAsync([.. state.Nodes.Select(n => n.Name)], NodeStatus.Deleting, null, cancellationToken);
        var recorded = state.Cluster is { InfraNamespace: not null, InfraId: not null };
        if (state.Cluster is { InfraNamespace: { } ns, InfraId: { } groupId })
        {
            context.Info($"Deleting every machine of {ns}/{groupId}");
            await CallAsync(FailureReason.DeleteClusterFailed, $"Deleting {ns}/{groupId}",
                () => infrastructure.DeleteAllAsync(ns, groupId, cancellationToken));
        }
        await context.Record.SetNodeStatusAsync(state.Nodes.Select(n => n.Name).ToList(), NodeStatus.Deleted, cancellationToken: cancellationToken);
        return recorded;
    }

    /// <summary>The last step of a delete: the cluster becomes Deleted (its name is free again) and its kubeconfig is dropped.</summary>
    public async Task MarkDeletedAsync(JobContext context, CancellationToken cancellationToken)
    {
        await using (var db = await context.OpenDbAsync(cancellationToken))
        {
            await db.Clusters.Where(c => c.Id == context.ClusterId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.SealedKubeconfig, (string?)null), cancellationToken);
        }
        await context.Record.SetPhaseAsync(ClusterPhase.Deleted, cancellationToken: cancellationToken);
    }
}
