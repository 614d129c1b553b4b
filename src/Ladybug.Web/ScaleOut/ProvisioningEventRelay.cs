using StackExchange.Redis;

namespace Ladybug.Web.ScaleOut;

/// <summary>Listens for the other replicas' events while the console runs.</summary>
internal sealed class ProvisioningEventRelay(ReplicatedProvisioningEvents events) : IHostedService
{
    private ChannelMessageQueue? _queue;

    public async Task StartAsync(CancellationToken cancellationToken) => _queue = await events.ListenAsync();

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_queue is not null) await _queue.UnsubscribeAsync();
    }
}
