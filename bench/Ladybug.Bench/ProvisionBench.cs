using System.Diagnostics;
using Ladybug.Engine.Bootstrap;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Persistence;
using Ladybug.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Ladybug.Bench;

/// <summary>
/// 1 control plane + N workers provisioned by the real engine in the sandbox cloud, with a fixed simulated latency per
/// step. Compares the bootstrap's wall time (first prepare to stored kubeconfig) with the plan's critical path — the
/// sum of the latencies on its longest dependency chain: prepare → public-ip → init → cni → ⌈N / join parallelism⌉
/// waves of worker joins → label → wait-ready → overlay-addresses → pod-network (every node at once) → fetch-kubeconfig. The ratio is what the engine (and the sandbox's
/// sshd and simulator processes, on this machine's cores) add; the target is ≤ 1.10 at N = 50.
/// </summary>
public static class ProvisionBench
{
    /// <summary>Fixed simulated latencies, long enough that process start-up on a small machine is noise, not signal.</summary>
    public static readonly IReadOnlyDictionary<string, TimeSpan> Latencies = new Dictionary<string, TimeSpan>
    {
        ["prepare"] = TimeSpan.FromSeconds(5),
        ["public-ip"] = TimeSpan.FromSeconds(2),
        ["kubeadm-init"] = TimeSpan.FromSeconds(5),
        ["cni"] = TimeSpan.FromSeconds(3),
        ["join-worker"] = TimeSpan.FromSeconds(4),
        ["label"] = TimeSpan.FromSeconds(2),
        ["wait-ready"] = TimeSpan.FromSeconds(3),
        ["overlay-addresses"] = TimeSpan.FromSeconds(1),
        ["pod-network"] = TimeSpan.FromSeconds(2),
        ["fetch-kubeconfig"] = TimeSpan.FromSeconds(2),
    };

    public static async Task RunAsync(IReadOnlyList<int> workerCounts)
    {
        // The console is a long-running server: what it adds to a cluster's critical path is measured once its code is
        // compiled. A first, unreported run pays the JIT (cold, N = 50 measured 1.17 against 1.11 warm).
        var warmUp = Stopwatch.StartNew();
        await RunOnceAsync(1, report: false);
        Console.WriteLine($"Warm-up (1 control plane + 1 worker, not reported: first use of every code path): {warmUp.Elapsed.TotalSeconds:0.0} s");
        foreach (var workers in workerCounts)
            await RunOnceAsync(workers, report: true);
    }

    private static async Task RunOnceAsync(int workers, bool report)
    {
        var stateDir = Directory.CreateTempSubdirectory("ladybug-bench-sandbox-").FullName;
        var dataDir = Directory.CreateTempSubdirectory("ladybug-bench-engine-").FullName;
        await using var sandbox = await BenchSetup.StartSandboxAsync(stateDir);
        using var host = BenchSetup.BuildEngine(sandbox, dataDir);
        await host.StartAsync();
        try
        {
            var parallelism = host.Services.GetRequiredService<IOptions<BootstrapOptions>>().Value.WorkerJoinParallelism;
            var clusters = host.Services.GetRequiredService<ClusterService>();
            var queries = host.Services.GetRequiredService<ClusterQueries>();
            var clock = Stopwatch.StartNew();
            var created = await clusters.CreateAsync(new ClusterSpec
            {
                Name = $"bench-{workers}",
                KubernetesVersion = "1.23.17",
                Cni = Cni.Kilo,
                ControlPlane = new() { Connection = "aws-ap-northeast-1", Spec = "t3.medium", Count = 1 },
                WorkerPools =
                [
                    new() { Connection = "gcp-europe-west2", Spec = "e2-medium", Count = (workers + 1) / 2 },
                    .. workers / 2 > 0 ? [new NodePoolSpec { Connection = "azure-koreacentral", Spec = "Standard_B2s", Count = workers / 2 }] : Array.Empty<NodePoolSpec>(),
                ],
            });
            ClusterView cluster;
            var (maxThreads, maxQueued) = (0, 0L);
            while (true)
            {
                cluster = (await queries.GetAsync(created.Id))!;
                if (cluster.Phase is ClusterPhase.Provisioned or ClusterPhase.Failed) break;
                (maxThreads, maxQueued) = (Math.Max(maxThreads, ThreadPool.ThreadCount), Math.Max(maxQueued, ThreadPool.PendingWorkItemCount));
                await Task.Delay(200);
            }
            var total = clock.Elapsed;
            if (cluster.Phase == ClusterPhase.Failed)
                throw new InvalidOperationException($"Provision N={workers}: FAILED after {total.TotalSeconds:0.0} s ({cluster.Reason}): {cluster.Message}");
            if (!report) return;
            await ReportAsync(host.Services, created.Id, workers, parallelism, total);
            Console.WriteLine($"  thread pool during the run (engine and sandbox share this process): at most {maxThreads} threads, {maxQueued} queued work items");
            await MeasureRoundTripsAsync(host.Services, created.Id);
            await MeasureSandboxPrepareAsync(host.Services, created.Id);
        }
        finally
        {
            await host.StopAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>The floor under every step: a step that does nothing, over the connection the engine keeps (the simulator process still starts).</summary>
    private static async Task MeasureRoundTripsAsync(IServiceProvider services, Guid clusterId)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<LadybugDbContext>>().CreateDbContextAsync();
        var leader = await db.Nodes.AsNoTracking().FirstAsync(n => n.ClusterId == clusterId && n.Role == NodeRole.ControlPlane);
        var key = services.GetRequiredService<Ladybug.Engine.Secrets.ISecretSealer>().Unseal(leader.SealedSshPrivateKey!);
        var target = new RemoteHost(leader.Name, leader.PublicIp!, leader.SshPort, leader.SshUser, key, leader.HostKeyFingerprint);
        var shell = services.GetRequiredService<IRemoteShell>();
        var step = new BootstrapStep("facts", FailureReason.InternalError);
        var facts = new RenderedScript(step, $"#!/usr/bin/env bash\n{step.Marker}\n", [], []);
        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            var result = await shell.RunAsync(target, facts, _ => { }, CancellationToken.None);
            if (!result.Succeeded) throw new InvalidOperationException($"facts exited {result.ExitCode}");
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"  floor: a no-latency step on the leader over its kept SSH connection (simulator start-up and the engine), 5 in a row: " +
            $"mean {times.Average():0} ms, min {times.Min():0} ms; machine load average now {File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} cores");
    }

