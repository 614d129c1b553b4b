using System.Threading.Channels;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Persistence;
using Ladybug.Engine.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ladybug.Engine.Watch;

/// <summary>
/// Keeps one <see cref="ClusterWatcher"/> per Provisioned cluster: every such cluster at start-up, a cluster when it
/// becomes Provisioned, and none for a cluster being deleted (its health is cleared).
/// </summary>
internal sealed class ClusterWatchService(
    IDbContextFactory<LadybugDbContext> dbFactory,
    IProvisioningEvents events,
    ClusterWatchRecorder recorder,
    SshNodeReader ssh,
    ISecretSealer sealer,
    IOptions<ClusterWatchOptions> options,
    TimeProvider time,
    ILoggerFactory loggerFactory) : BackgroundService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<ClusterWatchService>();
    private readonly Dictionary<Guid, ClusterWatcher> _watchers = [];
    private readonly Channel<Guid> _phases = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>How many clusters are watched now (for tests and the benchmark).</summary>
    public int Count { get { lock (_watchers) return _watchers.Count; } }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        using var subscription = events.Subscribe(null, e =>
        {
            if (e is PhaseChanged) _phases.Writer.TryWrite(e.ClusterId);
            return ValueTask.CompletedTask;
        });
        try
        {
            foreach (var id in await ProvisionedAsync(stoppingToken))
                await ReconcileAsync(id, stoppingToken);
            await foreach (var id in _phases.Reader.ReadAllAsync(stoppingToken))
                await ReconcileAsync(id, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            List<ClusterWatcher> all;
            lock (_watchers)
            {
                all = [.. _watchers.Values];
                _watchers.Clear();
            }
            await Task.WhenAll(all.Select(w => w.DisposeAsync().AsTask()));
        }
    }

    private async Task<List<Guid>> ProvisionedAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Clusters.Where(c => c.Phase == ClusterPhase.Provisioned && c.SealedKubeconfig != null).Select(c => c.Id).ToListAsync(cancellationToken);
    }

    private async Task ReconcileAsync(Guid clusterId, CancellationToken cancellationToken)
    {
        try
        {
            ClusterPhase? phase;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
                phase = await db.Clusters.Where(c => c.Id == clusterId).Select(c => (ClusterPhase?)c.Phase).SingleOrDefaultAsync(cancellationToken);
            bool watching;
            lock (_watchers) watching = _watchers.ContainsKey(clusterId);
            if (phase == ClusterPhase.Provisioned && !watching)
            {
                var watcher = new ClusterWatcher(clusterId, recorder, ssh, sealer, events, options.Value, time, loggerFactory.CreateLogger<ClusterWatcher>());
                lock (_watchers) _watchers[clusterId] = watcher;
                watcher.Start();
            }
            else if (phase is ClusterPhase.Deleting or ClusterPhase.Deleted or null)
            {
                ClusterWatcher? stopped;
                lock (_watchers) _watchers.Remove(clusterId, out stopped);
                if (stopped is not null) await stopped.DisposeAsync();
                if (phase is not null) await recorder.ClearAsync(clusterId, cancellationToken);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning(ex, "The cluster watch could not follow cluster {ClusterId}'s phase", clusterId);
        }
    }
}
