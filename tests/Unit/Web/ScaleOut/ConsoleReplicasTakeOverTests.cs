using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Ladybug.Api.Contracts;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Persistence;
using Ladybug.Sandbox;
using Ladybug.Tests.Support.ScaleOut;
using Ladybug.Tests.Unit.Engine.Bootstrap;
using Ladybug.Tests.Unit.Engine.Persistence;
using Ladybug.Tests.Unit.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Ladybug.Tests.Unit.Web.ScaleOut;

/// <summary>
/// Two console processes (the built Ladybug.Web) on one PostgreSQL database, one Redis and one sandbox Tumblebug:
/// clusters created on replica A are watched through replica B's hub; A is killed with SIGKILL while it provisions
/// them, and B takes the jobs over once A's leases lapse. B's hub must deliver every stored line once, in order.
/// </summary>
[Collection(SandboxProvisioningCollection.Name)]
public sealed class ConsoleReplicasTakeOverTests(EmbeddedPostgres postgres, ITestOutputHelper output) : IClassFixture<EmbeddedPostgres>
{
    // A node's "prepare" holds A in step prepare-nodes until it is killed, however long B takes to start (20–40 s at
    // load 50); its output trickles over that time (NodeStepContext.WorkAsync), so A keeps storing lines that
    // B's hub can only get through Redis. Once A is dead, prepare takes as little as every other step, for B's re-run.
    private static readonly TimeSpan HeldPrepare = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan StepLatency = TimeSpan.FromMilliseconds(100);

    private static ClusterRequest Request(string name) => new()
    {
        Name = name,
        Config = new ClusterConfig { Kubernetes = new KubernetesConfig { Version = "1.23.17", NetworkCni = "kilo" } },
        ControlPlane = [new NodeSetRequest { Connection = "aws-ap-northeast-1", Spec = "t3.medium", Count = 1 }],
        Worker = [new NodeSetRequest { Connection = "gcp-europe-west2", Spec = "e2-medium", Count = 1 }],
    };

