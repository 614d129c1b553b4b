using Ladybug.Engine.Bootstrap;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Jobs;

namespace Ladybug.Tests.Unit.Engine.Bootstrap;

/// <summary>
/// What each job handler leaves on a cluster when its job fails: the reason and message stored, whether a rollback
/// follows and whether nodes left Deleting are settled. Pure functions of the stored cluster and the failure.
/// </summary>
[Trait(TestTier.Category, TestTier.Unit)]
public sealed class FailurePolicyTests
{
    private static readonly JobFailure JoinFailed = new("join-workers", FailureReason.JoinWorkerFailed, "w1-1: kubeadm join exited 1");

    private static Cluster Stored(string? infraId = "infra-1", bool keep = false, string? reason = null, string? message = null) => new()
    {
        Name = "c1", InfraNamespace = "default", InfraId = infraId, KeepMachinesOnFailure = keep, Reason = reason, Message = message,
    };

    public static TheoryData<string, Cluster, bool, bool, string> Cases => new()
    {
        // handler, stored cluster, rolls back, settles Deleting nodes, the message's last line
        { "create", Stored(infraId: null), false, false, "w1-1: kubeadm join exited 1" },
        { "create", Stored(), true, false, "Rolling back: deleting the machines." },
        { "create", Stored(keep: true), false, false, "The machines were kept for debugging, as the cluster asked; delete the cluster to remove them." },
        { "add-nodes", Stored(), true, false, "Rolling back: deleting the machines." },
        { "add-nodes", Stored(keep: true), false, false, "The machines were kept for debugging, as the cluster asked; delete the cluster to remove them." },
        { "remove-node", Stored(keep: true), true, false, "w1-1: kubeadm join exited 1" },
        { "delete", Stored(), false, true, "Delete the cluster again to retry." },
        { "rollback", Stored(reason: FailureReason.InitControlPlaneFailed, message: "kubeadm init exited 1"), false, true, "Machines may remain in default/infra-1." },
        { "rollback", Stored(infraId: null, reason: FailureReason.InitControlPlaneFailed, message: "kubeadm init exited 1"), false, true,
            $"The rollback failed too ({FailureReason.JoinWorkerFailed}): w1-1: kubeadm join exited 1" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EachHandlerDecidesWhatItsFailureLeaves(string handler, Cluster cluster, bool rollsBack, bool settles, string lastLine)
    {
        var outcome = Policy(handler)(cluster, JoinFailed);

        Assert.Equal((rollsBack, settles), (outcome.RollBack, outcome.SettleDeletingNodes));
        Assert.Equal(lastLine, outcome.Message.Split('\n')[^1]);
    }

    [Fact]
    public void AFailedRollbackKeepsTheReasonThatCausedItAndAddsItsOwnFailure()
    {
        var outcome = RollbackJob.OnFailure(Stored(reason: FailureReason.InitControlPlaneFailed, message: "kubeadm init exited 1"), JoinFailed);

        Assert.Equal(FailureReason.InitControlPlaneFailed, outcome.Reason);
        Assert.StartsWith("kubeadm init exited 1\nThe rollback failed too", outcome.Message);
    }

    [Fact]
    public void EveryOtherHandlerStoresTheFailuresOwnReason()
    {
        foreach (var handler in new[] { "create", "add-nodes", "remove-node", "delete" })
            Assert.Equal(FailureReason.JoinWorkerFailed, Policy(handler)(Stored(reason: "Earlier"), JoinFailed).Reason);
    }

    private static Func<Cluster, JobFailure, FailureOutcome> Policy(string handler) => handler switch
    {
        "create" => CreateClusterJob.OnFailure,
        "add-nodes" => AddNodesJob.OnFailure,
        "remove-node" => RemoveNodeJob.OnFailure,
        "delete" => DeleteClusterJob.OnFailure,
        "rollback" => RollbackJob.OnFailure,
        _ => throw new ArgumentOutOfRangeException(nameof(handler), handler, null),
    };
}
