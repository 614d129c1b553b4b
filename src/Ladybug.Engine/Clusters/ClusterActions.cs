using Ladybug.Engine.Domain;

namespace Ladybug.Engine.Clusters;

/// <summary>What can be done to a cluster now; why not, when it cannot.</summary>
public enum ClusterAction
{
    AddNodes,
    RemoveNode,
    RenewCertificates,
    Cancel,
    Delete,
    DownloadKubeconfig,
}

/// <summary>
/// The one answer to "what can be done to this cluster now", from its phase and its queued or running job: the engine
/// enforces it (<see cref="ClusterService"/> refuses anything else with its reason), the pages enable their buttons by
/// it, and the REST API lists it (<c>status.actions</c>) for the CLI and scripts.
/// </summary>
/// <param name="ActiveJobs">The kinds of the cluster's jobs that are queued or running.</param>
public sealed record ClusterActions(string Name, ClusterPhase Phase, IReadOnlyCollection<JobKind> ActiveJobs, bool HasKubeconfig)
{
    /// <param name="jobs">The cluster's jobs, or at least every one that is not finished.</param>
    public static ClusterActions For(Cluster cluster, IEnumerable<Job> jobs) =>
        new(cluster.Name, cluster.Phase, [.. jobs.Where(j => !j.IsFinished).Select(j => j.Kind)], cluster.SealedKubeconfig is not null);

    /// <inheritdoc cref="For(Cluster, IEnumerable{Job})"/>
    public static ClusterActions For(ClusterView cluster, IEnumerable<JobView> jobs) =>
        new(cluster.Name, cluster.Phase, [.. jobs.Where(j => !j.IsFinished).Select(j => j.Kind)], cluster.HasKubeconfig);

    public bool Allows(ClusterAction action) => WhyNot(action) is null;

    public IReadOnlyList<ClusterAction> Allowed => [.. Enum.GetValues<ClusterAction>().Where(Allows)];

    /// <summary>Null when <paramref name="action"/> is allowed now; otherwise a sentence saying why not.</summary>
    public string? WhyNot(ClusterAction action) => action switch
    {
        ClusterAction.AddNodes => InService("add nodes to"),
        ClusterAction.RemoveNode => InService("remove nodes from"),
        ClusterAction.RenewCertificates => InService("renew the certificates of"),
        ClusterAction.Cancel => ActiveJobs.Any(IsCancellable) ? null
            : ActiveJobs.Count == 0 ? $"Cluster '{Name}' has no job to cancel." : $"Cluster '{Name}' is rolling back or being deleted, which cannot be cancelled.",
        ClusterAction.Delete => Phase == ClusterPhase.Deleted ? $"Cluster '{Name}' is already deleted."
            : ActiveJobs.Contains(JobKind.DeleteCluster) ? $"Cluster '{Name}' is already being deleted." : null,
        ClusterAction.DownloadKubeconfig => Phase == ClusterPhase.Provisioned && HasKubeconfig ? null
            : $"The kubeconfig is available once the cluster is Provisioned; it is {Phase}.",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    /// <summary>
    /// Whether a job of <paramref name="kind"/> may be cancelled: a rollback and a delete undo work, and cancelling them
    /// would leave machines behind.
    /// </summary>
    public static bool IsCancellable(JobKind kind) => kind is not (JobKind.Rollback or JobKind.DeleteCluster);

    /// <summary>Whether <paramref name="node"/> may be removed now: workers only (etcd's quorum), never the leader.</summary>
    public string? WhyNotRemove(string nodeName, NodeRole role, string? leaderNodeName) =>
        nodeName == leaderNodeName ? $"Node '{nodeName}' is the control-plane leader and cannot be removed."
        : role == NodeRole.ControlPlane ? $"Node '{nodeName}' is a control-plane node; only workers can be removed, to keep etcd quorum."
        : WhyNot(ClusterAction.RemoveNode);

    private string? InService(string what) =>
        Phase != ClusterPhase.Provisioned ? $"Cannot {what} cluster '{Name}' while it is {Phase}; it must be {ClusterPhase.Provisioned}."
        : ActiveJobs.Count > 0 ? $"Cluster '{Name}' is busy with another job; try again when it finishes."
        : null;
}
