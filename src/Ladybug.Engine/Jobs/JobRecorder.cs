using System.Collections.Concurrent;
using System.Diagnostics;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Persistence;
using Ladybug.Engine.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace Ladybug.Engine.Jobs;

/// <summary>
/// Every write a job makes to its own record, its steps, its cluster's phase and its nodes' status, each followed by
/// the event that tells the console (JobChanged, StepChanged, PhaseChanged, NodeChanged). One place, so no change is
/// stored without being announced or announced without being stored. Steps reach it through <see cref="JobContext.Record"/>.
/// </summary>
public sealed class JobRecorder(
    Job job,
    IDbContextFactory<LadybugDbContext> dbFactory,
    GroupCommit groupCommit,
    IProvisioningEvents events,
    TimeProvider time)
{
    /// <summary>When each step this run started began (monotonic), for its duration; a step left Running by an earlier run has none.</summary>
    private readonly ConcurrentDictionary<JobStep, long> _started = new(ReferenceEqualityComparer.Instance);

    private Guid ClusterId => job.ClusterId;

    internal async Task<JobStep> StartStepAsync(int order, string name, string? nodeName, CancellationToken cancellationToken)
    {
        var step = new JobStep
        {
            JobId = job.Id, Order = order, Name = name, NodeName = nodeName,
            State = StepState.Running, StartedAt = time.GetUtcNow(),
        };
        cancellationToken.ThrowIfCancellationRequested();
        await groupCommit.SaveAsync(db => db.JobSteps.Add(step));
        _started[step] = Stopwatch.GetTimestamp();
        Publish(step);
        return step;
    }

    internal async Task FinishStepAsync(JobStep step, StepState state, int? exitCode, string? message)
    {
        step.State = state;
        step.FinishedAt = time.GetUtcNow();
        step.ExitCode = exitCode;
        step.Message = message;
        await groupCommit.SaveAsync(db => db.JobSteps.Update(step));
        if (_started.TryRemove(step, out var began))
            EngineTelemetry.StepFinished(step.Name, state.ToString(), Stopwatch.GetElapsedTime(began));
        Publish(step);
    }

    /// <summary>
    /// The job's state and current step; with <paramref name="phaseAtEnd"/>, the cluster's phase in the same commit
    /// (see <see cref="JobContext.SetPhaseAtEnd"/>).
    /// </summary>
    internal async Task SaveJobAsync((ClusterPhase Phase, string? Message)? phaseAtEnd = null)
    {
        Cluster? cluster = null;
        await using (var db = await dbFactory.CreateDbContextAsync(CancellationToken.None))
        {
            if (phaseAtEnd is { } end)
            {
                cluster = await db.Clusters.SingleAsync(c => c.Id == ClusterId);
                cluster.SetPhase(end.Phase, time.GetUtcNow(), message: end.Message);
            }
            db.Jobs.Attach(job);
            db.Entry(job).State = EntityState.Modified;
            // CancelRequested is written only by CancelAsync; never overwrite it with a stale copy.
            db.Entry(job).Property(j => j.CancelRequested).IsModified = false;
            // The lease is JobLeases' alone: a stale copy would hand the job back or extend a lease it no longer holds.
            db.Entry(job).Property(j => j.Owner).IsModified = false;
            db.Entry(job).Property(j => j.LeaseExpiresAt).IsModified = false;
            await db.SaveChangesAsync(CancellationToken.None);
        }
        PublishJob(job);
        if (cluster is not null) events.Publish(new PhaseChanged(cluster.Id, cluster.Phase, cluster.Reason, cluster.Message));
    }

    /// <summary>Stores a job this one leads to (a rollback) as Queued; the caller queues it.</summary>
    internal async Task AddJobAsync(Job next)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(CancellationToken.None))
        {
            db.Jobs.Add(next);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        PublishJob(next);
    }

    public async Task SetPhaseAsync(ClusterPhase phase, string? reason = null, string? message = null, CancellationToken cancellationToken = default)
    {
        Cluster cluster;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            cluster = await db.Clusters.SingleAsync(c => c.Id == ClusterId, cancellationToken);
            cluster.SetPhase(phase, time.GetUtcNow(), reason, message);
            await db.SaveChangesAsync(cancellationToken);
        }
        events.Publish(new PhaseChanged(ClusterId, phase, cluster.Reason, cluster.Message));
    }

    /// <summary>Adds a line to the cluster's message, once: a rollback resumed after a restart may say it twice.</summary>
    public async Task AppendToMessageAsync(string text, CancellationToken cancellationToken)
    {
        Cluster cluster;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            cluster = await db.Clusters.SingleAsync(c => c.Id == ClusterId, cancellationToken);
            if (cluster.Message?.EndsWith(text, StringComparison.Ordinal) == true) return;
            cluster.Message = string.IsNullOrEmpty(cluster.Message) ? text : $"{cluster.Message}\n{text}";
            cluster.UpdatedAt = time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }
        events.Publish(new PhaseChanged(ClusterId, cluster.Phase, cluster.Reason, cluster.Message));
    }

    public Task SetNodeStatusAsync(string nodeName, NodeStatus status, string? message = null, CancellationToken cancellationToken = default) =>
        SetNodeStatusAsync([nodeName], status, message, cancellationToken);

    /// <summary>
    /// One commit for many nodes, shared with other nodes' writes of the moment (a wave of 16 joins marks each node
    /// Joining as it starts): a plan step that fans out to 50 machines does not queue 50 writes first. A node marked
    /// Deleted also forgets its SSH key: its machine is gone, the key is of no use.
    /// </summary>
    public async Task SetNodeStatusAsync(IReadOnlyCollection<string> nodeNames, NodeStatus status, string? message = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = time.GetUtcNow();
        List<string> changed = [];
        await groupCommit.SaveAsync(db =>
        {
            var live = db.Nodes.Where(n => n.ClusterId == ClusterId && nodeNames.Contains(n.Name) && n.DeletedAt == null);
            changed = [.. live.Select(n => n.Name)];
            if (changed.Count == 0) return;
            if (status == NodeStatus.Deleted)
                live.ExecuteUpdate(s => s.SetProperty(n => n.Status, status).SetProperty(n => n.StatusMessage, message).SetProperty(n => n.DeletedAt, now)
                    .SetProperty(n => n.SealedSshPrivateKey, (string?)null));
            else
                live.ExecuteUpdate(s => s.SetProperty(n => n.Status, status).SetProperty(n => n.StatusMessage, message));
        });
        foreach (var name in changed)
            events.Publish(new NodeChanged(ClusterId, name, status, message));
    }

    /// <summary>Nodes Kubernetes reports Ready, with the kubelet version each runs.</summary>
    public async Task MarkNodesReadyAsync(IReadOnlyDictionary<string, string> kubeletVersions, CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            foreach (var node in await db.Nodes.Where(n => n.ClusterId == ClusterId && n.DeletedAt == null).ToListAsync(cancellationToken))
            {
                if (!kubeletVersions.TryGetValue(node.Name, out var version)) continue;
                node.KubeletVersion = version;
                node.Status = NodeStatus.Ready;
                node.StatusMessage = null;
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        foreach (var name in kubeletVersions.Keys)
            events.Publish(new NodeChanged(ClusterId, name, NodeStatus.Ready, null));
    }

    private void Publish(JobStep step) => events.Publish(new StepChanged(ClusterId, job.Id, step.Id, step.Order, step.Name, step.NodeName,
        step.State, step.StartedAt, step.FinishedAt, step.ExitCode, step.Message));

    private void PublishJob(Job changed) =>
        events.Publish(new JobChanged(changed.ClusterId, changed.Id, changed.Kind, changed.State, changed.CurrentStep, changed.Error));
}
