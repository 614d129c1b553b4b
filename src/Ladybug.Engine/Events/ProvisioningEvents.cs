using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Ladybug.Engine.Events;

/// <summary>In-process fan-out of provisioning events to the UI, the SignalR hub and tests.</summary>
public interface IProvisioningEvents
{
    /// <summary>Never blocks: a slow subscriber loses its oldest undelivered events, not the publisher's time.</summary>
    void Publish(ProvisioningEvent e);

    /// <summary>Events of one cluster, or of every cluster when <paramref name="clusterId"/> is null. Dispose to stop.</summary>
    IDisposable Subscribe(Guid? clusterId, Func<ProvisioningEvent, ValueTask> handler);
}

internal sealed class ProvisioningEventBroadcaster(ILogger<ProvisioningEventBroadcaster> logger) : IProvisioningEvents
{
    private readonly ILogger _logger = logger;

    /// <summary>Per subscriber. Display only: the stored log is complete, and a subscriber that sees a sequence gap re-reads it.</summary>
    public const int SubscriberBufferCapacity = 10_000;

    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();

    public void Publish(ProvisioningEvent e)
    {
        foreach (var subscription in _subscriptions.Keys)
            if (subscription.ClusterId is null || subscription.ClusterId == e.ClusterId)
                subscription.Channel.Writer.TryWrite(e);
    }

    public IDisposable Subscribe(Guid? clusterId, Func<ProvisioningEvent, ValueTask> handler)
    {
        var subscription = new Subscription(this, clusterId, handler);
        _subscriptions.TryAdd(subscription, 0);
        subscription.Start();
        return subscription;
    }

    /// <summary>
    /// Disposing stops delivery at once; disposing asynchronously also waits until the handler has returned from the
    /// event it was handling, so nothing of the subscriber runs afterwards (never from inside the handler: it would wait
    /// for itself).
    /// </summary>
    private sealed class Subscription(ProvisioningEventBroadcaster owner, Guid? clusterId, Func<ProvisioningEvent, ValueTask> handler) : IDisposable, IAsyncDisposable
    {
        public Guid? ClusterId { get; } = clusterId;

        public Channel<ProvisioningEvent> Channel { get; } = System.Threading.Channels.Channel.CreateBounded<ProvisioningEvent>(
            new BoundedChannelOptions(SubscriberBufferCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        private volatile bool _disposed;

        private Task _pump = Task.CompletedTask;

        public void Start() => _pump = Task.Run(PumpAsync);

        private async Task PumpAsync()
        {
            await foreach (var e in Channel.Reader.ReadAllAsync())
            {
                // Events still buffered when the subscriber left are not delivered: a disposed component must not be called.
                if (_disposed) return;
                try
                {
                    await handler(e);
                }
                catch (Exception ex)
                {
                    owner._logger.LogWarning(ex, "A provisioning event subscriber failed on {Event}", e.GetType().Name);
                }
            }
        }

        public void Dispose()
        {
            _disposed = true;
            owner._subscriptions.TryRemove(this, out _);
            Channel.Writer.TryComplete();
        }

        public async ValueTask DisposeAsync()
        {
            Dispose();
            await _pump;
        }
    }
}
