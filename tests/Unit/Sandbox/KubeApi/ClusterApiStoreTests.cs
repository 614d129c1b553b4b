using System.Text.Json.Nodes;
using Ladybug.Sandbox.KubeApi;

namespace Ladybug.Tests.Unit.Sandbox.KubeApi;

[Trait(TestTier.Category, TestTier.Unit)]
public sealed class ClusterApiStoreTests
{
    private static ApiObject Node(string name, string zone) => new(KubeObjects.Nodes, "", name, new JsonObject
    {
        ["kind"] = "Node",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["topology.kubernetes.io/zone"] = zone } },
    });

    [Fact]
    public async Task AWatchResumesAfterItsResourceVersionAndSeesOnlyRealChanges()
    {
        var store = new ClusterApiStore();
        store.Replace([Node("a", "z1"), Node("b", "z1")]);
        var (_, listed) = store.List(KubeObjects.Nodes, null);
        store.Replace([Node("a", "z1"), Node("b", "z1")]);
        store.Replace([Node("a", "z2")]);

        var (events, close) = store.Watch(listed)!.Value;
        close();
        var seen = new List<string>();
        await foreach (var change in events.ReadAllAsync())
            seen.Add($"{change.Type} {change.Object["metadata"]!["name"]} {change.Object["metadata"]!["resourceVersion"]}");

        Assert.Equal([$"MODIFIED a {listed + 1}", $"DELETED b {listed + 2}"], seen);
    }

    [Fact]
    public async Task AWatchWithoutAResourceVersionStartsWithEveryObjectAdded()
    {
        var store = new ClusterApiStore();
        store.Replace([Node("a", "z1"), Node("b", "z1")]);

        var (events, close) = store.Watch(null)!.Value;
        close();
        var seen = new List<string>();
        await foreach (var change in events.ReadAllAsync())
            seen.Add($"{change.Type} {change.Object["metadata"]!["name"]}");

        Assert.Equal(["ADDED a", "ADDED b"], seen);
    }

    [Fact]
    public void AResourceVersionOlderThanTheRememberedChangesIsGone()
    {
        var store = new ClusterApiStore();
        var (_, first) = store.List(KubeObjects.Nodes, null);
        for (var i = 0; i < 1100; i++)
            store.Replace([Node("a", "z" + i)]);

        Assert.Null(store.Watch(first));
        Assert.NotNull(store.Watch(store.ResourceVersion - 10));
    }

    [Theory]
    [InlineData("topology.kubernetes.io/zone=z1", true)]
    [InlineData("topology.kubernetes.io/zone==z2", false)]
    [InlineData("topology.kubernetes.io/zone!=z2", true)]
    [InlineData("topology.kubernetes.io/zone in (z2,z1)", true)]
    [InlineData("topology.kubernetes.io/zone notin (z1)", false)]
    [InlineData("topology.kubernetes.io/zone,!node-role.kubernetes.io/master", true)]
    [InlineData("node-role.kubernetes.io/master", false)]
    public void LabelSelectorsMatchLikeKubeApiserver(string selector, bool matches) =>
        Assert.Equal(matches, LabelSelector.Parse(selector)(Node("a", "z1").Body));

    [Fact]
    public void AnUnparsableLabelSelectorIsRefused() =>
        Assert.Throws<FormatException>(() => LabelSelector.Parse("a b"));

    [Theory]
    [InlineData(59, "59s")]
    [InlineData(119, "119s")]
    [InlineData(125, "2m5s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600 + 120, "3h2m")]
    [InlineData(30 * 3600, "30h")]
    [InlineData(50 * 3600, "2d2h")]
    [InlineData(400 * 86400, "400d")]
    public void AgesReadAsKubectlPrintsThem(int seconds, string age) =>
        Assert.Equal(age, KubeTables.HumanDuration(TimeSpan.FromSeconds(seconds)));
}
