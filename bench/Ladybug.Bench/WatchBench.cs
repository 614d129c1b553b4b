using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Ladybug.Engine;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Persistence;
using Ladybug.Engine.Secrets;
using Ladybug.Sandbox.KubeApi;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

using static Ladybug.Bench.WatchBenchClusters;

namespace Ladybug.Bench;

/// <summary>
/// The cluster watch at scale: <c>clusters</c> simulated clusters of <c>nodes</c> nodes each, their Kubernetes APIs
/// served by the sandbox's KubeApi code (one HTTPS server per cluster on 127.0.0.1) with injected node and pod objects,
/// registered as Provisioned clusters in a real SQLite database, watched by the engine's ClusterWatchService.
/// Measures the process's CPU and memory while idle and while 10% of the nodes flap between Ready and NotReady,
/// first with the API servers alone (baseline), then with the watch; the difference is the console's cost.
/// </summary>
internal static class WatchBench
{
    internal const int ControlPlanes = 3;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(20);
    /// <summary>Each flapping node changes state this often (staggered): 10% of 5,000 nodes → 50 changes a second.</summary>
    private static readonly TimeSpan FlapPeriod = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(int clusters, int nodes)
    {
        Console.WriteLine($"== watch: {clusters} clusters × {nodes} nodes, 10% flapping every {FlapPeriod.TotalSeconds:0} s, windows of {Window.TotalSeconds:0} s ==");
        var dataDir = Directory.CreateTempSubdirectory("ladybug-bench-watch-").FullName;
        var pki = new Pki();
        var simulated = new List<SimulatedCluster>();
        try
        {
            for (var i = 0; i < clusters; i++)
                simulated.Add(await SimulatedCluster.StartAsync($"w{i:D3}", nodes, pki));
            var flapping = simulated.SelectMany(c => c.Nodes.Where(n => !n.ControlPlane).Take(Math.Max(1, nodes / 10)).Select(n => (Cluster: c, Node: n))).ToList();

            await RegisterAsync(dataDir, simulated, pki);
            var baseIdle = await MeasureAsync("API servers alone, idle", null);
            var baseFlap = await MeasureAsync("API servers alone, flapping", ct => FlapAsync(flapping, ct));

            using var host = BuildEngine(dataDir, watch: true);
            var counts = new EventCounts();
            using var subscription = host.Services.GetRequiredService<IProvisioningEvents>().Subscribe(null, counts.Count);
            var started = Stopwatch.StartNew();
            await host.StartAsync();
            await WaitAllWatchedAsync(host, clusters * nodes);
            Console.WriteLine($"  every node recorded and every cluster Healthy {started.Elapsed.TotalSeconds:0.0} s after start ({counts.NodeChanged} NodeChanged)");
            counts.Reset();
            var idle = await MeasureAsync("with the watch, idle", null);
            var idleEvents = counts.NodeChanged;
            counts.Reset();
            var flap = await MeasureAsync("with the watch, flapping", ct => FlapAsync(flapping, ct));
            Console.WriteLine($"  events while idle: {idleEvents} NodeChanged; while flapping: {counts.NodeChanged} NodeChanged, {counts.Health} ClusterHealthChanged");
            Console.WriteLine($"  console's share: idle {idle.Cores - baseIdle.Cores:0.000} cores, +{idle.HeapMb - baseIdle.HeapMb:0} MB heap, +{idle.RssMb - baseIdle.RssMb:0} MB RSS; " +
                              $"flapping {flap.Cores - baseFlap.Cores:0.000} cores");
            await host.StopAsync();
        }
        finally
        {
            foreach (var cluster in simulated) await cluster.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private sealed record Sample(double Cores, double HeapMb, double RssMb);

    private static async Task<Sample> MeasureAsync(string what, Func<CancellationToken, Task>? load)
    {
        using var stop = new CancellationTokenSource(Window);
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        if (load is null) await Task.Delay(Window);
        else await load(stop.Token);
        process.Refresh();
        var cores = (process.TotalProcessorTime - cpuBefore).TotalSeconds / wall.Elapsed.TotalSeconds;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        process.Refresh();
        var sample = new Sample(cores, GC.GetTotalMemory(forceFullCollection: true) / 1048576.0, process.WorkingSet64 / 1048576.0);
        Console.WriteLine($"  {what,-32} CPU {sample.Cores:0.000} cores   heap {sample.HeapMb,6:0} MB   RSS {sample.RssMb,6:0} MB");
        return sample;
    }

    /// <summary>Flips each flapping node's Ready condition once per <see cref="FlapPeriod"/>, spread evenly over it.</summary>
    private static async Task FlapAsync(IReadOnlyList<(SimulatedCluster Cluster, SimNode Node)> flapping, CancellationToken cancellationToken)
    {
        var tick = TimeSpan.FromMilliseconds(100);
        var perTick = Math.Max(1, (int)Math.Ceiling(flapping.Count * tick.TotalMilliseconds / FlapPeriod.TotalMilliseconds));
        var next = 0;
        using var timer = new PeriodicTimer(tick);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                foreach (var group in Enumerable.Range(0, perTick).Select(_ => flapping[next++ % flapping.Count]).GroupBy(f => f.Cluster))
                {
                    foreach (var (_, node) in group) node.Ready = !node.Ready;
                    group.Key.Publish();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        // Every node Ready again, so the next phase starts from a Healthy fleet.
        foreach (var group in flapping.GroupBy(f => f.Cluster))
        {
            foreach (var (_, node) in group) node.Ready = true;
            group.Key.Publish();
        }
    }

    private static async Task WaitAllWatchedAsync(IHost host, int nodes)
    {
        var factory = host.Services.GetRequiredService<IDbContextFactory<LadybugDbContext>>();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            await using var db = await factory.CreateDbContextAsync();
            var recorded = await db.Nodes.CountAsync(n => n.Readiness == NodeReadiness.Ready);
            var healthy = await db.Clusters.CountAsync(c => c.Health == ClusterHealth.Healthy);
            if (recorded == nodes && healthy == await db.Clusters.CountAsync()) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{recorded}/{nodes} nodes recorded Ready, {healthy} clusters Healthy after 2 minutes");
            await Task.Delay(500);
        }
    }

    private sealed class EventCounts
    {
        private int _nodes, _health;
        public int NodeChanged => Volatile.Read(ref _nodes);
        public int Health => Volatile.Read(ref _health);

        public ValueTask Count(ProvisioningEvent e)
        {
            if (e is NodeChanged { Facts: not null }) Interlocked.Increment(ref _nodes);
            else if (e is ClusterHealthChanged) Interlocked.Increment(ref _health);
            return ValueTask.CompletedTask;
        }

        public void Reset()
        {
            Interlocked.Exchange(ref _nodes, 0);
            Interlocked.Exchange(ref _health, 0);
        }
    }

    /// <summary>Stores the simulated clusters as Provisioned (nodes Ready, sealed kubeconfig) with the watch off, as the create job leaves them.</summary>
    private static async Task RegisterAsync(string dataDir, IReadOnlyList<SimulatedCluster> clusters, Pki pki)
    {
        using var host = BuildEngine(dataDir, watch: false);
        await host.StartAsync();
        var sealer = host.Services.GetRequiredService<ISecretSealer>();
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<LadybugDbContext>>().CreateDbContextAsync())
        {
            var now = DateTimeOffset.UtcNow;
            foreach (var simulated in clusters)
            {
                var cluster = new Cluster
                {
                    Name = simulated.Name, KubernetesVersion = "1.30.14", Cni = Cni.Canal, PodCidr = "10.244.0.0/16", ServiceCidr = "10.96.0.0/12",
                    DnsDomain = "cluster.local", CreatedAt = now, UpdatedAt = now, InfraId = simulated.Name, LeaderNodeName = simulated.Nodes[0].Name,
                    ApiEndpoint = simulated.Server, SealedKubeconfig = sealer.Seal(pki.Kubeconfig(simulated.Server)),
                };
                cluster.SetPhase(ClusterPhase.Provisioned, now);
                var pool = new NodePool { ClusterId = cluster.Id, Name = "cp", Role = NodeRole.ControlPlane, Connection = "aws-ap-northeast-1", Count = simulated.Nodes.Count, Spec = "t3.medium", CreatedAt = now };
                cluster.Pools.Add(pool);
                foreach (var node in simulated.Nodes)
                    cluster.Nodes.Add(new Node
                    {
                        ClusterId = cluster.Id, PoolId = pool.Id, Name = node.Name, Role = node.ControlPlane ? NodeRole.ControlPlane : NodeRole.Worker,
                        Connection = node.Csp + "-" + node.Region, Csp = node.Csp, Region = node.Region, Status = NodeStatus.Ready, PublicIp = "127.0.0.1", CreatedAt = now,
                    });
                db.Clusters.Add(cluster);
            }
            await db.SaveChangesAsync();
        }
        await host.StopAsync();
    }

    private static IHost BuildEngine(string dataDir, bool watch)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ladybug:DataDir"] = dataDir,
            ["Ladybug:Watch:Enabled"] = watch ? "true" : "false",
        });
        builder.AddLadybugEngine();
        builder.AddLadybugBootstrap();
        return builder.Build();
    }
}
