using Ladybug.Engine.Events;

namespace Ladybug.Web.Services;

/// <summary>
/// The log lines a page holds for one cluster, in sequence order, and the nodes and steps seen so far
/// (the log view's filter choices). Appends only; a view remembers how far it has read.
/// </summary>
public sealed class LogBuffer
{
    private readonly List<LogLineView> _lines = [];
    private readonly SortedSet<string> _nodes = new(StringComparer.Ordinal);
    private readonly List<string> _steps = [];
    private readonly HashSet<string> _knownSteps = new(StringComparer.Ordinal);

    public IReadOnlyList<LogLineView> Lines => _lines;
    public IReadOnlyCollection<string> Nodes => _nodes;
    /// <summary>In the order they first appeared, which is the plan's order.</summary>
    public IReadOnlyList<string> Steps => _steps;
    public int Count => _lines.Count;

    public void Append(IEnumerable<LogLineView> lines)
    {
        foreach (var line in lines)
        {
            _lines.Add(line);
            if (line.NodeName is { } node) _nodes.Add(node);
            if (line.Step is { } step && _knownSteps.Add(step)) _steps.Add(step);
        }
    }
}
