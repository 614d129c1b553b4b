using Ladybug.Engine.Domain;
using Ladybug.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ladybug.Engine.Jobs;

/// <summary>
/// Which replica runs which job, kept in the job row itself: a replica runs a job only while it holds the job's
/// lease, renews it while the job runs, and any replica may claim a job whose lease has lapsed (its holder died or
/// lost the database). Every change is one conditional UPDATE whose affected-row count says who won: SQLite runs
/// one writer at a time, and PostgreSQL re-checks the WHERE clause of an UPDATE that waited on a row lock against
/// the row as committed, so two replicas can never both claim the same job.
/// </summary>
internal sealed class JobLeases(IDbContextFactory<LadybugDbContext> dbFactory, TimeProvider time, IOptions<EngineOptions> options,
    IOptions<DatabaseOptions> database, IOptions<LadybugOptions> ladybug)
{
    public string ReplicaId { get; } = ReplicaIdentity.Resolve(options.Value, database.Value, ladybug.Value);

    public TimeSpan Lease { get; } = TimeSpan.FromMilliseconds(Math.Max(1, options.Value.JobLeaseMs));

    /// <summary>
    /// Claims the job for this replica when it is unfinished, nobody else holds a live lease on it, and it is the
    /// oldest unfinished job of its cluster: one cluster's jobs run one at a time, in order, across replicas.
    /// </summary>
    public async Task<bool> TryClaimAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var until = now + Lease;
        var me = ReplicaId;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var claimed = await db.Jobs
            .Where(j => j.Id == jobId && (j.State == JobState.Queued || j.State == JobState.Running)
                && (j.Owner == null || j.Owner == me || j.LeaseExpiresAt < now)
                && !db.Jobs.Any(o => o.ClusterId == j.ClusterId && o.Id != j.Id
                    && (o.State == JobState.Queued || o.State == JobState.Running) && o.CreatedAt < j.CreatedAt))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Owner, me).SetProperty(j => j.LeaseExpiresAt, until), cancellationToken);
        return claimed == 1;
    }

    /// <summary>Extends this replica's lease; false when another replica has taken the job over meanwhile.</summary>
    public async Task<bool> RenewAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var until = time.GetUtcNow() + Lease;
        var me = ReplicaId;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Jobs.Where(j => j.Id == jobId && j.Owner == me)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseExpiresAt, until), cancellationToken) == 1;
    }

    /// <summary>Gives an unfinished job back (the console is stopping), so another replica can take it at once.</summary>
    public async Task ReleaseAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var me = ReplicaId;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Jobs.Where(j => j.Id == jobId && j.Owner == me && (j.State == JobState.Queued || j.State == JobState.Running))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Owner, (string?)null).SetProperty(j => j.LeaseExpiresAt, (DateTimeOffset?)null), cancellationToken);
    }

    /// <summary>Unfinished jobs this replica might claim now (no live lease of another replica), oldest first.</summary>
    public async Task<IReadOnlyList<(Guid Id, JobState State)>> ClaimableAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var me = ReplicaId;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var jobs = await db.Jobs.AsNoTracking()
            .Where(j => (j.State == JobState.Queued || j.State == JobState.Running) && (j.Owner == null || j.Owner == me || j.LeaseExpiresAt < now))
            .OrderBy(j => j.CreatedAt).Select(j => new { j.Id, j.State }).ToListAsync(cancellationToken);
        return [.. jobs.Select(j => (j.Id, j.State))];
    }

    /// <summary>Whether someone asked, on any replica, to cancel the job.</summary>
    public async Task<bool> CancelRequestedAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Jobs.Where(j => j.Id == jobId).Select(j => j.CancelRequested).SingleOrDefaultAsync(cancellationToken);
    }
}
