using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.SignalR;

namespace Ladybug.Web.Operations;

/// <summary>
/// Open SignalR connections by hub: the provisioning hub (the CLI and scripts following a cluster) and Blazor's own
/// (one per open console page). A filter on every hub, so no hub has to remember to count.
/// </summary>
public sealed class HubConnectionMetrics : IHubFilter
{
    public const string MeterName = "Ladybug.Web";
    public const string ConnectionsName = "ladybug.hub.connections";
    public const string HubTag = "ladybug.hub";

    private static readonly Meter Meter = new(MeterName);
    private static readonly UpDownCounter<long> Connections = Meter.CreateUpDownCounter<long>(ConnectionsName, "{connection}",
        "Open SignalR connections, by hub");

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        await next(context);
        // Counted once the hub accepted it: a connection whose OnConnectedAsync threw never disconnects through here.
        Connections.Add(1, new KeyValuePair<string, object?>(HubTag, context.Hub.GetType().Name));
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        try
        {
            await next(context, exception);
        }
        finally
        {
            Connections.Add(-1, new KeyValuePair<string, object?>(HubTag, context.Hub.GetType().Name));
        }
    }
}
