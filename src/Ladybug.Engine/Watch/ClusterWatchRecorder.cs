using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Jobs;
using Ladybug.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Ladybug.Engine.Watch;

/// <summary>What one watcher last stored, so that it writes only what changed.</summary>
internal sealed class RecordedWatch
{
    public required Cluster Cluster { get; set; }
    public Dictionary<string, NodeWatchFacts?> Written { get; } = new(StringComparer.Ordinal);
    public ClusterHealthVerdict? Verdict { get; set; }
    public ClusterWatchMode? Mode { get; set; }
    /// <summary>The nodes changed outside the watch (a job added or removed one): read them again before the next verdict.</summary>
    public bool Stale { get; set; }

    /// <summary>Nodes the console has joined and not removed: the ones whose health counts.</summary>
    public IEnumerable<Node> Joined => Cluster.Nodes.Where(n => n.DeletedAt is null && n.Status == NodeStatus.Ready);
}

/// <summary>
/// Stores the watch's findings: changed node facts (one NodeChanged each, and a line in the cluster's history, the
/// cluster log), and the cluster's health and watch mode (ClusterHealthChanged). Writes nothing when nothing changed.
/// </summary>
internal sealed class ClusterWatchRecorder(IDbContextFactory<LadybugDbContext> dbFactory, IProvisioningEvents events, IJobLog log, TimeProvider time)
{
    /// <summary>The step name of the watch's lines in the cluster log.</summary>
    public const string HistoryStep = "watch";

    public async Task<RecordedWatch?> LoadAsync(Guid clusterId, CancellationToken cancellationToken)
    {
        var cluster = await ReadClusterAsync(clusterId, cancellationToken);
        if (cluster is null) return null;
        var recorded = new RecordedWatch
        {
            Cluster = cluster,
            Mode = cluster.WatchMode,
            Verdict = cluster.Health is { } health ? new ClusterHealthVerdict(health, cluster.HealthReason) : null,
        };
        foreach (var node in cluster.Nodes) recorded.Written[node.Name] = NodeWatchFacts.Stored(node);
        return recorded;
    }

    public async Task RefreshAsync(RecordedWatch recorded, CancellationToken cancellationToken)
    {
        if (await ReadClusterAsync(recorded.Cluster.Id, cancellationToken) is not { } cluster) return;
        recorded.Cluster = cluster;
        foreach (var node in cluster.Nodes) recorded.Written.TryAdd(node.Name, NodeWatchFacts.Stored(node));
        recorded.Stale = false;
    }

    /// <summary>Stores what the API (or kubectl over SSH) says now of the nodes, and the verdict that follows.</summary>
    public async Task RecordAsync(RecordedWatch recorded, IReadOnlyDictionary<string, NodeWatchFacts> seen, ClusterWatchMode mode, CancellationToken cancellationToken)
    {
        if (recorded.Stale) await RefreshAsync(recorded, cancellationToken);
        var known = recorded.Cluster.Nodes.Where(n => n.DeletedAt is null).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var changed = seen.Where(s => known.Contains(s.Key) && recorded.Written.GetValueOrDefault(s.Key) != s.Value).ToList();
        var verdict = ClusterHealthVerdict.Of(recorded.Joined, seen);
        await StoreAsync(recorded, changed, verdict, mode, cancellationToken);
    }

    /// <summary>Neither the endpoint nor SSH answered: the node facts stay as last seen, the cluster is Unreachable.</summary>
    public Task RecordUnreachableAsync(RecordedWatch recorded, string reason, CancellationToken cancellationToken) =>
        StoreAsync(recorded, [], ClusterHealthVerdict.Unreachable(reason), null, cancellationToken);

    /// <summary>The cluster is no longer watched (deleted or being deleted): no health to show.</summary>
    public async Task ClearAsync(Guid clusterId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cleared = await db.Clusters.Where(c => c.Id == clusterId && (c.Health != null || c.WatchMode != null))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Health, (ClusterHealth?)null).SetProperty(c => c.HealthReason, (string?)null)
                .SetProperty(c => c.HealthSince, (DateTimeOffset?)null).SetProperty(c => c.WatchMode, (ClusterWatchMode?)null), cancellationToken);
        if (cleared > 0) events.Publish(new ClusterHealthChanged(clusterId, null, null, null, null));
    }

    private async Task StoreAsync(RecordedWatch recorded, IReadOnlyList<KeyValuePair<string, NodeWatchFacts>> changed, ClusterHealthVerdict verdict,
        ClusterWatchMode? mode, CancellationToken cancellationToken)
    {
        var healthChanged = verdict != recorded.Verdict || mode != recorded.Mode;
        if (changed.Count == 0 && !healthChanged) return;

        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var names = changed.Select(c => c.Key).ToList();
        var nodes = names.Count == 0 ? [] : await db.Nodes.Where(n => n.ClusterId == recorded.Cluster.Id && n.DeletedAt == null && names.Contains(n.Name)).ToListAsync(cancellationToken);
        foreach (var node in nodes) changed.Single(c => c.Key == node.Name).Value.ApplyTo(node);
        var cluster = await db.Clusters.SingleAsync(c => c.Id == recorded.Cluster.Id, cancellationToken);
        if (healthChanged)
        {
            if (cluster.Health != verdict.Health) cluster.HealthSince = now;
            cluster.Health = verdict.Health;
            cluster.HealthReason = verdict.Reason;
            cluster.WatchMode = mode;
        }
        await db.SaveChangesAsync(cancellationToken);

        foreach (var node in nodes)
        {
            var facts = changed.Single(c => c.Key == node.Name).Value;
            var before = recorded.Written.GetValueOrDefault(node.Name);
            recorded.Written[node.Name] = facts;
            if (facts.Describe(before) is { } history)
                log.Append(cluster.Id, null, node.Name, HistoryStep, LogStream.System, $"Node {node.Name}: {history}");
            events.Publish(new NodeChanged(cluster.Id, node.Name, node.Status, node.StatusMessage, Facts: facts));
        }
        if (healthChanged)
        {
            if (verdict != recorded.Verdict)
                log.Append(cluster.Id, null, null, HistoryStep, LogStream.System, $"Cluster {verdict.Health}{(verdict.Reason is null ? "" : ": " + verdict.Reason)}");
            if (mode != recorded.Mode && mode is not null)
                log.Append(cluster.Id, null, null, HistoryStep, LogStream.System, mode == ClusterWatchMode.Ssh
                    ? "Watching through kubectl over SSH on a control plane: the API endpoint does not answer the console"
                    : $"Watching through the API endpoint {cluster.ApiEndpoint}");
            recorded.Verdict = verdict;
            recorded.Mode = mode;
            events.Publish(new ClusterHealthChanged(cluster.Id, cluster.Health, cluster.HealthReason, cluster.HealthSince, cluster.WatchMode));
        }
    }

    private async Task<Cluster?> ReadClusterAsync(Guid clusterId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Clusters.AsNoTracking().Include(c => c.Nodes.Where(n => n.DeletedAt == null)).SingleOrDefaultAsync(c => c.Id == clusterId, cancellationToken);
    }
}
