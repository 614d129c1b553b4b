using Ladybug.Engine.Domain;
using Ladybug.Engine.Jobs;

namespace Ladybug.Engine.Bootstrap;

/// <summary>
/// What a failed job leaves on its cluster: phase Failed with this reason code and message, whether a rollback job
/// follows, and whether nodes left Deleting are settled (shown Deleted or Failed by what the cloud still has). Each job
/// handler decides it from the cluster as stored and the failure (its <c>OnFailure</c>); <see cref="TeardownSteps"/>
/// records it.
/// </summary>
internal sealed record FailureOutcome(string Reason, string Message, bool RollBack, bool SettleDeletingNodes = false)
{
    /// <summary>The failure as it is, nothing to undo.</summary>
    public static FailureOutcome Keep(JobFailure failure) => new(failure.Reason, failure.Message, RollBack: false);

    /// <summary>
    /// Machines a create or add-nodes asked for: rolled back, unless the cluster asked to keep them for debugging.
    /// </summary>
    public static FailureOutcome RollBackMachines(Cluster cluster, JobFailure failure) => cluster.KeepMachinesOnFailure
        ? new(failure.Reason, failure.Message + "\nThe machines were kept for debugging, as the cluster asked; delete the cluster to remove them.", RollBack: false)
        : new(failure.Reason, failure.Message + "\nRolling back: deleting the machines.", RollBack: true);
}
