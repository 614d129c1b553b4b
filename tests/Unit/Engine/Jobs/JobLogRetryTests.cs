using System.Collections.Concurrent;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Jobs;
using Ladybug.Engine.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Unit.Engine.Jobs;

/// <summary>
/// The job log when the database refuses a batch for real: a second connection holds SQLite's write lock,
/// so the log's INSERT fails with "database is locked" once its (shortened) busy timeout runs out.
/// </summary>
public sealed class JobLogRetryTests
{
    private const string Refused = "Could not store";

    private static Task<EngineHost> StartAsync(int bufferCapacity = 100_000) =>
        EngineHost.StartAsync(
            services => services.ConfigureDbContext<LadybugDbContext>(
                // Give up on a busy database after one second instead of thirty, so a held lock fails a write quickly.
                options => options.UseSqlite(new SqliteConnectionStringBuilder(RelationalOptionsExtension.Extract(options.Options).ConnectionString) { DefaultTimeout = 1 }.ToString()),
                ServiceLifetime.Singleton),
            new Dictionary<string, string?>
            {
                [$"{EngineOptions.Section}:{nameof(EngineOptions.LogRetryDelayMs)}"] = "20",
                [$"{EngineOptions.Section}:{nameof(EngineOptions.LogRetryMaxDelayMs)}"] = "100",
                [$"{EngineOptions.Section}:{nameof(EngineOptions.LogAttemptsOnStop)}"] = "1000",
                [$"{EngineOptions.Section}:{nameof(EngineOptions.LogBufferCapacity)}"] = bufferCapacity.ToString(),
            });

    private static void AppendLines(IJobLog log, Guid clusterId, int from, int to)
    {
        for (var i = from; i <= to; i++)
            log.Append(clusterId, null, "w1-1", "prepare", LogStream.Stdout, $"line {i}");
    }

    private static Task WaitForRefusalAsync(EngineHost engine, string? containing = null) =>
        Eventually.TrueAsync(() => Task.FromResult(engine.Logs.Entries.Any(e => e.Message.Contains(Refused) && (containing is null || e.Message.Contains(containing)))),
            "the job log to report a refused batch");

    private static async Task AssertStoredExactlyAsync(EngineHost engine, Guid clusterId, int count)
    {
        var stored = await engine.JobLog.ReadAsync(clusterId, 0, count + 100);
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), stored.Select(l => l.Sequence));
        Assert.Equal(Enumerable.Range(1, count).Select(i => $"line {i}"), stored.Select(l => l.Text));
    }

    [Fact]
    public async Task ABatchTheDatabaseRefusesIsStoredOnceInOrderWhenTheDatabaseIsFreeAgain()
    {
        await using var engine = await StartAsync();
        var clusterId = Guid.NewGuid();
        var published = new ConcurrentQueue<string>();
        using var subscription = engine.Events.Subscribe(clusterId, e =>
        {
            if (e is LogLinesAppended appended)
                foreach (var line in appended.Lines) published.Enqueue(line.Text);
            return ValueTask.CompletedTask;
        });
        AppendLines(engine.JobLog, clusterId, 1, 50);
        await engine.JobLog.FlushAsync();

        Task flushed;
        await using (await DatabaseLock.TakeAsync(engine.DatabasePath))
        {
            AppendLines(engine.JobLog, clusterId, 51, 300);
            flushed = engine.JobLog.FlushAsync();
            await WaitForRefusalAsync(engine);

            Assert.False(flushed.IsCompleted, "A flush must wait until the refused lines are stored.");
            Assert.Equal(50, (await engine.JobLog.ReadAsync(clusterId, 0, 1_000)).Count);
        }
        await Eventually.CompletesAsync(flushed, "the flush after the lock is released");

        await AssertStoredExactlyAsync(engine, clusterId, 300);
        await Eventually.TrueAsync(() => Task.FromResult(published.Count >= 300), "every stored line to be published");
        Assert.Equal(Enumerable.Range(1, 300).Select(i => $"line {i}"), published);
        Assert.DoesNotContain(engine.Logs.Errors, e => e.Message.Contains("Lost"));
    }

    [Fact]
    public async Task WhenTheBufferIsFullAppendWaitsForRoomAndNothingIsLost()
    {
        await using var engine = await StartAsync(bufferCapacity: 10);
        var clusterId = Guid.NewGuid();

        Task producer;
        await using (await DatabaseLock.TakeAsync(engine.DatabasePath))
        {
            // More than one batch (2,000) plus the buffer (10) can hold while nothing can be stored.
            producer = Task.Run(() => AppendLines(engine.JobLog, clusterId, 1, 3_000));
            await WaitForRefusalAsync(engine);

            Assert.False(producer.IsCompleted, "Append must wait for room while the buffer is full.");
        }
        await Eventually.CompletesAsync(producer, "the producer once the database takes lines again");
        await engine.JobLog.FlushAsync();

        await AssertStoredExactlyAsync(engine, clusterId, 3_000);
    }

    [Fact]
    public async Task StoppingWhileTheDatabaseRefusesStillStoresEveryLineOnceItIsFree()
    {
        var engine = await StartAsync();
        try
        {
            var clusterId = Guid.NewGuid();
            AppendLines(engine.JobLog, clusterId, 1, 20);
            await engine.JobLog.FlushAsync();

            var databaseLock = await DatabaseLock.TakeAsync(engine.DatabasePath);
            AppendLines(engine.JobLog, clusterId, 21, 120);
            await WaitForRefusalAsync(engine);
            var stopped = engine.StopAsync();
            await WaitForRefusalAsync(engine, containing: "while stopping");
            await databaseLock.DisposeAsync();
            await Eventually.CompletesAsync(stopped, "the stop");

            await AssertStoredExactlyAsync(engine, clusterId, 120);
        }
        finally
        {
            await engine.DisposeAsync();
        }
    }

    /// <summary>SQLite's write lock held by a connection of its own, as another process would hold it.</summary>
    private sealed class DatabaseLock(SqliteConnection connection) : IAsyncDisposable
    {
        public static async Task<DatabaseLock> TakeAsync(string databasePath)
        {
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false, DefaultTimeout = 30 }.ToString());
            await connection.OpenAsync();
            await using var begin = connection.CreateCommand();
            begin.CommandText = "BEGIN EXCLUSIVE;";
            await begin.ExecuteNonQueryAsync();
            return new DatabaseLock(connection);
        }

        public async ValueTask DisposeAsync()
        {
            await using (var rollback = connection.CreateCommand())
            {
                rollback.CommandText = "ROLLBACK;";
                await rollback.ExecuteNonQueryAsync();
            }
            await connection.DisposeAsync();
        }
    }
}
