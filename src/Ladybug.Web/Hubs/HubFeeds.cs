using System.Collections.Concurrent;
using Ladybug.Api.Contracts.Hub;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Jobs;
using Ladybug.Web.Services;
using Microsoft.AspNetCore.SignalR;

namespace Ladybug.Web.Hubs;

/// <summary>The live feeds of every hub connection, by connection and cluster; hubs themselves are transient.</summary>
public sealed class HubFeeds(IHubContext<ProvisioningHub> hub, IJobLog log, IProvisioningEvents events, ClusterQueries queries)
{
    private readonly ConcurrentDictionary<(string ConnectionId, Guid ClusterId), ClusterFeed> _feeds = new();

    public async Task StartAsync(string connectionId, ClusterView cluster, long afterSequence, CancellationToken cancellationToken)
    {
        Stop(connectionId, cluster.Id);
        var client = hub.Clients.Client(connectionId);
        var feed = await ClusterFeed.StartAsync(cluster.Id, afterSequence, log, events,
            async lines =>
            {
                // Live batches can be larger than stored ones; clients get at most one batch size per message either way.
                foreach (var chunk in lines.Chunk(ClusterFeed.BatchSize))
                    await client.SendAsync(HubMethods.LogLines, HubMessageMapper.Lines(cluster.Id, chunk));
            },
            e =>
            {
                var (method, message) = HubMessageMapper.From(e);
                return client.SendAsync(method, message);
            },
            async () =>
            {
                await client.SendAsync(HubMethods.PhaseChanged, HubMessageMapper.Phase(new PhaseChanged(cluster.Id, cluster.Phase, cluster.Reason, cluster.Message)), cancellationToken);
                var newest = (await queries.JobsAsync(cluster.Id, cancellationToken)).FirstOrDefault();
                if (newest is not null)
                    await client.SendAsync(HubMethods.JobChanged, HubMessageMapper.Job(new JobChanged(cluster.Id, newest.Id, newest.Kind, newest.State, newest.CurrentStep, newest.Error)), cancellationToken);
            },
            cancellationToken);
        if (!_feeds.TryAdd((connectionId, cluster.Id), feed))
            feed.Dispose();
    }

    public void Stop(string connectionId, Guid clusterId)
    {
        if (_feeds.TryRemove((connectionId, clusterId), out var feed))
            feed.Dispose();
    }

    public void StopAll(string connectionId)
    {
        foreach (var key in _feeds.Keys.Where(k => k.ConnectionId == connectionId))
            Stop(key.ConnectionId, key.ClusterId);
    }
}
