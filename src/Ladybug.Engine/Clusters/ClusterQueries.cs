using Ladybug.Engine.Domain;
using Ladybug.Engine.Persistence;
using Ladybug.Engine.Secrets;
using Microsoft.EntityFrameworkCore;

namespace Ladybug.Engine.Clusters;

/// <summary>Read side for the console, the API and the CLI: read-only views, never the stored entities.</summary>
public sealed class ClusterQueries(IDbContextFactory<LadybugDbContext> dbFactory, ISecretSealer sealer, TimeProvider time)
{
    public async Task<IReadOnlyList<ClusterView>> ListAsync(string? ns = null, bool includeDeleted = false, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Clusters.AsNoTracking().Include(c => c.Pools).Include(c => c.Nodes.Where(n => n.DeletedAt == null)).AsSplitQuery();
        if (ns is not null) query = query.Where(c => c.Namespace == ns);
        if (!includeDeleted) query = query.Where(c => c.Phase != ClusterPhase.Deleted);
        return [.. (await query.OrderByDescending(c => c.CreatedAt).ToListAsync(cancellationToken)).Select(ClusterView.Of)];
    }

    public async Task<ClusterView?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return View(await db.Clusters.AsNoTracking().Include(c => c.Pools).Include(c => c.Nodes.Where(n => n.DeletedAt == null)).AsSplitQuery()
            .SingleOrDefaultAsync(c => c.Id == id, cancellationToken));
    }

    /// <summary>The live cluster of that name; a deleted one only when no live one has the name.</summary>
    public async Task<ClusterView?> GetAsync(string ns, string name, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return View(await db.Clusters.AsNoTracking().Include(c => c.Pools).Include(c => c.Nodes.Where(n => n.DeletedAt == null)).AsSplitQuery()
            .Where(c => c.Namespace == ns && c.Name == name)
            .OrderBy(c => c.Phase == ClusterPhase.Deleted).ThenByDescending(c => c.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken));
    }

    /// <summary>What can be done to each of <paramref name="clusters"/> now: one query for all their unfinished jobs.</summary>
    public async Task<IReadOnlyDictionary<Guid, ClusterActions>> ActionsAsync(IReadOnlyCollection<ClusterView> clusters, CancellationToken cancellationToken = default)
    {
        var ids = clusters.Select(c => c.Id).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var active = (await db.Jobs.AsNoTracking()
            .Where(j => ids.Contains(j.ClusterId) && (j.State == JobState.Queued || j.State == JobState.Running))
            .ToListAsync(cancellationToken)).ToLookup(j => j.ClusterId);
        return clusters.ToDictionary(c => c.Id, c => ClusterActions.For(c, active[c.Id].Select(JobView.Of)));
    }

    public async Task<IReadOnlyList<JobView>> JobsAsync(Guid clusterId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return [.. (await db.Jobs.AsNoTracking().Where(j => j.ClusterId == clusterId).OrderByDescending(j => j.CreatedAt).ToListAsync(cancellationToken))
            .Select(JobView.Of)];
    }

    public async Task<IReadOnlyList<JobStepView>> StepsAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return [.. (await db.JobSteps.AsNoTracking().Where(s => s.JobId == jobId).OrderBy(s => s.Order).ThenBy(s => s.Id).ToListAsync(cancellationToken))
            .Select(JobStepView.Of)];
    }

    /// <summary>The admin kubeconfig in plain text, or null before it exists. Every read is audited.</summary>
    public async Task<string?> ReadKubeconfigAsync(Guid clusterId, string user, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cluster = await db.Clusters.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clusterId, cancellationToken);
        if (cluster?.SealedKubeconfig is null || cluster.Phase is ClusterPhase.Deleted or ClusterPhase.Deleting)
            return null;
        db.AuditEntries.Add(new AuditEntry { ClusterId = clusterId, User = user, Action = "kubeconfig.download", Detail = cluster.Name, Time = time.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);
        return sealer.Unseal(cluster.SealedKubeconfig);
    }

    private static ClusterView? View(Cluster? cluster) => cluster is null ? null : ClusterView.Of(cluster);
}
