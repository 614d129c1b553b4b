using Ladybug.Engine.Domain;
using Ladybug.Engine.Jobs;
using Selection = Ladybug.Engine.Bootstrap.NodeSelection;

namespace Ladybug.Engine.Bootstrap;

// The job plans. "Repeatable" says whether a step may simply run again after the console died in the
// middle of it; a step that is not makes an interrupted job fail as Interrupted and roll back.
// Why each step is (not) repeatable is written next to it; docs/bootstrap.md's table repeats it.
// No step refreshes the machines' addresses: every run does that itself before its first SSH connection
// (ClusterStateLoader.LoadAsync), so a run resumed after a restart does it too.

/// <summary>Create: machines, then kubeadm from init to a stored kubeconfig.</summary>
internal sealed class CreateClusterJob(MachineSteps machines, ClusterProvisioner provisioner, TeardownSteps teardown) : IJobHandler
{
    public JobKind Kind => JobKind.Create;

    public IReadOnlyList<PlanStep> Plan(JobContext context) =>
    [
        // Reads connections and specs only.
        new("resolve", true, (c, t) => machines.ResolveAsync(c, Selection.All, t)),
        // The infrastructure continues from what exists when asked again.
        new("create-machines", true, machines.CreateMachinesAsync),
        // Adds rows only for machines not recorded yet.
        new("record-machines", true, (c, t) => machines.RecordMachinesAsync(c, FailureReason.CreateInfraFailed, t)),
        // prepare and public-ip check or overwrite everything they touch.
        new("prepare-nodes", true, (c, t) => provisioner.PrepareNodesAsync(c, Selection.All, t)),
        // Rewrites haproxy.cfg and restarts haproxy.
        new("load-balancer", true, (c, t) => provisioner.SetUpLoadBalancerAsync(c, Selection.All, t)),
        // A half-done kubeadm init leaves certificates and an etcd member behind and refuses to run again;
        // only a rollback gets back to a clean state.
        new("init-control-plane", false, provisioner.InitControlPlaneAsync),
        // kubectl apply of the same manifests.
        new("install-cni", true, provisioner.InstallCniAsync),
        // A control-plane join cut short can leave an etcd member added but never started: with two
        // members etcd then has no quorum, and joining again cannot repair that. Roll back instead.
        new("join-control-planes", false, provisioner.JoinControlPlanesAsync),
        // join-worker skips registered nodes; a partial join fails, is reset and tried again; a resumed
        // run mints a fresh token on the leader.
        new("join-workers", true, (c, t) => provisioner.JoinWorkersAsync(c, Selection.All, t)),
        // label/annotate --overwrite.
        new("label-nodes", true, provisioner.LabelNodesAsync),
        // Reads node status.
        new("wait-ready", true, (c, t) => provisioner.WaitReadyAsync(c, Selection.All, t)),
        // Reads addresses and pings; changes nothing.
        new("pod-network", true, (c, t) => provisioner.CheckPodNetworkAsync(c, Selection.All, t)),
        // Reads admin.conf and overwrites the sealed copy.
        new("fetch-kubeconfig", true, provisioner.FetchKubeconfigAsync),
    ];

    public async Task OnSucceededAsync(JobContext context, CancellationToken cancellationToken)
    {
        // The expiry dates show from the start; the certificate monitor reads them again daily.
        await provisioner.TryCheckCertificatesAsync(context, cancellationToken);
        context.SetPhaseAtEnd(ClusterPhase.Provisioned);
    }

    public Task<bool> OnFailedAsync(JobContext context, JobFailure failure, CancellationToken cancellationToken) =>
        teardown.RecordFailureAsync(context, failure, OnFailure, cancellationToken);

    /// <summary>Failed before any machine was asked for: nothing to roll back. After: the machines go, unless kept.</summary>
    internal static FailureOutcome OnFailure(Cluster cluster, JobFailure failure) =>
        cluster.InfraId is null ? FailureOutcome.Keep(failure) : FailureOutcome.RollBackMachines(cluster, failure);
}

/// <summary>Add nodes: new worker pools on any connection, joined with a fresh token.</summary>
internal sealed class AddNodesJob(MachineSteps machines, ClusterProvisioner provisioner, TeardownSteps teardown) : IJobHandler
{
    public JobKind Kind => JobKind.AddNodes;

    // The pools to work on come from the job's payload, read when each step runs.
    public IReadOnlyList<PlanStep> Plan(JobContext context) =>
    [
        new("resolve", true, (c, t) => machines.ResolveAsync(c, Selection.AddedBy(c), t)),
        // Asking again adds nothing that exists already.
        new("add-machines", true, (c, t) => machines.AddMachinesAsync(c, Selection.AddedBy(c), t)),
        new("record-machines", true, (c, t) => machines.RecordMachinesAsync(c, FailureReason.AddNodeEntityFailed, t)),
        new("prepare-nodes", true, (c, t) => provisioner.PrepareNodesAsync(c, Selection.AddedBy(c), t)),
        new("load-balancer", true, (c, t) => provisioner.SetUpLoadBalancerAsync(c, Selection.AddedBy(c), t)),
        // Mints its own token on the leader (join-token), then as in create.
        new("join-workers", true, (c, t) => provisioner.JoinWorkersAsync(c, Selection.AddedBy(c), t)),
        new("label-nodes", true, provisioner.LabelNodesAsync),
        new("wait-ready", true, (c, t) => provisioner.WaitReadyAsync(c, Selection.AddedBy(c), t)),
        new("pod-network", true, (c, t) => provisioner.CheckPodNetworkAsync(c, Selection.AddedBy(c), t)),
    ];

