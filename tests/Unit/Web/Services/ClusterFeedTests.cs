using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Jobs;
using Ladybug.Web.Services;
using Ladybug.Tests.Unit.Engine;

namespace Ladybug.Tests.Unit.Web.Services;

/// <summary>The feed against the real job log (batched SQLite writer) and the real broadcaster.</summary>
public sealed class ClusterFeedTests : IAsyncLifetime
{
    private EngineHost _engine = default!;
    private readonly Guid _cluster = Guid.NewGuid();

    public async Task InitializeAsync() => _engine = await ConsoleEngine.StartAsync(withCloud: false);

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private IJobLog Log => _engine.Get<IJobLog>();
    private IProvisioningEvents Events => _engine.Get<IProvisioningEvents>();

    [Fact]
    public async Task LateSubscriberGetsStoredThenLiveLinesWithoutGapOrDuplicate()
    {
        for (var i = 1; i <= 2_500; i++) Log.Append(_cluster, null, "n1", "s", LogStream.Stdout, $"stored {i}");
        await Log.FlushAsync();
        var received = new List<long>();
        var writer = Task.Run(async () =>
        {
            for (var i = 1; i <= 3_000; i++)
            {
                Log.Append(_cluster, null, "n1", "s", LogStream.Stdout, $"live {i}");
                if (i % 100 == 0) await Task.Delay(1);
            }
            await Log.FlushAsync();
        });

        using var feed = await ClusterFeed.StartAsync(_cluster, 0, Log, Events,
            lines => { lock (received) received.AddRange(lines.Select(l => l.Sequence)); return Task.CompletedTask; },
            _ => Task.CompletedTask);
        await writer;

        await Eventually.TrueAsync(() => { lock (received) return received.Count >= 5_500; }, "The feed delivering");
        lock (received) Assert.Equal(Enumerable.Range(1, 5_500).Select(i => (long)i), received);
    }

    [Fact]
    public async Task StartsAfterTheGivenSequenceAndDeliversOtherEventsInOrder()
    {
        for (var i = 1; i <= 10; i++) Log.Append(_cluster, null, null, "s", LogStream.System, $"line {i}");
        await Log.FlushAsync();
        var seen = new List<string>();

        using var feed = await ClusterFeed.StartAsync(_cluster, 7, Log, Events,
            lines => { lock (seen) seen.AddRange(lines.Select(l => $"line#{l.Sequence}")); return Task.CompletedTask; },
            e => { lock (seen) seen.Add(e.GetType().Name); return Task.CompletedTask; },
            () => { lock (seen) seen.Add("state"); return Task.CompletedTask; });
        Events.Publish(new PhaseChanged(_cluster, Ladybug.Engine.Domain.ClusterPhase.Provisioning, null, null));
        Events.Publish(new PhaseChanged(Guid.NewGuid(), Ladybug.Engine.Domain.ClusterPhase.Failed, null, null));

        await Eventually.TrueAsync(() => { lock (seen) return seen.Count >= 5; }, "The feed delivering");
        lock (seen) Assert.Equal(["state", "line#8", "line#9", "line#10", nameof(PhaseChanged)], seen);
    }

    [Fact]
    public async Task ALiveBatchAfterAGapIsCompletedFromTheStoreAndRepeatsAreDropped()
    {
        // Events come from a broadcaster of the test's own, so it decides which batches the feed sees.
        var events = new ProvisioningEventBroadcaster(Microsoft.Extensions.Logging.Abstractions.NullLogger<ProvisioningEventBroadcaster>.Instance);
        for (var i = 1; i <= 5; i++) Log.Append(_cluster, null, null, "s", LogStream.System, $"line {i}");
        await Log.FlushAsync();
        var received = new List<long>();
        var lastEventDelivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var feed = await ClusterFeed.StartAsync(_cluster, 0, Log, events,
            lines => { lock (received) received.AddRange(lines.Select(l => l.Sequence)); return Task.CompletedTask; },
            e => { if (e is PhaseChanged) lastEventDelivered.TrySetResult(); return Task.CompletedTask; });
        for (var i = 6; i <= 9; i++) Log.Append(_cluster, null, null, "s", LogStream.System, $"line {i}");
        await Log.FlushAsync();
        var stored = await Log.ReadAsync(_cluster, 0, 100);

        // Lines 6-8 were lost on the way (a slow subscriber's buffer dropped them): only 9 arrives, then a repeat of 8-9.
        events.Publish(new LogLinesAppended(_cluster, stored.Where(l => l.Sequence == 9).ToList()));
        events.Publish(new LogLinesAppended(_cluster, stored.Where(l => l.Sequence >= 8).ToList()));
        events.Publish(new PhaseChanged(_cluster, Ladybug.Engine.Domain.ClusterPhase.Provisioned, null, null));
        // The phase change was published last and the feed delivers in order: once it is through, so is every line.
        await Eventually.CompletesAsync(lastEventDelivered.Task, "The feed delivering the phase change published after the lines");

        lock (received) Assert.Equal(Enumerable.Range(1, 9).Select(i => (long)i), received);
        Assert.Equal(9, feed.LastSequence);
    }
}
