using Ladybug.Engine.Clusters;
using Ladybug.Engine.Events;
using Ladybug.Engine.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Ladybug.Engine.Bootstrap;

internal sealed partial class ClusterProvisioner
{
    /// <summary>Create, add nodes and remove node end here when they succeed: the cluster is (back) in service.</summary>
    public Task MarkProvisionedAsync(JobContext context, CancellationToken cancellationToken) =>
        context.SetPhaseAsync(ClusterPhase.Provisioned, cancellationToken: cancellationToken);

    /// <summary>
    /// Records a failed job on the cluster (phase Failed, reason code, message) and says whether to
    /// roll back. Create and add-nodes roll back unless the cluster asked to keep its machines for
    /// debugging; remove-node rolls back to put the cluster back in service; a failed delete or
    /// rollback does not (deleting again is the way forward).
    /// </summary>
    public async Task<bool> RecordFailureAsync(JobContext context, JobFailure failure, CancellationToken cancellationToken)
    {
        Cluster cluster;
        await using (var db = await context.OpenDbAsync(cancellationToken))
            cluster = await db.Clusters.AsNoTracking().SingleAsync(c => c.Id == context.ClusterId, cancellationToken);

        var (reason, message, rollback) = context.Job.Kind switch
        {
            // Failed before any machine was asked for: nothing to roll back.
            JobKind.Create when cluster.InfraId is null => (failure.Reason, failure.Message, false),
            JobKind.Create or JobKind.AddNodes when cluster.KeepMachinesOnFailure => (failure.Reason,
                failure.Message + "\nThe machines were kept for debugging, as the cluster asked; delete the cluster to remove them.", false),
            JobKind.Create or JobKind.AddNodes => (failure.Reason, failure.Message + "\nRolling back: deleting the machines.", true),
            JobKind.RemoveNode => (failure.Reason, failure.Message, true),
            JobKind.DeleteCluster => (failure.Reason, failure.Message + "\nDelete the cluster again to retry.", false),
            // The cluster already carries the failure that caused the rollback; add what went wrong now.
            _ => (cluster.Reason ?? failure.Reason,
                $"{cluster.Message}\nThe rollback failed too ({failure.Reason}): {failure.Message}" +
                (cluster.InfraId is null ? "" : $"\nMachines may remain in {cluster.InfraNamespace}/{cluster.InfraId}."), false),
        };
        await context.SetPhaseAsync(ClusterPhase.Failed, reason, message, cancellationToken);
        return rollback;
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
                await DeleteAllMachinesAsync(context, cancellationToken);
                await AppendToMessageAsync(context, "The machines were deleted.", cancellationToken);
                break;
            case JobKind.AddNodes:
                await RemoveAddedNodesAsync(context, failed, cancellationToken);
                await context.SetPhaseAsync(ClusterPhase.Provisioned, message: $"Adding nodes failed ({failed.Error}); the new machines were removed.",
                    cancellationToken: cancellationToken);
                break;
            case JobKind.RemoveNode:
                await context.SetPhaseAsync(ClusterPhase.Provisioned, message: $"Removing a node failed ({failed.Error}); the node was left in the cluster.",
                    cancellationToken: cancellationToken);
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
        var state = await LoadStateAsync(context, cancellationToken);
        var added = state.Nodes.Where(selection.Includes).ToList();
        var (ns, groupId) = RequireGroup(state.Cluster);
        foreach (var node in added)
        {
            try
            {
                await RunScriptAsync(context, state.Leader, renderer.DrainDeleteNode(state.RequireFacts(), NodeFacts.From(node), Settings.DrainTimeout), cancellationToken);
            }
            catch (StepFailedException ex)
            {
                // The machine goes anyway; a leftover Node object only shows NotReady until someone deletes it.
                logger.LogWarning("Rollback could not remove node {Node} from Kubernetes: {Message}", node.Name, ex.Message);
                context.Info($"Could not remove {node.Name} from Kubernetes ({ex.Message.Split('\n')[0]}); run 'kubectl delete node {node.Name}' if it shows up.");
            }
            await CallInfrastructureAsync(FailureReason.AddNodeEntityFailed, $"Deleting machine {node.Name}",
                () => infrastructure.DeleteMachineAsync(ns, groupId, node.Name, cancellationToken));
        }
        await MarkNodesDeletedAsync(context, added.Select(n => n.Name).ToList(), cancellationToken);
    }

    /// <summary>Deleting a cluster: every machine and per-cluster resource goes; the rows stay as history.</summary>
    public async Task DeleteAllMachinesAsync(JobContext context, CancellationToken cancellationToken)
    {
        var state = await ReadRecordedStateAsync(context, cancellationToken);
        await context.SetNodeStatusAsync([.. state.Nodes.Select(n => n.Name)], NodeStatus.Deleting, null, cancellationToken);
        if (state.Cluster is { InfraNamespace: { } ns, InfraId: { } groupId })
        {
            context.Info($"Deleting every machine of {ns}/{groupId}");
            await CallInfrastructureAsync(FailureReason.DeleteClusterFailed, $"Deleting {ns}/{groupId}",
                () => infrastructure.DeleteAllAsync(ns, groupId, cancellationToken));
        }
        await MarkNodesDeletedAsync(context, state.Nodes.Select(n => n.Name).ToList(), cancellationToken);
    }

    /// <summary>The last step of a delete: the cluster becomes Deleted (its name is free again) and its kubeconfig is dropped.</summary>
    public async Task MarkDeletedAsync(JobContext context, CancellationToken cancellationToken)
    {
        await using (var db = await context.OpenDbAsync(cancellationToken))
        {
            await db.Clusters.Where(c => c.Id == context.ClusterId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.SealedKubeconfig, (string?)null), cancellationToken);
        }
        await context.SetPhaseAsync(ClusterPhase.Deleted, cancellationToken: cancellationToken);
    }

    private static async Task AppendToMessageAsync(JobContext context, string text, CancellationToken cancellationToken)
    {
        Cluster cluster;
        await using (var db = await context.OpenDbAsync(cancellationToken))
        {
            cluster = await db.Clusters.SingleAsync(c => c.Id == context.ClusterId, cancellationToken);
            cluster.Message = string.IsNullOrEmpty(cluster.Message) ? text : $"{cluster.Message}\n{text}";
            cluster.UpdatedAt = context.Time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }
        context.Events.Publish(new PhaseChanged(context.ClusterId, cluster.Phase, cluster.Reason, cluster.Message));
    }
}
