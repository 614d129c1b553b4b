using Ladybug.Api.Contracts.Hub;
using Ladybug.Engine.Clusters;
using Microsoft.AspNetCore.SignalR;

namespace Ladybug.Web.Hubs;

/// <summary>
/// Live provisioning for the CLI and other .NET clients (contract: docs/HUB-PROTOCOL.md). Each subscription
/// is a <see cref="Services.ClusterFeed"/> owned by <see cref="HubFeeds"/>, so a late subscriber gets the
/// stored lines and then the live ones with no gap and no duplicate.
/// </summary>
public sealed class ProvisioningHub(ClusterQueries queries, HubFeeds feeds) : Hub
{
    public const string Path = "/hubs/provisioning";

    public static string GroupName(Guid clusterId) => $"cluster:{clusterId:N}";

    public async Task<SubscribeResult> Subscribe(string ns, string clusterName, long afterSequence)
    {
        var cluster = await queries.GetAsync(ns, clusterName, Context.ConnectionAborted);
        // An answer, not a failure: a thrown HubException is logged by SignalR's dispatcher as an error with its stack trace.
        if (cluster is null) return new SubscribeResult(false, $"Cluster '{clusterName}' was not found in namespace '{ns}'.");
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupName(cluster.Id), Context.ConnectionAborted);
        await feeds.StartAsync(Context.ConnectionId, cluster, afterSequence, Context.ConnectionAborted);
        return SubscribeResult.Done;
    }

    public async Task Unsubscribe(string ns, string clusterName)
    {
        var cluster = await queries.GetAsync(ns, clusterName, Context.ConnectionAborted);
        if (cluster is null) return;
        feeds.Stop(Context.ConnectionId, cluster.Id);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupName(cluster.Id), Context.ConnectionAborted);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        feeds.StopAll(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
