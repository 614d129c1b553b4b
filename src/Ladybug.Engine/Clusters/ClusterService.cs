using System.Text.Json;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Jobs;
using Ladybug.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Ladybug.Engine.Clusters;

/// <summary>
/// The only way to change clusters: validates, stores, queues a job and returns at once.
/// The wizard, the REST API and the CLI (through the API) all come through here.
/// </summary>
public sealed class ClusterService(
    IDbContextFactory<LadybugDbContext> dbFactory,
    IJobQueue queue,
    IProvisioningEvents events,
    TimeProvider time,
    IEnumerable<IClusterSpecCheck> checks,
    ILogger<ClusterService> logger)
{
    /// <summary>
    /// Creates check the name and insert one at a time, so two creates of one name in this console never both reach the
    /// unique index: the loser gets the ordinary 400, not a failed INSERT that EF Core logs as an error with its stack.
    /// </summary>
    private readonly SemaphoreSlim _naming = new(1, 1);

    /// <summary>The validator's rules, plus the ones that need stored data (unique name) or the cloud (known connections).</summary>
    public async Task<ValidationErrors> ValidateAsync(ClusterSpec spec, CancellationToken cancellationToken = default)
    {
        var errors = ClusterSpecValidator.Validate(spec);
        if (errors.First(SpecPaths.Name) is null && errors.First(SpecPaths.Namespace) is null && await NameTakenAsync(spec.Namespace, spec.Name, cancellationToken))
            errors.Add(SpecPaths.Name, $"A cluster named '{spec.Name}' already exists in namespace '{spec.Namespace}'.");
        foreach (var check in checks)
            await check.CheckAsync(spec, errors, cancellationToken);
        return errors;
    }

    public async Task<bool> NameTakenAsync(string ns, string name, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Clusters.AnyAsync(c => c.Namespace == ns && c.Name == name && c.Phase != ClusterPhase.Deleted, cancellationToken);
    }

    public async Task<ClusterView> CreateAsync(ClusterSpec spec, CancellationToken cancellationToken = default)
    {
        var errors = await ValidateAsync(spec, cancellationToken);
        if (!errors.IsValid) throw new ClusterValidationException(errors);

        var now = time.GetUtcNow();
        var cluster = Cluster.FromSpec(spec, now);
        var job = new Job { ClusterId = cluster.Id, Kind = JobKind.Create, CreatedAt = now };
        await _naming.WaitAsync(cancellationToken);
        try
        {
            // Validated above, but another create of the same name may have been stored since.
            if (await NameTakenAsync(spec.Namespace, spec.Name, cancellationToken))
            {
                logger.LogInformation("Create of cluster {Namespace}/{Name} refused: another create of that name was stored first", spec.Namespace, spec.Name);
                throw NameTaken(spec);
            }
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            db.Clusters.Add(cluster);
            db.Jobs.Add(job);
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            _naming.Release();
        }
        await EnqueueAsync(job, cancellationToken);
        return ClusterView.Of(cluster);
    }

    private static ClusterValidationException NameTaken(ClusterSpec spec)
    {
        var duplicate = new ValidationErrors();
        duplicate.Add("name", $"A cluster named '{spec.Name}' already exists in namespace '{spec.Namespace}'.");
        return new ClusterValidationException(duplicate);
    }

    /// <summary>Adds worker pools to a provisioned cluster.</summary>
    public async Task<ClusterView> AddNodesAsync(Guid clusterId, IReadOnlyList<NodePoolSpec> workerPools, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        if (workerPools.Count == 0) errors.Add(SpecPaths.WorkerPools, "Add at least one worker pool.");
        for (var i = 0; i < workerPools.Count; i++)
            ClusterSpecValidator.ValidatePool(SpecPaths.WorkerPool(i), workerPools[i], NodeRole.Worker, errors);
        foreach (var check in checks)
            await check.CheckPoolsAsync(workerPools, errors, cancellationToken);
        if (!errors.IsValid) throw new ClusterValidationException(errors);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cluster = await LoadAsync(db, clusterId, cancellationToken);
        await EnsureAllowedAsync(db, cluster, ClusterAction.AddNodes, cancellationToken);
        var pools = new List<NodePool>();
        foreach (var spec in workerPools)
        {
            var pool = NodePool.FromSpec(cluster, cluster.NextWorkerPoolName(), NodeRole.Worker, spec);
            pool.CreatedAt = time.GetUtcNow();
            cluster.Pools.Add(pool);
            db.NodePools.Add(pool);
            pools.Add(pool);
        }
        var job = NewJob(cluster, JobKind.AddNodes, new AddNodesPayload(pools.Select(p => p.Id).ToList()));
        db.Jobs.Add(job);
        await db.SaveChangesAsync(cancellationToken);
        await EnqueueAsync(job, cancellationToken);
        return ClusterView.Of(cluster);
    }

    public async Task<ClusterView> RemoveNodeAsync(Guid clusterId, string nodeName, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cluster = await LoadAsync(db, clusterId, cancellationToken);
        var node = cluster.Nodes.FirstOrDefault(n => n.Name == nodeName && n.DeletedAt is null)
            ?? throw new ClusterNotFoundException($"Node '{nodeName}' was not found in cluster '{cluster.Name}'.");
        if ((await ActionsAsync(db, cluster, cancellationToken)).WhyNotRemove(node.Name, node.Role, cluster.LeaderNodeName) is { } why)
            throw new ClusterStateException(why);
        var job = NewJob(cluster, JobKind.RemoveNode, new RemoveNodePayload(node.Name));
        db.Jobs.Add(job);
        await db.SaveChangesAsync(cancellationToken);
        await EnqueueAsync(job, cancellationToken);
        return ClusterView.Of(cluster);
    }

    /// <summary>
    /// Renews the kubeadm certificates of every control plane (one at a time) and refreshes the stored kubeconfig.
    /// Only a Provisioned cluster with no other job queued or running.
    /// </summary>
    public async Task<ClusterView> RenewCertificatesAsync(Guid clusterId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cluster = await LoadAsync(db, clusterId, cancellationToken);
        await EnsureAllowedAsync(db, cluster, ClusterAction.RenewCertificates, cancellationToken);
        var job = NewJob(cluster, JobKind.RenewCertificates, null);
        db.Jobs.Add(job);
        await db.SaveChangesAsync(cancellationToken);
        await EnqueueAsync(job, cancellationToken);
        return ClusterView.Of(cluster);
    }

    /// <summary>Deletes the machines; the cluster stays visible as Deleted. A running job is cancelled first.</summary>
    public async Task<ClusterView> DeleteAsync(Guid clusterId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Jobs first, then the cluster: a job's end and the phase it gives are one commit, so a delete job that ends
        // between the two reads shows as Deleted here. Read the other way round, a delete asked twice while the first
        // was ending saw Deleting and no delete job, queued a second one and wrote Deleting over Deleted.
        var active = await db.Jobs.Where(j => j.ClusterId == clusterId && (j.State == JobState.Queued || j.State == JobState.Running)).ToListAsync(cancellationToken);
        var cluster = await LoadAsync(db, clusterId, cancellationToken);
        if (cluster.Phase == ClusterPhase.Deleted)
            throw new ClusterNotFoundException($"Cluster '{cluster.Name}' is already deleted.");
        if (active.Any(j => j.Kind == JobKind.DeleteCluster))
            return ClusterView.Of(cluster);
        var job = NewJob(cluster, JobKind.DeleteCluster, null);
        db.Jobs.Add(job);
        cluster.SetPhase(ClusterPhase.Deleting, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        events.Publish(new PhaseChanged(cluster.Id, cluster.Phase, null, null));
        foreach (var running in active.Where(j => j.Kind != JobKind.Rollback))
            await queue.CancelAsync(running.Id, cancellationToken);
        await EnqueueAsync(job, cancellationToken);
        return ClusterView.Of(cluster);
    }

    /// <summary>
    /// Cancels the cluster's queued or running job when <see cref="ClusterActions"/> allows it. Returns false when there
    /// was nothing to cancel (no such cluster, no job, or only a rollback or delete).
    /// </summary>
    public async Task<bool> CancelAsync(Guid clusterId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var active = await db.Jobs.Where(j => j.ClusterId == clusterId && (j.State == JobState.Queued || j.State == JobState.Running))
            .ToListAsync(cancellationToken);
        if (active.Count == 0 || await db.Clusters.SingleOrDefaultAsync(c => c.Id == clusterId, cancellationToken) is not { } cluster) return false;
        if (!ClusterActions.For(cluster, active).Allows(ClusterAction.Cancel)) return false;
        foreach (var job in active.Where(j => ClusterActions.IsCancellable(j.Kind)))
            await queue.CancelAsync(job.Id, cancellationToken);
        return true;
    }

    /// <summary>Refuses <paramref name="action"/> with the reason <see cref="ClusterActions"/> gives, the same the pages show.</summary>
    private static async Task<ClusterActions> EnsureAllowedAsync(LadybugDbContext db, Cluster cluster, ClusterAction action, CancellationToken cancellationToken)
    {
        var actions = await ActionsAsync(db, cluster, cancellationToken);
        if (actions.WhyNot(action) is { } why) throw new ClusterStateException(why);
        return actions;
    }

    private static async Task<ClusterActions> ActionsAsync(LadybugDbContext db, Cluster cluster, CancellationToken cancellationToken) =>
        ClusterActions.For(cluster, await db.Jobs.Where(j => j.ClusterId == cluster.Id && (j.State == JobState.Queued || j.State == JobState.Running))
            .ToListAsync(cancellationToken));

    private static async Task<Cluster> LoadAsync(LadybugDbContext db, Guid clusterId, CancellationToken cancellationToken) =>
        await db.Clusters.Include(c => c.Pools).Include(c => c.Nodes).SingleOrDefaultAsync(c => c.Id == clusterId, cancellationToken)
        ?? throw new ClusterNotFoundException($"Cluster {clusterId} was not found.");

    private Job NewJob(Cluster cluster, JobKind kind, object? payload) => new()
    {
        ClusterId = cluster.Id, Kind = kind, CreatedAt = time.GetUtcNow(),
        Payload = payload is null ? null : JsonSerializer.Serialize(payload, payload.GetType()),
    };

    private async Task EnqueueAsync(Job job, CancellationToken cancellationToken)
    {
        events.Publish(new JobChanged(job.ClusterId, job.Id, job.Kind, job.State, null, null));
        await queue.EnqueueAsync(job.Id, cancellationToken);
    }
}

public sealed class ClusterNotFoundException(string message) : Exception(message);

/// <summary>The request is valid but the cluster is not in a state that allows it (409 in the API).</summary>
public sealed class ClusterStateException(string message) : Exception(message);
