using System.Collections.Concurrent;
using Ladybug.Engine;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Jobs;
using Ladybug.Engine.Persistence;
using Ladybug.Engine.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ladybug.Tests.Unit.Engine;

/// <summary>
/// The real engine (<see cref="EngineExtensions.AddLadybugEngine"/>: SQLite with migrations, Data Protection,
/// job log, job runner) in a generic host on a temporary data dir. <see cref="RestartAsync"/> starts a new host
/// on the same dir, which is how tests prove what survives a stop. Disposing deletes the dir it owns.
/// </summary>
public sealed class EngineHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly Action<IHostApplicationBuilder>? _configureBuilder;
    private bool _ownsDataDir;
    private bool _stopped;

    private EngineHost(IHost host, string dataDir, bool ownsDataDir, CapturedLogs logs, Action<IHostApplicationBuilder>? configureBuilder)
    {
        _host = host;
        DataDir = dataDir;
        _ownsDataDir = ownsDataDir;
        Logs = logs;
        _configureBuilder = configureBuilder;
    }

    public string DataDir { get; }
    public string DatabasePath => Path.Combine(DataDir, "ladybug.db");
    public IServiceProvider Services => _host.Services;
    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();
    /// <summary>Everything the engine logged at Warning or above.</summary>
    public CapturedLogs Logs { get; }

    public ClusterService Clusters => Services.GetRequiredService<ClusterService>();
    public ClusterQueries Queries => Services.GetRequiredService<ClusterQueries>();
    public IJobLog JobLog => Services.GetRequiredService<IJobLog>();
    public IJobQueue JobQueue => Services.GetRequiredService<IJobQueue>();
    public IProvisioningEvents Events => Services.GetRequiredService<IProvisioningEvents>();
    public ISecretSealer Sealer => Services.GetRequiredService<ISecretSealer>();

    /// <summary>Starts an engine on a new temporary data dir. <paramref name="configureServices"/> runs after AddLadybugEngine, so it can add handlers or replace services.</summary>
    public static Task<EngineHost> StartAsync(Action<IServiceCollection>? configureServices = null, IReadOnlyDictionary<string, string?>? settings = null) =>
        StartOnAsync(NewDataDir(), ownsDataDir: true, configureServices, settings, configureBuilder: null);

    /// <summary>
    /// Starts an engine whose builder also gets <paramref name="configureBuilder"/> (after AddLadybugEngine), e.g. the
    /// Tumblebug infrastructure and the bootstrap handlers; every restart of it gets the same.
    /// </summary>
    public static Task<EngineHost> StartAsync(Action<IHostApplicationBuilder> configureBuilder, IReadOnlyDictionary<string, string?> settings) =>
        StartOnAsync(NewDataDir(), ownsDataDir: true, configureServices: null, settings, configureBuilder);

    /// <summary>As <see cref="StartAsync(Action{IHostApplicationBuilder}, IReadOnlyDictionary{string, string?})"/>, plus services for this host only (a replica started from it does not get them).</summary>
    public static Task<EngineHost> StartAsync(Action<IHostApplicationBuilder> configureBuilder, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection> configureServices) =>
        StartOnAsync(NewDataDir(), ownsDataDir: true, configureServices, settings, configureBuilder);

    /// <summary>Stops this engine (if running) and starts a new one on the same data dir, which the new host then owns.</summary>
    public async Task<EngineHost> RestartAsync(Action<IServiceCollection>? configureServices = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        await StopAsync();
        var next = await StartOnAsync(DataDir, _ownsDataDir, configureServices, settings, _configureBuilder);
        _ownsDataDir = false;
        return next;
    }

    /// <summary>
    /// Starts another engine on this one's data dir while this one keeps running: a second replica on the same
    /// database (and key ring). It never owns the dir; <paramref name="settings"/> should give it its own ReplicaId.
    /// </summary>
    public Task<EngineHost> StartReplicaAsync(Action<IServiceCollection>? configureServices, IReadOnlyDictionary<string, string?> settings) =>
        StartOnAsync(DataDir, ownsDataDir: false, configureServices, settings, _configureBuilder);

    private static async Task<EngineHost> StartOnAsync(string dataDir, bool ownsDataDir, Action<IServiceCollection>? configureServices,
        IReadOnlyDictionary<string, string?>? settings, Action<IHostApplicationBuilder>? configureBuilder)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            EnvironmentName = "Testing",
            ContentRootPath = dataDir,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{LadybugOptions.Section}:{nameof(LadybugOptions.DataDir)}"] = dataDir,
            // Short flush interval keeps tests quick; batching is still proven by counting saves.
            [$"{EngineOptions.Section}:{nameof(EngineOptions.LogFlushIntervalMs)}"] = "10",
        });
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);

        var logs = new CapturedLogs();
        builder.Logging.AddProvider(logs);
        builder.AddLadybugEngine();
        configureBuilder?.Invoke(builder);
        configureServices?.Invoke(builder.Services);

        var host = builder.Build();
        await host.StartAsync();
        return new EngineHost(host, dataDir, ownsDataDir, logs, configureBuilder);
    }

    private static string NewDataDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "ladybug-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Stops the host the way the console stops: jobs in a step stay Running for the next start. Services stay usable for reading the database.</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        await _host.StopAsync(timeout.Token);
    }

    public Task<LadybugDbContext> OpenDbAsync() =>
        Services.GetRequiredService<IDbContextFactory<LadybugDbContext>>().CreateDbContextAsync();

    /// <summary>Stores a cluster straight from a spec, in the given phase, without queuing a job.</summary>
    public async Task<Cluster> AddClusterAsync(ClusterSpec spec, ClusterPhase phase = ClusterPhase.Provisioned, Action<Cluster>? shape = null)
    {
        var cluster = Cluster.FromSpec(spec, DateTimeOffset.UtcNow);
        cluster.SetPhase(phase, cluster.CreatedAt);
        shape?.Invoke(cluster);
        await using var db = await OpenDbAsync();
        db.Clusters.Add(cluster);
        await db.SaveChangesAsync();
        return cluster;
    }

    /// <summary>Stores a Queued job and wakes the runner, as ClusterService does, but without its state checks.</summary>
    public async Task<Job> QueueJobAsync(Guid clusterId, JobKind kind, string? payload = null)
    {
        var job = new Job { ClusterId = clusterId, Kind = kind, Payload = payload, CreatedAt = DateTimeOffset.UtcNow };
        await using (var db = await OpenDbAsync())
        {
            db.Jobs.Add(job);
            await db.SaveChangesAsync();
        }
        await JobQueue.EnqueueAsync(job.Id);
        return job;
    }

    public async Task<Job> GetJobAsync(Guid jobId)
    {
        await using var db = await OpenDbAsync();
        return await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId);
    }

    public async Task<IReadOnlyList<Job>> JobsOfAsync(Guid clusterId)
    {
        await using var db = await OpenDbAsync();
        return await db.Jobs.AsNoTracking().Where(j => j.ClusterId == clusterId).OrderBy(j => j.CreatedAt).ToListAsync();
    }

    public async Task<IReadOnlyList<JobStep>> StepsOfAsync(Guid jobId)
    {
        await using var db = await OpenDbAsync();
        return await db.JobSteps.AsNoTracking().Where(s => s.JobId == jobId).OrderBy(s => s.Id).ToListAsync();
    }

    public async Task<ClusterView> GetClusterAsync(Guid clusterId) =>
        await Queries.GetAsync(clusterId) ?? throw new InvalidOperationException($"Cluster {clusterId} is not stored.");

    public Task<Job> WaitForJobAsync(Guid jobId, JobState state) =>
        Eventually.ReturnsAsync(() => GetJobAsync(jobId), j => j.State == state, $"job {jobId} to be {state}");

    /// <summary>Waits until the job has finished in any way, and returns it.</summary>
    public Task<Job> WaitForJobToFinishAsync(Guid jobId) =>
        Eventually.ReturnsAsync(() => GetJobAsync(jobId), j => j.IsFinished, $"job {jobId} to finish");

    public Task<ClusterView> WaitForClusterAsync(Guid clusterId, ClusterPhase phase) =>
        Eventually.ReturnsAsync(() => GetClusterAsync(clusterId), c => c.Phase == phase, $"cluster {clusterId} to be {phase}");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _host.Dispose();
            if (_ownsDataDir)
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                try { Directory.Delete(DataDir, recursive: true); }
                catch (IOException) { /* A leftover temp dir is harmless; never fail a test for it. */ }
            }
        }
    }
}

/// <summary>Warnings and errors the engine logged, for tests that prove nothing went wrong quietly.</summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();
    private IExternalScopeProvider? _scopes;

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];
    public IReadOnlyList<CapturedLog> Errors => [.. _entries.Where(e => e.Level >= LogLevel.Error)];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            // The scopes' key-value pairs (e.g. the job runner's ClusterId, JobId, Step), innermost last.
            var scopes = new Dictionary<string, object?>();
            owner._scopes?.ForEachScope((scope, all) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                    foreach (var (key, value) in pairs) all[key] = value;
            }, scopes);
            owner._entries.Enqueue(new CapturedLog(logLevel, category, formatter(state, exception), exception) { Scopes = scopes });
        }
    }
}

public sealed record CapturedLog(LogLevel Level, string Category, string Message, Exception? Exception)
{
    public IReadOnlyDictionary<string, object?> Scopes { get; init; } = new Dictionary<string, object?>();

    public override string ToString() => $"{Level} {Category}: {Message} {Exception}";
}
