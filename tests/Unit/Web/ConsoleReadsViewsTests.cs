using System.Reflection;
using Ladybug.Engine.Domain;
using Ladybug.Tests.Unit.Engine;
using Ladybug.Web.Services;

namespace Ladybug.Tests.Unit.Web;

/// <summary>
/// The console (pages, API, hub, CLI endpoints) reads clusters, nodes, jobs and steps as immutable views
/// (<see cref="ClusterView"/>, <see cref="NodeView"/>, <see cref="JobView"/>, <see cref="JobStepView"/>) and changes
/// them only through the engine's services. Read from the compiled console: no method of it sets a property of a stored
/// entity.
/// </summary>
[Trait(TestTier.Category, TestTier.Unit)]
public sealed class ConsoleReadsViewsTests
{
    private static readonly Type[] Entities = [typeof(Cluster), typeof(NodePool), typeof(Node), typeof(Job), typeof(JobStep)];

    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic
        | BindingFlags.Instance | BindingFlags.Static;

    [Fact]
    public void NoConsoleCodeSetsAPropertyOfAStoredEntity()
    {
        var writes = (from type in typeof(ConsoleQueries).Assembly.GetTypes()
                      from method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared))
                      from member in NamespaceGraph.MembersUsedBy(method)
                      where member is MethodInfo { Name: var name } setter && name.StartsWith("set_", StringComparison.Ordinal)
                          && Entities.Contains(setter.DeclaringType)
                      select $"{type.FullName}.{method.Name} sets {member.DeclaringType!.Name}.{member.Name[4..]}").Distinct().ToList();

        Assert.True(writes.Count == 0, "Console code that writes into stored entities:\n" + string.Join("\n", writes));
    }

    [Fact]
    public void TheCheckSeesAnEntityWrite()
    {
        var sample = typeof(ConsoleReadsViewsTests).GetMethod(nameof(WritesAnEntity), BindingFlags.NonPublic | BindingFlags.Static)!;

        Assert.Contains(NamespaceGraph.MembersUsedBy(sample), m => m is MethodInfo { Name: "set_Phase" } s && s.DeclaringType == typeof(Cluster));
    }

    private static void WritesAnEntity(Cluster cluster) => cluster.Phase = ClusterPhase.Failed;
}
