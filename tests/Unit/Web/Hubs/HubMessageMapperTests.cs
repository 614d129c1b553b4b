using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Watch;
using Ladybug.Web.Hubs;

namespace Ladybug.Tests.Unit.Web.Hubs;

/// <summary>
/// The hub sends the contract's messages, not the engine's records: the JSON a client reads must be what the engine's
/// records gave before (camelCase, enums as names), field for field, and no event may reach the hub unmapped.
/// </summary>
[Trait(TestTier.Category, TestTier.Unit)]
public sealed class HubMessageMapperTests
{
    private static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private static readonly Guid Cluster = Guid.NewGuid();
    private static readonly DateTimeOffset At = new(2026, 12, 6, 15, 0, 0, TimeSpan.Zero);

    private static readonly ProvisioningEvent[] OneOfEach =
    [
        new LogLinesAppended(Cluster, [new LogLineView(7, At, "cp-1", "prepare", LogStream.Stderr, "apt: lock held")]),
        new StepChanged(Cluster, Guid.NewGuid(), 42, 3, "prepare", "cp-1", StepState.Failed, At, At.AddSeconds(5), 100, "exit 100"),
        new JobChanged(Cluster, Guid.NewGuid(), JobKind.RenewCertificates, JobState.Cancelled, "renew-certificates", "Cancelled: by a user"),
        new PhaseChanged(Cluster, ClusterPhase.Failed, "SetupBootstrapFailedReason", "cp-1: exit 1"),
        new NodeChanged(Cluster, "w1-1", NodeStatus.Ready, null, "203.0.113.9", new NodeWatchFacts(NodeReadiness.NotReady, "KubeletNotReady", At,
            "v1.23.17", "Ubuntu 20.04.6 LTS", "containerd://1.6.20", "2", "3900Mi", 7, true, "topology.kubernetes.io/region=europe-west2", EtcdMemberHealth.Unhealthy)),
        new NodeChanged(Cluster, "w1-2", NodeStatus.Joining, "joining", null, null),
        new ClusterHealthChanged(Cluster, ClusterHealth.Degraded, "w1-1 is NotReady", At, ClusterWatchMode.Ssh),
        new ClusterHealthChanged(Cluster, null, null, null, null),
        new CertificatesChecked(Cluster),
    ];

    [Fact]
    public void EveryEventTheEngineHasIsMappedAndReadsAsTheEnginesRecordDid()
    {
        var kinds = typeof(ProvisioningEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(ProvisioningEvent)) && !t.IsAbstract).ToHashSet();
        Assert.Equal(kinds.OrderBy(t => t.Name).Select(t => t.Name), OneOfEach.Select(e => e.GetType()).Distinct().OrderBy(t => t.Name).Select(t => t.Name));

        foreach (var e in OneOfEach)
        {
            var (method, message) = HubMessageMapper.From(e);
            Assert.Equal(e is LogLinesAppended ? "LogLines" : e.GetType().Name, method);
            var before = JsonSerializer.SerializeToNode(e, e.GetType(), Wire);
            // The one field dropped on purpose: the console's display text for a node's readiness, never in the protocol.
            (before?["facts"] as JsonObject)?.Remove("readinessText");
            var now = JsonSerializer.SerializeToNode(message, message.GetType(), Wire);
            // Property order may differ (a record's base properties came last); names and values may not.
            Assert.True(JsonNode.DeepEquals(before, now), $"{method}: was {before?.ToJsonString()}, now {now?.ToJsonString()}");
        }
    }
}