    /// <summary>
    /// The sandbox's own floor for the widest step, without the engine: every node connects afresh (SSH.NET with the
    /// engine's client settings) and runs prepare again (it is repeatable), all at once. What this takes beyond
    /// prepare's latency is the cost of 51 SSH handshakes, sshd sessions and simulated steps on this machine, not of
    /// the engine.
    /// </summary>
    private static async Task MeasureSandboxPrepareAsync(IServiceProvider services, Guid clusterId)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<LadybugDbContext>>().CreateDbContextAsync();
        var cluster = await db.Clusters.AsNoTracking().Include(c => c.Nodes).SingleAsync(c => c.Id == clusterId);
        var nodes = cluster.Nodes.Where(n => n.DeletedAt is null).ToList();
        var facts = ClusterFacts.From(cluster, nodes, services.GetRequiredService<IOptions<BootstrapOptions>>().Value.ApiEndpointHost);
        var renderer = services.GetRequiredService<BootstrapScriptRenderer>();
        var sealer = services.GetRequiredService<Ladybug.Engine.Secrets.ISecretSealer>();
        var ssh = services.GetRequiredService<IOptions<SshOptions>>().Value;
        var clock = Stopwatch.StartNew();
        var marks = new System.Collections.Concurrent.ConcurrentBag<(double Connected, double Done)>();
        await Task.WhenAll(nodes.Select(node => Task.Factory.StartNew(() =>
        {
            var script = renderer.Prepare(facts, NodeFacts.From(node));
            var key = new Renci.SshNet.PrivateKeyFile(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(sealer.Unseal(node.SealedSshPrivateKey!))));
            using var client = SshRemoteShell.CreateClient(new RemoteHost(node.Name, node.PublicIp!, node.SshPort, node.SshUser, "", null), key, ssh);
            client.Connect();
            var connected = clock.Elapsed.TotalMilliseconds;
            using var command = client.CreateCommand(script.CommandLine);
            var running = command.BeginExecute();
            using (var stdin = command.CreateInputStream())
                stdin.Write(System.Text.Encoding.UTF8.GetBytes(script.Text));
            command.EndExecute(running);
            marks.Add((connected, clock.Elapsed.TotalMilliseconds));
            if (command.ExitStatus != 0) throw new InvalidOperationException($"prepare on {node.Name} exited {command.ExitStatus}: {command.Error}");
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)));
        var m = marks.ToList();
        Console.WriteLine($"  sandbox floor without the engine: {nodes.Count} fresh SSH connections each running prepare ({Latencies["prepare"].TotalSeconds:0} s) at once: " +
            $"{clock.Elapsed.TotalSeconds:0.00} s; connected {marks.Min(x => x.Connected):0}–{marks.Max(x => x.Connected):0} ms after the start " +
            $"(the handshakes queue for the CPU), each prepare then took {marks.Min(x => x.Done - x.Connected):0}–{marks.Max(x => x.Done - x.Connected):0} ms");
    }

    private static async Task ReportAsync(IServiceProvider services, Guid clusterId, int workers, int parallelism, TimeSpan total)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<LadybugDbContext>>().CreateDbContextAsync();
        var steps = await db.JobSteps.AsNoTracking().Where(s => db.Jobs.Any(j => j.Id == s.JobId && j.ClusterId == clusterId)).ToListAsync();
        var planSteps = steps.Where(s => s.NodeName is null).ToDictionary(s => s.Name);
        var bootstrapStart = planSteps["prepare-nodes"].StartedAt;
        var bootstrapEnd = planSteps["fetch-kubeconfig"].FinishedAt!.Value;
        var wall = bootstrapEnd - bootstrapStart;

        var waves = (workers + parallelism - 1) / parallelism;
        var critical = Latencies["prepare"] + Latencies["public-ip"] + Latencies["kubeadm-init"] + Latencies["cni"]
            + Latencies["join-worker"] * waves + Latencies["label"] + Latencies["wait-ready"]
            + Latencies["overlay-addresses"] + Latencies["pod-network"] + Latencies["fetch-kubeconfig"];

        Console.WriteLine($"Provision 1 control plane + {workers} workers (worker joins {parallelism} at a time: {waves} wave(s))");
        Console.WriteLine($"  create → Provisioned: {total.TotalSeconds:0.0} s; machines: {(bootstrapStart - planSteps["resolve"].StartedAt).TotalSeconds:0.0} s");
        Console.WriteLine($"  bootstrap wall time (first prepare → kubeconfig stored): {wall.TotalSeconds:0.00} s");
        Console.WriteLine($"  critical path (sum of simulated latencies):           {critical.TotalSeconds:0.00} s");
        Console.WriteLine($"  ratio: {wall / critical:0.000}");
        // Where the rest went: time on the way from first prepare to kubeconfig with no SSH session of the job open is
        // the engine's alone (plan steps, database, scheduling); the rest is inside sessions (SSH, sshd, simulator).
        var sessions = steps.Where(s => s.NodeName is not null && s.FinishedAt is not null && s.StartedAt >= bootstrapStart && s.FinishedAt <= bootstrapEnd)
            .Select(s => (Start: s.StartedAt, End: s.FinishedAt!.Value)).OrderBy(i => i.Start).ToList();
        var covered = TimeSpan.Zero;
        var (from, to) = (bootstrapStart, bootstrapStart);
        foreach (var (start, end) in sessions)
        {
            if (start > to) { covered += to - from; (from, to) = (start, end); }
            else if (end > to) to = end;
        }
        covered += to - from;
        Console.WriteLine($"  engine alone (no SSH session open): {(wall - covered).TotalSeconds:0.00} s; inside SSH sessions beyond their latency: {(covered - critical).TotalSeconds:0.00} s");
        foreach (var plan in planSteps.Values.Where(s => s.StartedAt >= bootstrapStart).OrderBy(s => s.StartedAt))
            Console.WriteLine($"    {plan.Name,-20} {((plan.FinishedAt ?? plan.StartedAt) - plan.StartedAt).TotalSeconds,7:0.00} s");
        var prepares = steps.Where(s => s.NodeName is not null && s.Name == "prepare").Select(s => (s.StartedAt - bootstrapStart).TotalMilliseconds).ToList();
        var publicIps = steps.Where(s => s.NodeName is not null && s.Name == "public-ip" && s.FinishedAt is not null)
            .Select(s => (s.FinishedAt!.Value - bootstrapStart).TotalMilliseconds).ToList();
        Console.WriteLine($"  fan-out: node prepares started {prepares.Min():0}–{prepares.Max():0} ms after the plan step; " +
            $"public-ips ended {publicIps.Min():0}–{publicIps.Max():0} ms after it");
        var overlayEnd = steps.Single(s => s.NodeName is not null && s.Name == "overlay-addresses").FinishedAt!.Value;
        var checks = steps.Where(s => s.NodeName is not null && s.Name == "pod-network" && s.FinishedAt is not null).ToList();
        Console.WriteLine($"  pod-network: overlay-addresses began {(steps.Single(s => s.NodeName is not null && s.Name == "overlay-addresses").StartedAt - planSteps["pod-network"].StartedAt).TotalMilliseconds:0} ms into the plan step; " +
            $"node checks started {checks.Min(s => (s.StartedAt - overlayEnd).TotalMilliseconds):0}–{checks.Max(s => (s.StartedAt - overlayEnd).TotalMilliseconds):0} ms after it ended, " +
            $"ended {checks.Max(s => (s.FinishedAt!.Value - overlayEnd).TotalMilliseconds):0} ms after it; plan step ended {(planSteps["pod-network"].FinishedAt!.Value - overlayEnd).TotalMilliseconds:0} ms after it");
        Console.WriteLine("  per-node step overhead over its latency (SSH connect, simulator start, engine) mean / max:");
        foreach (var group in steps.Where(s => s.NodeName is not null && s.FinishedAt is not null && Latencies.ContainsKey(s.Name)).GroupBy(s => s.Name))
        {
            var overheads = group.Select(s => (s.FinishedAt!.Value - s.StartedAt - Latencies[s.Name]).TotalMilliseconds).ToList();
            Console.WriteLine($"    {group.Key,-20} ×{overheads.Count,-3} {overheads.Average(),7:0} ms / {overheads.Max(),7:0} ms");
        }
    }
}
