using Ladybug.Engine.Clusters;

namespace Ladybug.Tests.Unit.Engine;

/// <summary>
/// The engine's folders depend on each other one way, lower layers never using higher ones (docs/architecture.md,
/// "Layers"), read from the compiled engine.
/// </summary>
[Trait(TestTier.Category, TestTier.Unit)]
public sealed class EngineLayeringTests
{
    /// <summary>Lowest first. A folder may use the folders of the layers below its own, never its own layer's or above.</summary>
    private static readonly string[][] Layers =
    [
        ["Domain", "Secrets", "Telemetry"],
        ["Persistence", "Events", "Infrastructure"],
        ["Jobs", "Certificates"],
        ["Bootstrap"],
        ["Watch"],
        ["Clusters", "Accounts", "Health"],
        ["(root)"],
    ];

    private static readonly NamespaceGraph Engine = NamespaceGraph.Of(typeof(ClusterService).Assembly, "Ladybug.Engine");

    [Fact]
    public void NoCycleBetweenEngineFolders()
    {
        var cycles = Engine.Cycles();

        Assert.True(cycles.Count == 0, "Engine folders that use each other:\n" +
            string.Join("\n\n", cycles.Select(c => $"[{string.Join(", ", c)}]\n" + string.Join("\n", Engine.Describe(c)))));
    }

    [Fact]
    public void EveryFolderUsesOnlyTheLayersBelowIt()
    {
        var layerOf = Layers.SelectMany((folders, layer) => folders.Select(f => (f, layer))).ToDictionary(p => p.f, p => p.layer);

        var upward = (from edge in Engine.Edges
                      from used in edge.Value
                      where layerOf.ContainsKey(edge.Key) && layerOf.ContainsKey(used.Key) && layerOf[used.Key] >= layerOf[edge.Key]
                      select $"{edge.Key} -> {used.Key} (through {used.Value})").ToList();

        Assert.True(upward.Count == 0, "Uses of a folder in the same or a higher layer:\n" + string.Join("\n", upward));
    }

    [Fact]
    public void EveryFolderHasALayer()
    {
        // A new folder is placed in the table (and in docs/architecture.md) before it is used.
        var placed = Layers.SelectMany(l => l).ToHashSet();
        var folders = Engine.Edges.Keys.Concat(Engine.Edges.Values.SelectMany(e => e.Keys)).Distinct();

        Assert.DoesNotContain(folders, f => !placed.Contains(f));
    }

    [Fact]
    public void MethodBodiesCount()
    {
        // JobLeases uses the DbContext only inside its methods.
        Assert.Contains("Persistence", Engine.Edges["Jobs"].Keys);
    }

    [Fact]
    public void ACycleIsFound()
    {
        var graph = NamespaceGraph.Of(typeof(EngineLayeringTests).Assembly, "Ladybug.Tests.Unit.Engine.LayeringSample");

        Assert.Equal(["First", "Second"], Assert.Single(graph.Cycles()));
        Assert.DoesNotContain("Third", graph.Cycles().SelectMany(c => c));
    }
}
