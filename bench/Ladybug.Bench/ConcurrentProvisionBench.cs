using System.Diagnostics;
using Ladybug.Engine;
using Ladybug.Engine.Bootstrap;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Infrastructure.Tumblebug;
using Ladybug.Sandbox;
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

    private static async Task<TimeSpan> RunOnceAsync(int count, bool report)
    {
        var stateDir = Directory.CreateTempSubdirectory("ladybug-bench-sandbox-").FullName;
        var dataDir = Directory.CreateTempSubdirectory("ladybug-bench-engine-").FullName;
        await using var sandbox = await SandboxCloud.StartAsync(new SandboxOptions
        {
            StateDir = stateDir,
            VmCreateDelay = TimeSpan.FromSeconds(1),
            InitializationDelay = TimeSpan.Zero, // the bench measures provisioning, not Tumblebug's start-up
            StepLatencies = new Dictionary<string, TimeSpan>(ProvisionBench.Latencies),
        });
        if (sandbox.Problem is { } problem) throw new InvalidOperationException(problem);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ladybug:DataDir"] = dataDir,
            ["Ladybug:Tumblebug:Url"] = sandbox.TumblebugUrl.ToString(),
            ["Ladybug:Tumblebug:User"] = sandbox.User,
            ["Ladybug:Tumblebug:Password"] = sandbox.Password,
            ["Ladybug:Tumblebug:PollInterval"] = "00:00:00.500",
            // Every cluster's job runs at once (the default cap is 8): the figure is about Tumblebug, not the job queue.
            ["Ladybug:MaxConcurrentJobs"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        builder.AddLadybugEngine();
        builder.AddTumblebugInfrastructure();
        builder.AddLadybugBootstrap();
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var clusters = host.Services.GetRequiredService<ClusterService>();
            var queries = host.Services.GetRequiredService<ClusterQueries>();
            var clock = Stopwatch.StartNew();
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