    public Task OnSucceededAsync(JobContext context, CancellationToken cancellationToken)
    {
        context.SetPhaseAtEnd(ClusterPhase.Provisioned);
        return Task.CompletedTask;
    }

    public Task<bool> OnFailedAsync(JobContext context, JobFailure failure, CancellationToken cancellationToken) =>
        teardown.RecordFailureAsync(context, failure, OnFailure, cancellationToken);

    /// <summary>The machines asked for go, unless the cluster keeps them for debugging.</summary>
    internal static FailureOutcome OnFailure(Cluster cluster, JobFailure failure) => FailureOutcome.RollBackMachines(cluster, failure);
}

/// <summary>Remove node: drain, delete from Kubernetes (and etcd), delete the machine.</summary>
internal sealed class RemoveNodeJob(TeardownSteps teardown) : IJobHandler
{
    public JobKind Kind => JobKind.RemoveNode;

    public IReadOnlyList<PlanStep> Plan(JobContext context) =>
    [
        // The script skips a node that is gone and an etcd member that is gone.
        new("drain-delete-node", true, teardown.DrainAndDeleteNodeAsync),
        // Deleting a machine that is gone is not an error.
        new("delete-machine", true, teardown.DeleteNodeMachineAsync),
    ];

    public Task OnSucceededAsync(JobContext context, CancellationToken cancellationToken)
    {
        context.SetPhaseAtEnd(ClusterPhase.Provisioned);
        return Task.CompletedTask;
    }

    public Task<bool> OnFailedAsync(JobContext context, JobFailure failure, CancellationToken cancellationToken) =>
        teardown.RecordFailureAsync(context, failure, OnFailure, cancellationToken);

    /// <summary>Rolled back to put the cluster back in service: the rollback finishes taking the half-removed node out.</summary>
    internal static FailureOutcome OnFailure(Cluster cluster, JobFailure failure) => FailureOutcome.Keep(failure) with { RollBack = true };
}

/// <summary>Delete cluster: every machine goes; the cluster stays visible as Deleted.</summary>
internal sealed class DeleteClusterJob(TeardownSteps teardown) : IJobHandler
{
    public JobKind Kind => JobKind.DeleteCluster;

    public IReadOnlyList<PlanStep> Plan(JobContext context) =>
    [
        // Deleting a group that is gone is not an error.
        new("delete-machines", true, teardown.DeleteAllMachinesAsync),
        new("mark-deleted", true, teardown.MarkDeletedAsync),
    ];

    public Task OnSucceededAsync(JobContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> OnFailedAsync(JobContext context, JobFailure failure, CancellationToken cancellationToken) =>
        teardown.RecordFailureAsync(context, failure, OnFailure, cancellationToken);

    /// <summary>No rollback of a delete: deleting again is the way forward.</summary>
    internal static FailureOutcome OnFailure(Cluster cluster, JobFailure failure) =>
        new(failure.Reason, failure.Message + "\nDelete the cluster again to retry.", RollBack: false, SettleDeletingNodes: true);
}

/// <summary>Rollback of a failed create, add-nodes or remove-node job (queued by the runner, never by a user).</summary>
internal sealed class RollbackJob(TeardownSteps teardown) : IJobHandler
{
    public JobKind Kind => JobKind.Rollback;

    public IReadOnlyList<PlanStep> Plan(JobContext context) =>
    [
        // Every deletion in it tolerates what is already gone.
        new("rollback", true, teardown.RollbackAsync),
    ];

    public Task OnSucceededAsync(JobContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> OnFailedAsync(JobContext context, JobFailure failure, CancellationToken cancellationToken) =>
        teardown.RecordFailureAsync(context, failure, OnFailure, cancellationToken);

    /// <summary>
    /// The cluster already carries the failure that caused the rollback: it keeps that reason, and its message gains
    /// what went wrong now and where machines may remain. A rollback is never rolled back.
    /// </summary>
    internal static FailureOutcome OnFailure(Cluster cluster, JobFailure failure) => new(
        cluster.Reason ?? failure.Reason,
        $"{cluster.Message}\nThe rollback failed too ({failure.Reason}): {failure.Message}" +
        (cluster.InfraId is null ? "" : $"\nMachines may remain in {cluster.InfraNamespace}/{cluster.InfraId}."),
        RollBack: false, SettleDeletingNodes: true);
}

/// <summary>
/// Renew certificates: kubeadm certs renew all and a static-pod restart on each control plane in turn, then the
/// refreshed admin kubeconfig and the new expiry dates. The cluster stays Provisioned throughout; a failure is reported
/// on it and rolls nothing back (what was renewed stays renewed).
/// </summary>
internal sealed class RenewCertificatesJob(ClusterProvisioner provisioner) : IJobHandler
{
    public JobKind Kind => JobKind.RenewCertificates;

    public IReadOnlyList<PlanStep> Plan(JobContext context) =>
    [
        // Renewing again only issues newer certificates; the script first puts back manifests a cut-short run parked.
        new("renew-certificates", true, provisioner.RenewCertificatesAsync),
        // Reads admin.conf and overwrites the sealed copy.
        new("fetch-kubeconfig", true, provisioner.FetchKubeconfigAsync),
        // Reads the dates and stores them.
        new("check-certificates", true, provisioner.CheckRenewedCertificatesAsync),
    ];

    public Task OnSucceededAsync(JobContext context, CancellationToken cancellationToken)
    {
        context.SetPhaseAtEnd(ClusterPhase.Provisioned, "Certificates renewed.");
        return Task.CompletedTask;
    }

    public async Task<bool> OnFailedAsync(JobContext context, JobFailure failure, CancellationToken cancellationToken)
    {
        await provisioner.RecordRenewalFailureAsync(context, failure, cancellationToken);
        return false;
    }
}
