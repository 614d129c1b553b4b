using Ladybug.Engine.Events;
using StackExchange.Redis;

namespace Ladybug.Web.ScaleOut;

/// <summary>
/// The engine's in-process events, shared with the other replicas through Redis. An event published here reaches this
/// replica's subscribers at once and is sent to Redis without waiting; an event another replica published arrives from
/// Redis and is handed to this replica's subscribers only (never sent back out). Subscribers are the per-connection
/// feeds of the hub and the console's pages, each fed by the one replica it is connected to, so every client sees each
/// event once however many replicas there are; a feed that misses events (Redis down, a full buffer) sees a sequence
/// gap in the next log lines and re-reads them from the store, which stays the truth.
/// </summary>
internal sealed class ReplicatedProvisioningEvents(IProvisioningEvents local, IConnectionMultiplexer redis, RedisChannel channel, string replicaId,
    ILogger<ReplicatedProvisioningEvents> logger) : IProvisioningEvents
{
    public string ReplicaId { get; } = replicaId;

    public void Publish(ProvisioningEvent e)
    {
        local.Publish(e);
        if (!redis.IsConnected) return;
        try
        {
            redis.GetSubscriber().Publish(channel, ProvisioningEventCodec.Encode(ReplicaId, e), CommandFlags.FireAndForget);
        }
        catch (RedisException ex)
        {
            logger.LogDebug(ex, "A {Event} was not sent to the other replicas; their watchers re-read the stored log", e.GetType().Name);
        }
    }

    public IDisposable Subscribe(Guid? clusterId, Func<ProvisioningEvent, ValueTask> handler) => local.Subscribe(clusterId, handler);

    /// <summary>Hands the other replicas' events to this one's subscribers, in the order Redis delivers them, until <see cref="StopAsync"/>.</summary>
    public async Task<ChannelMessageQueue> ListenAsync()
    {
        var queue = await redis.GetSubscriber().SubscribeAsync(channel);
        queue.OnMessage(message =>
        {
            try
            {
                if (ProvisioningEventCodec.Decode(message.Message!) is ({ } origin, { } e) && origin != ReplicaId)
                    local.Publish(e);
            }
            catch (System.Text.Json.JsonException ex)
            {
                logger.LogWarning(ex, "A provisioning event from another replica could not be read");
            }
        });
        return queue;
    }
}
