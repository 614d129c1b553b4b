using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Ladybug.Api.Contracts;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Events;
using Ladybug.Engine.Jobs;
using Ladybug.Engine.Persistence;
using Ladybug.Tests.Support;
using Ladybug.Tests.Unit.Engine.Bootstrap;
using Ladybug.Tests.Unit.Engine.Persistence;
using Ladybug.Tests.Unit.Sandbox;
using Ladybug.Web.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Unit.Web.ScaleOut;

/// <summary>
/// Two console processes on one PostgreSQL database and one Redis, against one sandbox cloud outside both (the embedded
/// sandbox is for one replica). Clusters are created on A and watched through B's hub; A is SIGKILLed mid-provision,
/// and B takes the jobs over: every stored log line reaches B's watcher exactly once, live while A still ran.
/// </summary>
[Collection(SandboxProvisioningCollection.Name)]
public sealed class TwoConsoleReplicasTests(EmbeddedPostgres postgres, RedisServer redis) : IClassFixture<EmbeddedPostgres>, IClassFixture<RedisServer>
{
    private static readonly string[] Names = ["scale-one", "scale-two"];

    [PostgresAndRedisFact]
    public async Task ReplicaBWatchesAJobsLiveAndTakesThemOverWhenAIsKilled()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.StepLatency = TimeSpan.FromMilliseconds(150));
        var database = await postgres.CreateDatabaseAsync();
        Dictionary<string, string?> Settings(string replica) => new()
        {
            ["Ladybug:Database:Provider"] = nameof(DatabaseProvider.Postgres),
            ["Ladybug:Database:ConnectionString"] = database,
            ["Ladybug:SignalR:Redis"] = redis.Configuration,
            ["Ladybug:Engine:ReplicaId"] = replica,
            ["Ladybug:Engine:JobLeaseMs"] = "3000",
            ["Ladybug:Engine:JobLeaseRenewMs"] = "500",
            ["Ladybug:Engine:LogFlushIntervalMs"] = "20",
            ["Ladybug:Tumblebug:Url"] = sandbox.TumblebugUrl.ToString(),
            ["Ladybug:Tumblebug:User"] = sandbox.User,
            ["Ladybug:Tumblebug:Password"] = sandbox.Password,
            ["Ladybug:Tumblebug:PollInterval"] = "00:00:00.100",
            ["Ladybug:Tumblebug:MaxPollInterval"] = "00:00:00.500",
            ["Ladybug:Ssh:RetryDelay"] = "00:00:00.200",
            ["Ladybug:Ssh:ConnectWindow"] = "00:00:30",
        };
        await using var a = await ConsoleProcess.StartAsync(Settings("replica-a"));
        var db = new DbContextOptionsBuilder<PostgresLadybugDbContext>().UseNpgsql(database).Options;
        using (var http = a.Http())
            foreach (var name in Names)
                (await http.PostAsJsonAsync("mcks/ns/default/clusters", Request(name), McksJson.Options)).EnsureSuccessStatusCode();
        var clusters = await ClustersAsync(db);
        var first = clusters[Names[0]];
        // B starts once A holds both jobs: a replica running claims any queued job it sees, so B could otherwise win one.
        foreach (var id in clusters.Values)
            await Eventually.ReturnsAsync(() => JobAsync(db, id), j => j.Owner == "replica-a", "A to claim the job it was asked for", TimeSpan.FromSeconds(60));
        await using var b = await ConsoleProcess.StartAsync(Settings("replica-b"));

        // B's hub follows both clusters from their first line.
        var received = new ConcurrentDictionary<Guid, ConcurrentQueue<long>>();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(b.BaseAddress, ProvisioningHub.Path.TrimStart('/')), o => o.Headers["Authorization"] = ConsoleProcess.BasicHeader().ToString())
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .Build();
        hub.On<LogLinesAppended>("LogLines", e => { foreach (var line in e.Lines) received.GetOrAdd(e.ClusterId, _ => new()).Enqueue(line.Sequence); });
        await hub.StartAsync();

        // From the first line: what A stored before B subscribed comes from the store, the rest live.
        foreach (var name in Names)
            await hub.InvokeAsync("Subscribe", "default", name, 0L);

        // Mid-provision on A, and B's watcher has seen lines A stored after B subscribed: they came live, across replicas.
        var firstJob = await Eventually.ReturnsAsync(() => JobAsync(db, first), j => j.CurrentStep is "prepare-nodes" or "load-balancer", "the first cluster to reach its nodes on A", TimeSpan.FromSeconds(120));
        Assert.Equal("replica-a", firstJob.Owner);
        // Without the relay B's feed would stay at what it read from the store when it subscribed until B ran the job itself.
        var seenSoFar = received.GetValueOrDefault(first)?.Count ?? 0;
        await Eventually.ReturnsAsync(() => Task.FromResult(received.GetValueOrDefault(first)?.Count ?? 0), n => n > seenSoFar,
            "B's hub to relay a line A stored while it ran");

        await a.KillAsync();

        foreach (var (name, id) in clusters)
        {
            var settled = await Eventually.ReturnsAsync(() => JobsAsync(db, id),
                jobs => jobs.All(j => j.IsFinished) && (jobs.Any(j => j.Kind == JobKind.Rollback) || jobs.Single().State == JobState.Succeeded),
                $"{name} to be finished or rolled back by B", TimeSpan.FromSeconds(150));
            var create = Assert.Single(settled, j => j.Kind == JobKind.Create);
            Assert.Equal("replica-b", create.Owner);
            if (create.State == JobState.Failed)
            {
                Assert.StartsWith("Interrupted", create.Error);
                Assert.Equal(JobState.Succeeded, Assert.Single(settled, j => j.Kind == JobKind.Rollback).State);
            }
            else Assert.Equal(JobState.Succeeded, create.State);
            // No job run twice: each plan step succeeded at most once across both replicas.
            await using (var context = new PostgresLadybugDbContext(db))
            {
                var twice = await context.JobSteps.AsNoTracking()
                    .Where(s => s.JobId == create.Id && s.State == StepState.Succeeded && s.NodeName == null)
                    .GroupBy(s => s.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToListAsync();
                Assert.True(twice.Count == 0, $"{name}: succeeded twice: {string.Join(", ", twice)}");
                var stored = await context.LogLines.AsNoTracking().Where(l => l.ClusterId == id).OrderBy(l => l.Sequence).Select(l => l.Sequence).ToListAsync();
                Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), stored);
                // Every stored line reached B's watcher once: none lost, none twice (B's own lines and A's relayed ones alike).
                var seen = await Eventually.ReturnsAsync(() => Task.FromResult(received.GetValueOrDefault(id)?.ToList() ?? []),
                    s => s.Count >= stored.Count, $"B's hub to deliver every line of {name}");
                Assert.Equal(stored, seen);
            }
        }
        Assert.Equal(2, (await JobAsync(db, first)).Attempts);
    }

    private static ClusterRequest Request(string name) => new()
    {
        Name = name,
        Config = new ClusterConfig { Kubernetes = new KubernetesConfig { Version = "1.23.17", NetworkCni = "kilo", PodCidr = "10.32.0.0/16" } },
        ControlPlane = [new NodeSetRequest { Connection = "aws-ap-northeast-1", Spec = "t3.medium", Count = 1 }],
        Worker = [new NodeSetRequest { Connection = "gcp-europe-west2", Spec = "e2-medium", Count = 1 }],
    };

    private static async Task<Dictionary<string, Guid>> ClustersAsync(DbContextOptions<PostgresLadybugDbContext> db)
    {
        await using var context = new PostgresLadybugDbContext(db);
        return await context.Clusters.AsNoTracking().ToDictionaryAsync(c => c.Name, c => c.Id);
    }

    private static async Task<Job> JobAsync(DbContextOptions<PostgresLadybugDbContext> db, Guid clusterId) =>
        (await JobsAsync(db, clusterId)).First(j => j.Kind == JobKind.Create);

    private static async Task<List<Job>> JobsAsync(DbContextOptions<PostgresLadybugDbContext> db, Guid clusterId)
    {
        await using var context = new PostgresLadybugDbContext(db);
        return await context.Jobs.AsNoTracking().Where(j => j.ClusterId == clusterId).OrderBy(j => j.CreatedAt).ToListAsync();
    }
}
