using System.Collections.Concurrent;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ladybug.Tests.Unit.Engine.Events;

[Trait(TestTier.Category, TestTier.Unit)]
public sealed class ProvisioningEventsTests
{
    private const int Capacity = ProvisioningEventBroadcaster.SubscriberBufferCapacity;
    private static readonly Guid ClusterId = Guid.NewGuid();

    private readonly ProvisioningEventBroadcaster _events = new(NullLogger<ProvisioningEventBroadcaster>.Instance);

    private static LogLinesAppended Line(long sequence, Guid? clusterId = null) =>
        new(clusterId ?? ClusterId, [new LogLineView(sequence, DateTimeOffset.UtcNow, null, null, LogStream.System, $"line {sequence}")]);

    private static long SequenceOf(ProvisioningEvent e) => ((LogLinesAppended)e).Lines[0].Sequence;

    [Fact]
    public async Task SlowSubscriberNeverBlocksPublishAndLosesOnlyItsOwnOldestEvents()
    {
        var slowEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowRelease = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowSeen = new ConcurrentQueue<long>();
        var fastSeen = new ConcurrentQueue<long>();
        using var slow = _events.Subscribe(ClusterId, async e =>
        {
            slowSeen.Enqueue(SequenceOf(e));
            slowEntered.TrySetResult();
            await slowRelease.Task;
        });
        using var fast = _events.Subscribe(ClusterId, e => { fastSeen.Enqueue(SequenceOf(e)); return ValueTask.CompletedTask; });
        _events.Publish(Line(0));
        await Eventually.CompletesAsync(slowEntered.Task, "the slow subscriber to take the first event");
        var total = 3 * Capacity;

        // Publish far more than the slow subscriber can buffer while it is stuck. Pausing for the fast one
        // keeps it within its own buffer, so any loss it saw would be the broadcaster's fault.
        var publishing = Task.Run(async () =>
        {
            for (var i = 1; i <= total; i++)
            {
                _events.Publish(Line(i));
                if (i % 1_000 == 0)
                    await Eventually.TrueAsync(() => Task.FromResult(fastSeen.Count == i + 1), $"the fast subscriber to see {i} events");
            }
        });
        await Eventually.CompletesAsync(publishing, "publishing while a subscriber is stuck");
        Assert.False(slowRelease.Task.IsCompleted);

        slowRelease.SetResult();
        await Eventually.TrueAsync(() => Task.FromResult(slowSeen.Count == Capacity + 1), "the slow subscriber to drain");
        Assert.Equal(Enumerable.Range(0, total + 1).Select(i => (long)i), fastSeen);
        // It keeps the newest events: the one it was handling, then the last Capacity published.
        Assert.Equal([0L, .. Enumerable.Range(total - Capacity + 1, Capacity).Select(i => (long)i)], slowSeen);
    }

    [Fact]
    public async Task SubscriberOfOneClusterSeesOnlyThatClusterAndAnAllClustersSubscriberSeesEverything()
    {
        var other = Guid.NewGuid();
        var mine = new ConcurrentQueue<Guid>();
        var all = new ConcurrentQueue<Guid>();
        using var one = _events.Subscribe(ClusterId, e => { mine.Enqueue(e.ClusterId); return ValueTask.CompletedTask; });
        using var every = _events.Subscribe(null, e => { all.Enqueue(e.ClusterId); return ValueTask.CompletedTask; });

        _events.Publish(new PhaseChanged(other, ClusterPhase.Provisioning, null, null));
        _events.Publish(new PhaseChanged(ClusterId, ClusterPhase.Provisioning, null, null));
        _events.Publish(new NodeChanged(other, "w1-1", NodeStatus.Ready, null));

        // Each subscriber drains on its own: a marker for this cluster, published last, reaches the one-cluster
        // subscriber after everything published before it, so its queue is complete once the marker is in it.
        _events.Publish(new PhaseChanged(ClusterId, ClusterPhase.Provisioned, null, null));
        await Eventually.TrueAsync(() => Task.FromResult(all.Count == 4 && mine.Count == 2), "the marker at both subscribers");
        Assert.Equal([other, ClusterId, other, ClusterId], all);
        Assert.Equal([ClusterId, ClusterId], mine);
    }

    [Fact]
    public async Task DisposedSubscriptionReceivesNothingMore()
    {
        var seen = new ConcurrentQueue<long>();
        var watcher = new ConcurrentQueue<long>();
        var subscription = _events.Subscribe(ClusterId, e => { seen.Enqueue(SequenceOf(e)); return ValueTask.CompletedTask; });
        using var control = _events.Subscribe(ClusterId, e => { watcher.Enqueue(SequenceOf(e)); return ValueTask.CompletedTask; });
        _events.Publish(Line(1));
        await Eventually.TrueAsync(() => Task.FromResult(seen.Count == 1), "the first event");

        subscription.Dispose();
        _events.Publish(Line(2));

        await Eventually.TrueAsync(() => Task.FromResult(watcher.Count == 2), "the control subscriber to see both events");
        Assert.Equal([1L], seen);
    }

    [Fact]
    public async Task EventsStillBufferedWhenASubscriptionIsDisposedAreNotDelivered()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = new ConcurrentQueue<long>();
        var watcher = new ConcurrentQueue<long>();
        var subscription = _events.Subscribe(ClusterId, async e =>
        {
            seen.Enqueue(SequenceOf(e));
            entered.TrySetResult();
            await release.Task;
        });
        using var control = _events.Subscribe(ClusterId, e => { watcher.Enqueue(SequenceOf(e)); return ValueTask.CompletedTask; });
        _events.Publish(Line(1));
        await Eventually.CompletesAsync(entered.Task, "the subscriber to take the first event");
        _events.Publish(Line(2));
        _events.Publish(Line(3));

        // Disposed while its handler is still busy with event 1; the dispose completes once the handler has returned
        // and the subscription has stopped, so whatever it was going to deliver has been delivered by then.
        var disposing = Assert.IsAssignableFrom<IAsyncDisposable>(subscription).DisposeAsync();
        release.SetResult();
        await Eventually.CompletesAsync(disposing.AsTask(), "the subscription to stop");
        _events.Publish(Line(4));

        await Eventually.TrueAsync(() => Task.FromResult(watcher.Count == 4), "the control subscriber to see every event");
        Assert.Equal([1L], seen);
    }

    [Fact]
    public async Task FailingSubscriberKeepsReceivingLaterEvents()
    {
        var seen = new ConcurrentQueue<long>();
        using var subscription = _events.Subscribe(ClusterId, e =>
        {
            seen.Enqueue(SequenceOf(e));
            return SequenceOf(e) == 1 ? throw new InvalidOperationException("subscriber bug") : ValueTask.CompletedTask;
        });

        _events.Publish(Line(1));
        _events.Publish(Line(2));

        await Eventually.TrueAsync(() => Task.FromResult(seen.Count == 2), "both events despite the failure");
        Assert.Equal([1L, 2L], seen);
    }
}
