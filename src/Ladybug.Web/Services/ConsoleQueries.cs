using System.Text.Json.Serialization;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Jobs;
using Ladybug.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Ladybug.Web.Services;

public sealed record PhaseCount(ClusterPhase Phase, int Count);

public sealed record CspCount(string Csp, int Nodes);

public sealed record RecentJob(Guid JobId, string Namespace, string ClusterName, JobKind Kind, JobState State,
    string? CurrentStep, string? Error, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, DateTimeOffset? StartedAt = null,
    IReadOnlyList<string>? PlannedSteps = null)
{
    /// <summary>Step n of m while it runs; null once it ended or when its plan is unknown.</summary>
    [JsonIgnore]
    public JobProgress? Progress => PlannedSteps is { Count: > 0 } planned && State is JobState.Queued or JobState.Running
        ? JobProgress.FromJob(State, CurrentStep, StartedAt, FinishedAt, planned) : null;
}

/// <summary>The job a cluster runs now, with its plan, for the progress shown in the cluster list.</summary>
public sealed record ActiveJob(Guid JobId, JobKind Kind, JobState State, string? CurrentStep, DateTimeOffset? StartedAt, IReadOnlyList<string> PlannedSteps)
{
    [JsonIgnore]
    public JobProgress Progress => JobProgress.FromJob(State, CurrentStep, StartedAt, null, PlannedSteps);
}

/// <summary>Nodes by their Ready condition as the cluster watch last saw it; null readiness means not watched (yet).</summary>
public sealed record ReadinessCount(NodeReadiness? Readiness, int Nodes);

public sealed record DashboardSummary(int Clusters, int Nodes, IReadOnlyList<PhaseCount> Phases, IReadOnlyList<CspCount> NodesByCsp,
    IReadOnlyList<MapRegion> Regions, IReadOnlyList<RecentJob> RecentJobs, IReadOnlyList<ReadinessCount>? NodesByReadiness = null);

/// <param name="Actions">What can be done to the cluster now, the engine's answer the row's menu enables its items by.</param>
/// <param name="CertificatesExpireAt">The earliest stored end of the cluster's API server and admin certificates, once read.</param>
public sealed record ClusterRow(Guid Id, string Namespace, string Name, ClusterPhase Phase, string? Reason, string KubernetesVersion,
    Cni Cni, int NodeCount, IReadOnlyList<string> Csps, DateTimeOffset CreatedAt, ClusterActions Actions, DateTimeOffset? CertificatesExpireAt = null,
    ClusterHealth? Health = null, string? HealthReason = null, ClusterWatchMode? WatchMode = null, ActiveJob? ActiveJob = null);

/// <summary>One page of the cluster list; <paramref name="Phase"/> keeps only clusters in that phase (Deleted ones included when asked for).</summary>
public sealed record ClusterListQuery(int Page, int PageSize, string? Search = null, string? SortBy = null, bool Descending = true, bool IncludeDeleted = false,
    ClusterPhase? Phase = null);

public sealed record ClusterListPage(IReadOnlyList<ClusterRow> Rows, int Total);

/// <summary>
/// Aggregates for the dashboard and the cluster list, computed in the database: a fixed handful of
/// queries per page whatever the number of clusters and nodes (no per-row queries, no loading every node).
/// </summary>
public sealed class ConsoleQueries(IDbContextFactory<LadybugDbContext> dbFactory, JobPlans plans)
{
    public const int RecentJobCount = 8;
    /// <summary>A dashboard marker lists at most this many clusters in its tooltip.</summary>
    public const int MaxTooltipItems = 12;

    public async Task<DashboardSummary> DashboardAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var phases = await db.Clusters.Where(c => c.Phase != ClusterPhase.Deleted)
            .GroupBy(c => c.Phase).Select(g => new PhaseCount(g.Key, g.Count()))
            .ToListAsync(cancellationToken);

        var placements = await (
            from n in db.Nodes
            join c in db.Clusters on n.ClusterId equals c.Id
            where n.DeletedAt == null && c.Phase != ClusterPhase.Deleted
            group n by new { n.Csp, n.Region, c.Namespace, c.Name } into g
            select new
            {
                g.Key.Csp, g.Key.Region, g.Key.Namespace, Cluster = g.Key.Name, Count = g.Count(), Latitude = g.Max(n => n.Latitude), Longitude = g.Max(n => n.Longitude),
                NotReady = g.Count(n => n.Readiness == NodeReadiness.NotReady || n.Readiness == NodeReadiness.Unknown),
            }
        ).ToListAsync(cancellationToken);

        var regions = placements.GroupBy(p => (p.Csp, p.Region))
            .Select(g =>
            {
                var byCluster = g.OrderByDescending(p => p.Count).ThenBy(p => p.Cluster, StringComparer.Ordinal).ToList();
                var items = byCluster.Take(MaxTooltipItems)
                    .Select(p => $"{p.Cluster}: {p.Count} node{(p.Count == 1 ? "" : "s")}{(p.NotReady > 0 ? $", {p.NotReady} not Ready" : "")}").ToList();
                if (byCluster.Count > MaxTooltipItems) items.Add($"and {byCluster.Count - MaxTooltipItems} more clusters");
                // The dashboard does not load every node: its popover lists the region's clusters, each linking to its page.
                var entries = byCluster.Take(MaxTooltipItems).Select(p => new MapEntry(p.Cluster, $"{p.Count} node{(p.Count == 1 ? "" : "s")}",
                    p.NotReady > 0 ? $"{p.NotReady} not Ready" : "", p.NotReady > 0, ClusterPaths.Detail(p.Namespace, p.Cluster))).ToList();
                return new MapRegion(g.Key.Csp, g.Key.Region, "", g.Max(p => p.Latitude), g.Max(p => p.Longitude), g.Sum(p => p.Count), items, g.Sum(p => p.NotReady),
                    entries);
            })
            .OrderBy(r => r.Csp).ThenBy(r => r.Region).ToList();
        var byCsp = regions.GroupBy(r => r.Csp).Select(g => new CspCount(g.Key, g.Sum(r => r.NodeCount)))
            .OrderByDescending(c => c.Nodes).ThenBy(c => c.Csp).ToList();

