using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Watch;
using Ladybug.Web.ScaleOut;

namespace Ladybug.Tests.Unit.Web.ScaleOut;

/// <summary>What one replica sends through Redis is what the other replica's subscribers get.</summary>
[Trait(TestTier.Category, TestTier.Unit)]
public sealed class ProvisioningEventCodecTests
{
    private static readonly Guid Cluster = Guid.NewGuid();
    private static readonly DateTimeOffset Time = new(2026, 12, 6, 15, 0, 0, TimeSpan.FromHours(2));

    public static TheoryData<ProvisioningEvent> Events() =>
    [
        new LogLinesAppended(Cluster, [new LogLineView(7, Time, "n1", "init", LogStream.Stderr, "kubeadm: ok"), new LogLineView(8, Time, null, null, LogStream.System, "done")]),
        new StepChanged(Cluster, Guid.NewGuid(), 42, 3, "init", "n1", StepState.Failed, Time, Time.AddSeconds(5), 1, "Interrupted"),
        new NodeChanged(Cluster, "n1", NodeStatus.Creating, "vm up", "203.0.113.7",
            new NodeWatchFacts(NodeReadiness.NotReady, "KubeletNotReady", Time, "v1.23.17", "Ubuntu", "containerd", "2", "4Gi", 9, true, "zone=a", EtcdMemberHealth.Healthy)),
        new ClusterHealthChanged(Cluster, ClusterHealth.Degraded, "a node is not ready", Time, ClusterWatchMode.Api),
        new PhaseChanged(Cluster, ClusterPhase.Failed, "Interrupted", "rolled back"),
        new JobChanged(Cluster, Guid.NewGuid(), JobKind.Create, JobState.Running, "init", null),
        new CertificatesChecked(Cluster),
    ];

    [Theory]
    [MemberData(nameof(Events))]
    public void EveryEventComesBackAsItWasSent(ProvisioningEvent sent)
    {
        var (origin, received) = ProvisioningEventCodec.Decode(ProvisioningEventCodec.Encode("replica-a", sent))!.Value;

        Assert.Equal("replica-a", origin);
        Assert.Equal(sent.GetType(), received.GetType());
        // Records compare lists by reference: compare their encodings instead.
        Assert.Equal(ProvisioningEventCodec.Encode("x", sent), ProvisioningEventCodec.Encode("x", received));
        if (sent is not LogLinesAppended) Assert.Equal(sent, received);
    }

    [Fact]
    public void EventOfAnUnknownKindIsSkippedNotThrown() =>
        Assert.Null(ProvisioningEventCodec.Decode("""{"origin":"replica-new","type":"SomethingNewer","event":{"clusterId":"00000000-0000-0000-0000-000000000001"}}"""));
}