    [ReplicaProcessesFact]
    public async Task ClustersOfAReplicaKilledMidProvisionAreFinishedByTheOtherAndItsHubDeliversEveryLineOnce()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Mark(string what) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.0} s  {what}");
        await using var redis = await RedisServer.StartAsync();
        SandboxOptions sandboxOptions = null!;
        await using var sandbox = await TestSandbox.StartAsync(o =>
        {
            o.StepLatency = StepLatency;
            o.StepLatencies = new Dictionary<string, TimeSpan> { ["prepare"] = HeldPrepare };
            sandboxOptions = o;
        });
        var connection = await postgres.CreateDatabaseAsync();
        Dictionary<string, string> Settings(string replica) => new(ConsoleReplica.SharedSettings(replica, connection, redis, sandbox))
        {
            ["Ladybug:Tumblebug:PollInterval"] = "00:00:00.100",
            ["Ladybug:Tumblebug:MaxPollInterval"] = "00:00:00.500",
            ["Ladybug:Ssh:RetryDelay"] = "00:00:00.200",
            ["Ladybug:Ssh:ConnectWindow"] = "00:00:30",
            // Short leases: B takes a job over at most 2.3 s after A's last renewal.
            ["Ladybug:Engine:JobLeaseMs"] = "2000",
            ["Ladybug:Engine:JobLeaseRenewMs"] = "300",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var names = new[] { "replicas-one", "replicas-two" };

        await using var a = await ConsoleReplica.StartAsync("replica-a", Settings("replica-a"));
        Mark("replica A up");
        using (var api = a.Api())
        {
            foreach (var name in names)
                (await api.PostAsJsonAsync("mcks/ns/default/clusters", Request(name), McksJson.Options)).EnsureSuccessStatusCode();
        }
        var clusterIds = new Dictionary<string, Guid>();
        await using (var db = Open(connection))
        {
            foreach (var name in names) clusterIds[name] = (await db.Clusters.AsNoTracking().SingleAsync(c => c.Name == name)).Id;
        }
        // B starts only once A holds both jobs, so that they are A's to lose (B would otherwise claim one at its start).
        await Eventually.TrueAsync(async () =>
        {
            await using var db = Open(connection);
            return (await db.Jobs.AsNoTracking().Where(j => clusterIds.Values.Contains(j.ClusterId)).ToListAsync())
                .Count(j => j.Owner == "replica-a") == names.Length;
        }, "replica A to claim both create jobs");

        Mark("A claimed both jobs");
        await using var b = await ConsoleReplica.StartAsync("replica-b", Settings("replica-b"));
        Mark("replica B up");
        var delivered = clusterIds.Values.ToDictionary(id => id, _ => new List<(long Sequence, string Text)>());
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(b.BaseAddress, "hubs/provisioning"), o => o.Headers["Authorization"] = $"Basic {ConsoleReplica.BasicCredentials}")
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .Build();
        hub.On<LogLinesAppended>("LogLines", e =>
        {
            lock (delivered) delivered[e.ClusterId].AddRange(e.Lines.Select(l => (l.Sequence, l.Text)));
        });
        await hub.StartAsync();
        foreach (var name in names) await hub.InvokeAsync("Subscribe", "default", name, 0L);

        // Lines A stores after B's feeds replayed the store reach B's hub only through Redis (B runs no job to make them).
        var storedAtSubscribe = await MaxSequencesAsync(connection, clusterIds.Values);
        await Eventually.TrueAsync(() =>
        {
            lock (delivered) return delivered.Any(d => d.Value.Count > 0 && d.Value[^1].Sequence > storedAtSubscribe[d.Key]);
        }, "a line A stored after the subscription to reach B's hub live", TimeSpan.FromSeconds(60));

        Mark("a live line reached B's hub");
        var firstJob = await CreateJobAsync(connection, clusterIds[names[0]]);
        Assert.True(firstJob is { State: JobState.Running, CurrentStep: "prepare-nodes", Owner: "replica-a" },
            $"A's job of {names[0]} is {firstJob.State} in {firstJob.CurrentStep} on {firstJob.Owner} ({firstJob.Error}), not held in prepare-nodes:\n{a.Output}");
        await a.KillAsync();
        // simulator.json is rewritten from the options whenever the faults are set; steps that start from now on read it.
        sandboxOptions.StepLatencies["prepare"] = StepLatency;
        sandbox.Control.Faults = sandbox.Control.Faults;
        Mark($"A killed in {firstJob.CurrentStep}");

        foreach (var (name, clusterId) in clusterIds)
        {
            var (cluster, jobs) = await Eventually.ReturnsAsync(async () =>
            {
                await using var db = Open(connection);
                return (await db.Clusters.AsNoTracking().SingleAsync(c => c.Id == clusterId),
                    await db.Jobs.AsNoTracking().Where(j => j.ClusterId == clusterId).OrderBy(j => j.CreatedAt).ToListAsync());
            }, s => s.Item2.All(j => j.IsFinished) && (s.Item1.Phase == ClusterPhase.Provisioned || s.Item2.Any(j => j.Kind == JobKind.Rollback)),
                $"replica B to finish or roll back {name}", TimeSpan.FromSeconds(150));

            var create = Assert.Single(jobs, j => j.Kind == JobKind.Create);
            Mark($"{name}: {create.State} on {create.Owner} ({create.Error}), cluster {cluster.Phase}");
            Assert.Equal("replica-b", create.Owner);
            if (create.State == JobState.Succeeded)
            {
                // Resumed where A left it, not started afresh.
                Assert.Equal(ClusterPhase.Provisioned, cluster.Phase);
                Assert.Equal(2, create.Attempts);
            }
            else
            {
                // Interrupted in a step that is not safe to repeat: failed as such and its machines deleted.
                Assert.Equal(JobState.Failed, create.State);
                Assert.StartsWith("Interrupted", create.Error);
                Assert.Equal(JobState.Succeeded, Assert.Single(jobs, j => j.Kind == JobKind.Rollback).State);
            }

            List<JobStep> steps;
            List<LogLine> stored;
            await using (var db = Open(connection))
            {
                steps = await db.JobSteps.AsNoTracking().Where(s => s.JobId == create.Id && s.NodeName == null).ToListAsync();
                stored = await db.LogLines.AsNoTracking().Where(l => l.ClusterId == clusterId).OrderBy(l => l.Sequence).ToListAsync();
            }
            // B ran again only what A had not finished, and never a step that is not safe to repeat.
            var twice = steps.Where(s => s.State == StepState.Succeeded).GroupBy(s => s.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(twice.Count == 0, $"{name}: succeeded twice: {string.Join(", ", twice)}");
            foreach (var once in new[] { "init-control-plane", "join-control-planes" })
                Assert.True(steps.Count(s => s.Name == once) <= 1, $"{name}: {once} started twice");

            // The store is gap-free, and B's hub delivered exactly the stored lines, each once and in order.
            Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), stored.Select(l => l.Sequence));
            await Eventually.TrueAsync(() => { lock (delivered) return delivered[clusterId].Count >= stored.Count; },
                $"B's hub to deliver {name}'s {stored.Count} stored lines", TimeSpan.FromSeconds(30));
            lock (delivered)
                Assert.Equal(stored.Select(l => (l.Sequence, l.Text)), delivered[clusterId]);
        }
    }

    private static PostgresLadybugDbContext Open(string connection) =>
        new(new DbContextOptionsBuilder<PostgresLadybugDbContext>().UseNpgsql(connection).Options);

    private static async Task<Job> CreateJobAsync(string connection, Guid clusterId)
    {
        await using var db = Open(connection);
        return await db.Jobs.AsNoTracking().SingleAsync(j => j.ClusterId == clusterId && j.Kind == JobKind.Create);
    }

    private static async Task<Dictionary<Guid, long>> MaxSequencesAsync(string connection, IEnumerable<Guid> clusterIds)
    {
        await using var db = Open(connection);
        var result = new Dictionary<Guid, long>();
        foreach (var id in clusterIds)
            result[id] = await db.LogLines.Where(l => l.ClusterId == id).MaxAsync(l => (long?)l.Sequence) ?? 0;
        return result;
    }
}

/// <summary>Needs PostgreSQL and redis-server from apt (test.sh installs both); skipped, saying why, without them.</summary>
public sealed class ReplicaProcessesFactAttribute : FactAttribute
{
    public ReplicaProcessesFactAttribute()
    {
        if (!EmbeddedPostgres.IsInstalled)
            Skip = $"PostgreSQL is not installed ({EmbeddedPostgres.InitDb} is missing); test.sh installs the postgresql package from apt.";
        else if (!RedisServer.IsInstalled)
            Skip = $"Redis is not installed ({RedisServer.Program} is missing); test.sh installs the redis-server package from apt.";
    }
}
