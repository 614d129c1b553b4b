using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Ladybug.Engine.Bootstrap;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Infrastructure.Tumblebug;
using Ladybug.Engine.Persistence;
using Ladybug.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Ladybug.Bench;

/// <summary>
/// Many clusters created at once through the sandbox's Tumblebug with v0.13.0's rate limit (2 Infra reads a second
/// per client address, 429 beyond) and its other defaults (Undefined reads included). Every cluster must reach
/// Provisioned; the time for all of them is compared with one cluster alone (target ≤ 1.5×), and the 429s the
/// client received are counted from the sandbox's request log (target 0).
/// </summary>
public static class ConcurrentProvisionBench
{
    public static async Task RunAsync(int clusters)
    {
        var warmUp = Stopwatch.StartNew();
        await RunOnceAsync(1, report: false);
        Console.WriteLine($"Warm-up (one cluster, not reported: first use of every code path): {warmUp.Elapsed.TotalSeconds:0.0} s");
        var alone = await RunOnceAsync(1, report: true);
        var together = await RunOnceAsync(clusters, report: true);
        Console.WriteLine($"{clusters} clusters at once took {together.TotalSeconds:0.0} s against {alone.TotalSeconds:0.0} s for one alone: " +
            $"{together / alone:0.00}× (target ≤ 1.5×)");
    }