        var recentJobs = await (
            from j in db.Jobs
            join c in db.Clusters on j.ClusterId equals c.Id
            orderby j.CreatedAt descending
            select new { Job = j, c.Namespace, c.Name }
        ).Take(RecentJobCount).ToListAsync(cancellationToken);
        var recent = recentJobs.Select(r => new RecentJob(r.Job.Id, r.Namespace, r.Name, r.Job.Kind, r.Job.State, r.Job.CurrentStep, r.Job.Error,
            r.Job.CreatedAt, r.Job.FinishedAt, r.Job.StartedAt, r.Job.IsFinished ? null : plans.StepNames(JobView.Of(r.Job)))).ToList();

        var readiness = await (
            from n in db.Nodes
            join c in db.Clusters on n.ClusterId equals c.Id
            where n.DeletedAt == null && c.Phase != ClusterPhase.Deleted
            group n by n.Readiness into g
            select new ReadinessCount(g.Key, g.Count())
        ).ToListAsync(cancellationToken);

        return new DashboardSummary(phases.Sum(p => p.Count), regions.Sum(r => r.NodeCount), phases, byCsp, regions, recent,
            readiness.OrderBy(r => r.Readiness is null).ThenBy(r => r.Readiness).ToList());
    }

    public async Task<ClusterListPage> ClustersAsync(ClusterListQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var clusters = db.Clusters.AsNoTracking();
        if (query.Phase is { } phase) clusters = clusters.Where(c => c.Phase == phase);
        else if (!query.IncludeDeleted) clusters = clusters.Where(c => c.Phase != ClusterPhase.Deleted);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var search = query.Search.Trim().ToLowerInvariant();
            clusters = clusters.Where(c => c.Name.Contains(search) || c.Namespace.Contains(search));
        }
        var total = await clusters.CountAsync(cancellationToken);

        clusters = (query.SortBy, query.Descending) switch
        {
            ("name", false) => clusters.OrderBy(c => c.Name),
            ("name", true) => clusters.OrderByDescending(c => c.Name),
            ("phase", false) => clusters.OrderBy(c => c.Phase).ThenBy(c => c.Name),
            ("phase", true) => clusters.OrderByDescending(c => c.Phase).ThenBy(c => c.Name),
            ("version", false) => clusters.OrderBy(c => c.KubernetesVersion).ThenBy(c => c.Name),
            ("version", true) => clusters.OrderByDescending(c => c.KubernetesVersion).ThenBy(c => c.Name),
            (_, false) => clusters.OrderBy(c => c.CreatedAt),
            _ => clusters.OrderByDescending(c => c.CreatedAt),
        };
        var page = await clusters.Skip(Math.Max(0, query.Page) * query.PageSize).Take(query.PageSize)
            .Select(c => new { c.Id, c.Namespace, c.Name, c.Phase, c.Reason, c.KubernetesVersion, c.Cni, c.CreatedAt, c.ApiServerCertificateExpiresAt, c.AdminCertificateExpiresAt, c.Health, c.HealthReason, c.WatchMode, HasKubeconfig = c.SealedKubeconfig != null })
            .ToListAsync(cancellationToken);

        var ids = page.Select(c => c.Id).ToList();
        var nodes = await db.Nodes.Where(n => ids.Contains(n.ClusterId) && n.DeletedAt == null)
            .GroupBy(n => new { n.ClusterId, n.Csp }).Select(g => new { g.Key.ClusterId, g.Key.Csp, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var nodesByCluster = nodes.ToLookup(n => n.ClusterId);
        // One query for the page.
        var active = (await db.Jobs.AsNoTracking().Where(j => ids.Contains(j.ClusterId) && (j.State == JobState.Queued || j.State == JobState.Running))
                .ToListAsync(cancellationToken))
            .OrderBy(j => j.CreatedAt)
            .ToLookup(j => j.ClusterId);

        var rows = page.Select(c => new ClusterRow(c.Id, c.Namespace, c.Name, c.Phase, c.Reason, c.KubernetesVersion, c.Cni,
            nodesByCluster[c.Id].Sum(n => n.Count),
            nodesByCluster[c.Id].OrderByDescending(n => n.Count).Select(n => n.Csp).ToList(),
            c.CreatedAt,
            new ClusterActions(c.Name, c.Phase, [.. active[c.Id].Select(j => j.Kind)], c.HasKubeconfig),
            new[] { c.ApiServerCertificateExpiresAt, c.AdminCertificateExpiresAt }.Min(), c.Health, c.HealthReason, c.WatchMode,
            active[c.Id].FirstOrDefault() is { } job ? new ActiveJob(job.Id, job.Kind, job.State, job.CurrentStep, job.StartedAt, plans.StepNames(JobView.Of(job))) : null)).ToList();
        return new ClusterListPage(rows, total);
    }
}
