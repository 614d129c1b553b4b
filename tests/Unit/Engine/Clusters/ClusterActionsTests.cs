using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;

namespace Ladybug.Tests.Unit.Engine.Clusters;

[Trait(TestTier.Category, TestTier.Unit)]
public sealed class ClusterActionsTests
{
    private static ClusterActions Actions(ClusterPhase phase, bool kubeconfig = true, params JobKind[] active) => new("demo", phase, active, kubeconfig);

    private static string Allowed(ClusterActions actions) => string.Join(",", actions.Allowed);

    [Fact]
    public void AnIdleProvisionedClusterAllowsEverythingButCancel() =>
        Assert.Equal("AddNodes,RemoveNode,RenewCertificates,Delete,DownloadKubeconfig", Allowed(Actions(ClusterPhase.Provisioned)));

    [Fact]
    public void ARunningJobAllowsOnlyCancelDeleteAndTheKubeconfig()
    {
        var busy = Actions(ClusterPhase.Provisioned, true, JobKind.AddNodes);
        Assert.Equal("Cancel,Delete,DownloadKubeconfig", Allowed(busy));
        Assert.Equal("Cluster 'demo' is busy with another job; try again when it finishes.", busy.WhyNot(ClusterAction.RenewCertificates));
    }

    [Fact]
    public void ARollbackOrADeleteCannotBeCancelledAndADeleteIsNotAskedTwice()
    {
        Assert.Equal("Delete", Allowed(Actions(ClusterPhase.Failed, false, JobKind.Rollback)));
        var deleting = Actions(ClusterPhase.Deleting, false, JobKind.DeleteCluster);
        Assert.Empty(deleting.Allowed);
        Assert.Equal("Cluster 'demo' is already being deleted.", deleting.WhyNot(ClusterAction.Delete));
    }

    [Theory]
    [InlineData(ClusterPhase.Pending, "Cancel,Delete")]
    [InlineData(ClusterPhase.Provisioning, "Cancel,Delete")]
    public void WhileBeingCreatedItCanBeCancelledOrDeleted(ClusterPhase phase, string allowed)
    {
        var creating = Actions(phase, false, JobKind.Create);
        Assert.Equal(allowed, Allowed(creating));
        Assert.Equal($"Cannot add nodes to cluster 'demo' while it is {phase}; it must be Provisioned.", creating.WhyNot(ClusterAction.AddNodes));
        Assert.Equal($"The kubeconfig is available once the cluster is Provisioned; it is {phase}.", creating.WhyNot(ClusterAction.DownloadKubeconfig));
    }

    [Fact]
    public void AFailedOrDeletedClusterAllowsOnlyWhatIsLeft()
    {
        Assert.Equal("Delete", Allowed(Actions(ClusterPhase.Failed, false)));
        Assert.Empty(Actions(ClusterPhase.Deleted, false).Allowed);
    }

    [Fact]
    public void OnlyWorkersThatAreNotTheLeaderCanBeRemoved()
    {
        var idle = Actions(ClusterPhase.Provisioned);
        Assert.Null(idle.WhyNotRemove("w1-1", NodeRole.Worker, "cp-1"));
        Assert.Equal("Node 'cp-1' is the control-plane leader and cannot be removed.", idle.WhyNotRemove("cp-1", NodeRole.ControlPlane, "cp-1"));
        Assert.Equal("Node 'cp-2' is a control-plane node; only workers can be removed, to keep etcd quorum.",
            idle.WhyNotRemove("cp-2", NodeRole.ControlPlane, "cp-1"));
        Assert.NotNull(Actions(ClusterPhase.Provisioned, true, JobKind.RenewCertificates).WhyNotRemove("w1-1", NodeRole.Worker, "cp-1"));
    }
}
