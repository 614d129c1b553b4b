using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Ladybug.Api.Contracts;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Persistence;
using Ladybug.Sandbox;
using Ladybug.Tests.Support.ScaleOut;
using Ladybug.Tests.Unit.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Ladybug.Bench;

/// <summary>
/// Scale-out: many clusters created at once across two console replicas (processes of the built console on one
/// PostgreSQL, one Redis and one sandbox Tumblebug) against the same clusters on one replica. Each replica keeps the
/// default job cap (Ladybug:Engine:MaxConcurrentJobs, 8), so a second replica adds job slots; both replicas share one
/// machine (its CPU) and, being on 127.0.0.1 both, one of the sandbox Tumblebug's per-client-address rate limits.
/// Every cluster must reach Provisioned; wall time from the first create call to the last Provisioned.
/// </summary>
public static class ReplicasBench
{
    public static async Task RunAsync(int clusters)
    {
        if (!EmbeddedPostgres.IsInstalled || !RedisServer.IsInstalled)
            throw new InvalidOperationException("The replicas bench needs PostgreSQL and redis-server from apt (test.sh installs both).");
        var postgres = new EmbeddedPostgres();
        await postgres.InitializeAsync();
        try
        {
            await using var redis = await RedisServer.StartAsync();
            var one = await RunOnceAsync(postgres, redis, clusters, replicas: 1);
            var two = await RunOnceAsync(postgres, redis, clusters, replicas: 2);
            Console.WriteLine(FormattableString.Invariant(
                $"{clusters} clusters at once: one replica {one.TotalSeconds:0.0} s, two replicas {two.TotalSeconds:0.0} s; two/one = {two / one:0.00}× ({one / two:0.00}× as fast)"));
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }

    private static ClusterRequest Request(string name) => new()
    {
        Name = name,
        Config = new ClusterConfig { Kubernetes = new KubernetesConfig { Version = "1.23.17", NetworkCni = "kilo" } },
        ControlPlane = [new NodeSetRequest { Connection = "aws-ap-northeast-1", Spec = "t3.medium", Count = 1 }],
        Worker = [new NodeSetRequest { Connection = "gcp-europe-west2", Spec = "e2-medium", Count = 1 }],
    };

    private static async Task<TimeSpan> RunOnceAsync(EmbeddedPostgres postgres, RedisServer redis, int clusters, int replicas)
    {
        var stateDir = Directory.CreateTempSubdirectory("ladybug-bench-sandbox-").FullName;
        await using var sandbox = await BenchSetup.StartSandboxAsync(stateDir);
        var connection = await postgres.CreateDatabaseAsync();
        var consoles = new List<ConsoleReplica>();
        try
        {
            // Started one after the other: the first migrates the new database, the next finds nothing pending.
            for (var i = 0; i < replicas; i++)
            {
                var name = $"bench-replica-{(char)('a' + i)}";
                consoles.Add(await ConsoleReplica.StartAsync(name, new Dictionary<string, string>(ConsoleReplica.SharedSettings(name, connection, redis, sandbox))
                {
                    ["Ladybug:Tumblebug:PollInterval"] = "00:00:00.500",
                    ["Logging:LogLevel:Default"] = "Warning",
                }));
            }
            var apis = consoles.Select(c => c.Api()).ToList();
            var clock = Stopwatch.StartNew();
            // Round robin over the replicas, all at once, as a load balancer spreads users' requests.
            await Task.WhenAll(Enumerable.Range(1, clusters).Select(async i =>
                (await apis[(i - 1) % apis.Count].PostAsJsonAsync("mcks/ns/default/clusters", Request($"bench-{replicas}r-{i}"), McksJson.Options))
                    .EnsureSuccessStatusCode()));
            var created = clock.Elapsed;
            var owners = await WaitProvisionedAsync(connection, clusters, clock, TimeSpan.FromMinutes(20));
            var all = clock.Elapsed;
            foreach (var api in apis) api.Dispose();
            var perReplica = string.Join(", ", owners.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} {o.Value}"));
            Console.WriteLine(FormattableString.Invariant(
                $"{replicas} replica(s), {clusters} clusters of 1 control plane + 1 worker: created (202) after {created.TotalSeconds:0.0} s, all Provisioned after {all.TotalSeconds:0.0} s; jobs run per replica: {perReplica}; load average {LoadAverage()}"));
            return all;
        }
        finally
        {
            foreach (var console in consoles) await console.DisposeAsync();
            Npgsql.NpgsqlConnection.ClearAllPools();
        }
    }

    /// <summary>Polls the database until every cluster is Provisioned; fails on the first that failed.</summary>
    private static async Task<Dictionary<string, int>> WaitProvisionedAsync(string connection, int clusters, Stopwatch clock, TimeSpan timeout)
    {
        var options = new DbContextOptionsBuilder<PostgresLadybugDbContext>().UseNpgsql(connection).Options;
        while (true)
        {
            await using var db = new PostgresLadybugDbContext(options);
            var phases = await db.Clusters.AsNoTracking().Select(c => new { c.Name, c.Phase, c.Message }).ToListAsync();
            if (phases.FirstOrDefault(c => c.Phase == ClusterPhase.Failed) is { } failed)
                throw new InvalidOperationException($"Cluster {failed.Name} FAILED after {clock.Elapsed.TotalSeconds:0.0} s: {failed.Message}");
            if (phases.Count == clusters && phases.All(c => c.Phase == ClusterPhase.Provisioned))
            {
                var owners = await db.Jobs.AsNoTracking().Where(j => j.Owner != null).Select(j => j.Owner!).ToListAsync();
                return owners.GroupBy(o => o, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            }
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"Not all clusters were Provisioned after {timeout}: {string.Join(", ", phases.Select(c => $"{c.Name} {c.Phase}"))}");
            await Task.Delay(500);
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