    /// <summary>
    /// Where each cluster's time went, in seconds: queued before its job ran; resolve; create-machines split into the
    /// calls before the creating POST, the POST itself (Tumblebug creating until every VM is Running — it answers then)
    /// and from that answer until the job knew (status polls, reads); record-machines; the bootstrap (first prepare to
    /// kubeconfig, against its critical path of simulated latencies); and how long its single-Infra reads waited in the
    /// client's pacer. Steps are stored with the database's precision, so columns may be off by a millisecond or so.
    /// </summary>
    private static async Task ReportTimelinesAsync(IServiceProvider services, IReadOnlyList<Guid> clusterIds, DateTimeOffset started,
        IReadOnlyDictionary<Guid, TimeSpan> done, IReadOnlyList<RecordedRequest> requests, LimiterWaits waits)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<LadybugDbContext>>().CreateDbContextAsync();
        // One wave of worker joins: the two workers join together.
        var critical = ProvisionBench.Latencies.Values.Sum(l => l.TotalSeconds);
        Console.WriteLine($"  per cluster, s: queued | resolve | before POST | POST (Tumblebug until Running) | until the job knew | record | bootstrap (critical path {critical:0}) | to Provisioned | total ; infra reads: n, waited in the pacer");
        var rows = new List<double[]>();
        foreach (var id in clusterIds)
        {
            var cluster = await db.Clusters.AsNoTracking().SingleAsync(c => c.Id == id);
            var steps = await db.JobSteps.AsNoTracking().Where(s => s.NodeName == null && db.Jobs.Any(j => j.Id == s.JobId && j.ClusterId == id)).ToListAsync();
            var step = steps.ToDictionary(s => s.Name);
            var post = requests.Single(r => r.Method == "POST" && r.Path.EndsWith("/infraDynamic", StringComparison.Ordinal)
                && r.RequestId?.StartsWith($"ladybug-{cluster.Name}-", StringComparison.Ordinal) == true);
            var reads = waits.InfraReads(cluster.Name);
            double S(DateTimeOffset from, DateTimeOffset to) => (to - from).TotalSeconds;
            var row = new[]
            {
                S(started, step["resolve"].StartedAt),
                S(step["resolve"].StartedAt, step["resolve"].FinishedAt!.Value),
                S(step["create-machines"].StartedAt, post.Received),
                S(post.Received, post.Answered),
                S(post.Answered, step["create-machines"].FinishedAt!.Value),
                S(step["create-machines"].FinishedAt!.Value, step["prepare-nodes"].StartedAt),
                S(step["prepare-nodes"].StartedAt, step["fetch-kubeconfig"].FinishedAt!.Value),
                S(step["fetch-kubeconfig"].FinishedAt!.Value, started + done[id]),
                done[id].TotalSeconds,
                reads.Count,
                reads.Seconds,
            };
            rows.Add(row);
            Console.WriteLine($"    {cluster.Name,-14}" + Format(row));
        }
        if (rows.Count > 1)
            Console.WriteLine($"    {"mean",-14}" + Format(Enumerable.Range(0, rows[0].Length).Select(i => rows.Average(r => r[i])).ToArray()));
        var calls = waits.Calls;
        Console.WriteLine($"  every call's wait in the client's 40/s bucket: {calls.Count} calls, {calls.Seconds:0.0} s in all, longest {calls.Longest:0.00} s");
    }

    private static string Format(double[] row) =>
        string.Concat(row[..9].Select(v => $" {v,6:0.0}")) + $" ; {row[9],3:0} {row[10],6:0.0}";

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>Listens to the engine's rate-limit wait histogram for one run.</summary>
    private sealed class LimiterWaits : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<string, (int Count, double Seconds, double Longest)> _totals = new(StringComparer.Ordinal);

        public LimiterWaits()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == TumblebugMetrics.MeterName && instrument.Name == TumblebugMetrics.RateLimitWaitName)
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
            {
                string? limit = null, infra = null;
                foreach (var tag in tags)
                {
                    if (tag.Key == TumblebugMetrics.LimitTag) limit = tag.Value as string;
                    else if (tag.Key == TumblebugMetrics.InfraTag) infra = tag.Value as string;
                }
                _totals.AddOrUpdate($"{limit}/{infra}", (1, seconds, seconds), (_, t) => (t.Count + 1, t.Seconds + seconds, Math.Max(t.Longest, seconds)));
            });
            _listener.Start();
        }

        public (int Count, double Seconds, double Longest) InfraReads(string infra) =>
            _totals.GetValueOrDefault($"{TumblebugMetrics.InfraReads}/{infra}");

        public (int Count, double Seconds, double Longest) Calls => _totals.GetValueOrDefault($"{TumblebugMetrics.Calls}/");

        public void Dispose() => _listener.Dispose();
    }

    private static async Task<TimeSpan> RunOnceAsync(int count, bool report)
    {
        var stateDir = Directory.CreateTempSubdirectory("ladybug-bench-sandbox-").FullName;
        var dataDir = Directory.CreateTempSubdirectory("ladybug-bench-engine-").FullName;
        await using var sandbox = await BenchSetup.StartSandboxAsync(stateDir);
        using var host = BenchSetup.BuildEngine(sandbox, dataDir, new Dictionary<string, string?>
        {
            // Every cluster's job runs at once (the default cap is 8): the figure is about Tumblebug, not the job queue.
            ["Ladybug:Engine:MaxConcurrentJobs"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var waits = new LimiterWaits();
        await host.StartAsync();
        try
        {
            var clusters = host.Services.GetRequiredService<ClusterService>();
            var queries = host.Services.GetRequiredService<ClusterQueries>();
            var clock = Stopwatch.StartNew();
            var started = DateTimeOffset.UtcNow;
            var created = new List<Guid>();
            for (var i = 1; i <= count; i++)
            {
                created.Add((await clusters.CreateAsync(new ClusterSpec
                {
                    Name = $"bench-{count}-{i}",
                    KubernetesVersion = "1.23.17",
                    Cni = Cni.Kilo,
                    ControlPlane = new() { Connection = "aws-ap-northeast-1", Spec = "t3.medium", Count = 1 },
                    WorkerPools = [new() { Connection = "gcp-europe-west2", Spec = "e2-medium", Count = 2 }],
                })).Id);
            }
            var done = new Dictionary<Guid, TimeSpan>();
            while (done.Count < created.Count)
            {
                foreach (var id in created.Where(id => !done.ContainsKey(id)))
                {
                    var cluster = (await queries.GetAsync(id))!;
                    if (cluster.Phase == ClusterPhase.Failed)
                        throw new InvalidOperationException($"Cluster {cluster.Name} FAILED after {clock.Elapsed.TotalSeconds:0.0} s ({cluster.Reason}): {cluster.Message}");
                    if (cluster.Phase == ClusterPhase.Provisioned) done[id] = clock.Elapsed;
                }
                await Task.Delay(200);
            }
            var all = clock.Elapsed;
            if (report)
            {
                var requests = sandbox.Control.Requests;
                var infraReads = requests.Count(r => r.Method == "GET" && r.Path.Split('/', StringSplitOptions.RemoveEmptyEntries) is ["ns", _, "infra", _]);
                Console.WriteLine($"{count} cluster(s) of 1 control plane + 2 workers created at once: all Provisioned after {all.TotalSeconds:0.0} s " +
                    $"(first {done.Values.Min().TotalSeconds:0.0} s, mean {done.Values.Average(t => t.TotalSeconds):0.0} s)");
                Console.WriteLine($"  Tumblebug calls: {requests.Count}, of which single-Infra reads {infraReads} ({infraReads / all.TotalSeconds:0.00}/s); " +
                    $"answered 429: {requests.Count(r => r.StatusCode == 429)}" +
                    string.Concat(requests.Where(r => r.StatusCode == 429).Select(r => $" [{r.Method} {r.Path}{r.Query}]")));
                Console.WriteLine($"  load average: {LoadAverage()}");
                await ReportTimelinesAsync(host.Services, created, started, done, requests, waits);
            }
            return all;
        }
        finally
        {
            await host.StopAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
        }
    }
}
