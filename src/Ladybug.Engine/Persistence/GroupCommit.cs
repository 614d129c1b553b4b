using Microsoft.EntityFrameworkCore;

namespace Ladybug.Engine.Persistence;

/// <summary>
/// Small writes made by many nodes at once, stored with group commit: whatever arrives while a commit runs goes into
/// the next one, in one transaction. A fan-out to 51 machines starts 51 sub-steps at once and pins 51 host keys;
/// one commit each held the SQLite write lock in turn, and since SQLite's calls block their thread (its busy handler
/// sleeps on it), the thread pool's few threads went into those commits one after another: the last node's script
/// started 1.6 s after the first on two cores (the provisioning benchmark's pod-network fan-out). Each caller still
/// waits until its own change is stored; a batch that fails fails every caller in it.
/// </summary>
public sealed class GroupCommit(IDbContextFactory<LadybugDbContext> dbFactory)
{
    private readonly Lock _gate = new();
    private List<(Action<LadybugDbContext> Change, TaskCompletionSource Stored)> _pending = [];
    private bool _committing;

    /// <summary>
    /// Applies <paramref name="change"/> to a shared context (tracked changes, or an ExecuteUpdate, which runs inside
    /// the batch's transaction) and completes once it is committed. Not cancellable: a step's end must be recorded
    /// even when its job is being cancelled.
    /// </summary>
    public Task SaveAsync(Action<LadybugDbContext> change)
    {
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool startCommitting;
        lock (_gate)
        {
            _pending.Add((change, stored));
            startCommitting = !_committing;
            _committing = true;
        }
        if (startCommitting)
            _ = Task.Run(CommitUntilEmptyAsync);
        return stored.Task;
    }

    private async Task CommitUntilEmptyAsync()
    {
        while (true)
        {
            List<(Action<LadybugDbContext> Change, TaskCompletionSource Stored)> batch;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _committing = false;
                    return;
                }
                (batch, _pending) = (_pending, []);
            }
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
                await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
                foreach (var (change, _) in batch) change(db);
                await db.SaveChangesAsync(CancellationToken.None);
                await transaction.CommitAsync(CancellationToken.None);
                foreach (var (_, stored) in batch) stored.SetResult();
            }
            catch (Exception ex)
            {
                foreach (var (_, stored) in batch) stored.SetException(ex);
            }
        }
    }
}
