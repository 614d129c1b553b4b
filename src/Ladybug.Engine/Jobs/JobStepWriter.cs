using Ladybug.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Ladybug.Engine.Jobs;

/// <summary>
/// Stores step starts and ends with group commit: whatever arrives while a commit runs goes into the next one. A
/// fan-out to 51 machines starts 51 sub-steps at once; one commit each held the SQLite write lock in turn, and since
/// SQLite's calls block their thread (and its busy handler sleeps on it), the thread pool's few threads went into
/// those commits one after another: the last node's script started 1.6 s after the first on two cores (the
/// provisioning benchmark's pod-network fan-out). Each caller still waits until its own record is stored.
/// </summary>
public sealed class JobStepWriter(IDbContextFactory<LadybugDbContext> dbFactory)
{
    private readonly Lock _gate = new();
    private List<(JobStep Step, bool IsNew, TaskCompletionSource Stored)> _pending = [];
    private bool _committing;

    public Task AddAsync(JobStep step) => Enqueue(step, isNew: true);

    public Task UpdateAsync(JobStep step) => Enqueue(step, isNew: false);

    private Task Enqueue(JobStep step, bool isNew)
    {
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool startCommitting;
        lock (_gate)
        {
            _pending.Add((step, isNew, stored));
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
            List<(JobStep Step, bool IsNew, TaskCompletionSource Stored)> batch;
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
                // Not cancellable: a step's end must be recorded even when its job is being cancelled.
                await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
                foreach (var (step, isNew, _) in batch)
                {
                    if (isNew) db.JobSteps.Add(step);
                    else db.JobSteps.Update(step);
                }
                await db.SaveChangesAsync(CancellationToken.None);
                foreach (var (_, _, stored) in batch) stored.SetResult();
            }
            catch (Exception ex)
            {
                foreach (var (_, _, stored) in batch) stored.SetException(ex);
            }
        }
    }
}
