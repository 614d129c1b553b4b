namespace Ladybug.Engine.Infrastructure.Tumblebug;

/// <summary>Turns status polls into lines a person can follow: the Infra's status when it changes, each node's transitions.</summary>
internal sealed class ProgressReporter(IProgress<string>? progress, string groupId)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _nodes = new(StringComparer.Ordinal);
    private string? _infra;

    public void Note(string text) => progress?.Report(text);

    public void Report(InfraStatusInfo status)
    {
        if (progress is null) return;
        var lines = new List<string>();
        lock (_lock)
        {
            if (status.Status != _infra)
            {
                _infra = status.Status;
                lines.Add($"Infra '{groupId}': {status.Status}");
            }
            foreach (var node in status.Node)
            {
                var before = _nodes.GetValueOrDefault(node.Id);
                if (before == node.Status) continue;
                _nodes[node.Id] = node.Status;
                var where = string.IsNullOrEmpty(node.PublicIp) ? "" : $" at {node.PublicIp}";
                var why = string.IsNullOrWhiteSpace(node.SystemMessage) || node.Status == "Running" ? "" : $" ({node.SystemMessage.Trim()})";
                lines.Add(before is null ? $"{node.Id}: {node.Status}{where}{why}" : $"{node.Id}: {before} → {node.Status}{where}{why}");
            }
        }
        foreach (var line in lines) progress.Report(line);
    }
}
