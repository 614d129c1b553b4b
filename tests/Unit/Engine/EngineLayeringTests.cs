using Ladybug.Engine.Clusters;

namespace Ladybug.Tests.Unit.Engine;

/// <summary>
/// The engine's folders depend on each other one way (docs/architecture.md, "Layers"), read from the compiled engine.
/// Folders that still reach each other are listed in <see cref="KnownTangle"/>: that list may only shrink; any other
/// cycle fails.
/// </summary>
[Trait(TestTier.Category, TestTier.Unit)]
public sealed class EngineLayeringTests
{
    /// <summary>
    /// Folders that reach each other today because entities (Cluster, Node, Job, Account, the events) live beside the
    /// services that use them and the DbContext maps them all. Moving the entities into a domain layer removes them.
    /// </summary>
    private static readonly string[] KnownTangle =
        ["(root)", "Accounts", "Bootstrap", "Certificates", "Clusters", "Events", "Infrastructure", "Jobs", "Persistence", "Watch"];

    private static readonly NamespaceGraph Engine = NamespaceGraph.Of(typeof(ClusterService).Assembly, "Ladybug.Engine");

    [Fact]
    public void NoCycleBetweenEngineFoldersOutsideTheKnownTangle()
    {
        var outside = Engine.Cycles().Where(c => c.Except(KnownTangle).Any()).ToList();

        Assert.True(outside.Count == 0, "Engine folders that use each other:\n" +
            string.Join("\n\n", outside.Select(c => $"[{string.Join(", ", c)}]\n" + string.Join("\n", Engine.Describe(c)))));
    }

    [Fact]
    public void TheKnownTangleIsStillTangled()
    {
        // A folder that left the tangle comes off the list, so it cannot slip back in unnoticed.
        var tangled = Engine.Cycles().SelectMany(c => c).ToHashSet();

        Assert.DoesNotContain(KnownTangle, f => !tangled.Contains(f));
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
