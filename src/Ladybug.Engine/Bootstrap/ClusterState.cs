using System.Text.Json;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Jobs;

namespace Ladybug.Engine.Bootstrap;

/// <summary>The cluster, its live nodes and, once control planes exist, the facts the scripts need.</summary>
internal sealed record ClusterState(Cluster Cluster, IReadOnlyList<Node> Nodes, ClusterFacts? Facts)
{
    public ClusterFacts RequireFacts() => Facts
        ?? throw new StepFailedException(FailureReason.InternalError, $"Cluster '{Cluster.Name}' has no control-plane node with a public IP yet.");

    public Node Leader => Nodes.FirstOrDefault(n => n.Name == Cluster.LeaderNodeName)
        ?? throw new StepFailedException(FailureReason.InternalError, $"Cluster '{Cluster.Name}' has no recorded control-plane leader.");

    public IReadOnlyList<Node> Workers(NodeSelection selection) =>
        Nodes.Where(n => n.Role == NodeRole.Worker && selection.Includes(n)).OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
}

/// <summary>Which nodes a job works on: all of the cluster's, or those of the pools it added.</summary>
internal sealed record NodeSelection(IReadOnlySet<Guid>? PoolIds)
{
    public static NodeSelection All { get; } = new((IReadOnlySet<Guid>?)null);

    public bool Includes(Node node) => PoolIds is null || PoolIds.Contains(node.PoolId);

    public static NodeSelection AddedBy(JobContext context) => new(JobPayload.Read<AddNodesPayload>(context).PoolIds.ToHashSet());
}

/// <summary>The job's payload, which the service wrote when it queued the job.</summary>
internal static class JobPayload
{
    public static T Read<T>(JobContext context) where T : class =>
        (context.Job.Payload is { } json ? JsonSerializer.Deserialize<T>(json) : null)
        ?? throw new StepFailedException(FailureReason.InternalError, $"Job {context.Job.Id} has no {typeof(T).Name}.");
}
