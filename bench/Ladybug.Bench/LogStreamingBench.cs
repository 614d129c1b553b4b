using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Serialization;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Jobs;
using Ladybug.Engine.Persistence;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Bench;

/// <summary>
/// A synthetic job appends 2,000 lines/s for 30 s through IJobLog (where the SSH reader hands lines over).
/// Measures append → receipt by a SignalR .NET client (p50/p95/p99, lost and duplicated lines), and
/// append → the line's element appearing in Chromium's DOM on the cluster page's log view (p95).
/// </summary>
public static class LogStreamingBench
{
    public static async Task RunAsync(int linesPerSecond, int seconds)
    {
        await using var console = new BenchConsole();
        var baseAddress = console.BaseAddress;
        var clusterId = await SeedClusterAsync(console.Services);
        var log = console.Services.GetRequiredService<IJobLog>();

        var received = new ConcurrentDictionary<long, double>();
        var duplicates = 0;
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, "hubs/provisioning"), o => o.Headers["Authorization"] = "Basic " + BenchConsole.BasicCredentials)
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .Build();
        hub.On<LogLinesAppended>("LogLines", e =>
        {
            var now = DateTimeOffset.UtcNow;
            foreach (var line in e.Lines)
                if (!received.TryAdd(line.Sequence, (now - line.Time).TotalMilliseconds)) Interlocked.Increment(ref duplicates);
        });
        await hub.StartAsync();
        await hub.InvokeAsync("Subscribe", "default", "bench", 0L);

        var (playwright, browser) = await BenchConsole.LaunchChromiumAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        await console.SignInAsync(page, "/clusters/default/bench?tab=logs");
        await page.Locator("[data-testid=log-view]").WaitForAsync();
        // Record when each line's element first appears (browser clock = server clock: same machine).
        await page.EvaluateAsync("""
            () => {
              window.__seen = {};
              const box = document.querySelector('.log-lines');
              new MutationObserver(records => {
                const now = Date.now();
                const mark = l => { const s = l.dataset && l.dataset.seq; if (s && !(s in window.__seen)) window.__seen[s] = now; };
                for (const r of records) {
                  // The virtualiser reuses row elements: a new line is often an existing row with a new data-seq.
                  if (r.type === 'attributes') { mark(r.target); continue; }
                  for (const n of r.addedNodes) {
                    if (n.nodeType !== 1) continue;
                    if (n.matches('.log-line')) mark(n);
                    n.querySelectorAll('.log-line').forEach(mark);
                  }
                }
              }).observe(box, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-seq'] });
            }
            """);

        var appendedAt = new Dictionary<long, long>();
        var total = linesPerSecond * seconds;
        const int ticksPerSecond = 100;
        var perTick = linesPerSecond / ticksPerSecond;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            if (i % perTick == 0)
            {
                var due = TimeSpan.FromSeconds((double)i / linesPerSecond);
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait);
            }
            log.Append(clusterId, null, $"node-{i % 8}", "bench", LogStream.Stdout, $"synthetic line {i} of {total}: kubeadm would say something here");
        }
        var sendSeconds = clock.Elapsed.TotalSeconds;
        await log.FlushAsync();
        var drain = Stopwatch.StartNew();
        while (received.Count < total && drain.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(50);
        await Task.Delay(1000);

        var lines = await log.ReadAsync(clusterId, 0, total + 10);
        var appended = lines.ToDictionary(l => l.Sequence, l => l.Time.ToUnixTimeMilliseconds());
        var seen = await page.EvaluateAsync<Dictionary<string, double>>("() => window.__seen");
        var dom = seen.Where(s => appended.ContainsKey(long.Parse(s.Key))).Select(s => s.Value - appended[long.Parse(s.Key)]).ToList();
        var lost = total - received.Count;

        Console.WriteLine($"Log streaming: {total:N0} lines at {linesPerSecond:N0}/s for {seconds} s (sent in {sendSeconds:0.0} s)");
        Console.WriteLine($"  append → SignalR .NET client: {Stats.Summary([.. received.Values])}");
        Console.WriteLine($"  lines lost: {lost:N0}, duplicated: {duplicates:N0}, stored: {lines.Count:N0}");
        Console.WriteLine($"  append → Chromium DOM (log view, follow on): {Stats.Summary(dom)}");
        Console.WriteLine($"  log view shows: {await page.Locator("[data-testid=log-count]").InnerTextAsync()}");
        Console.WriteLine($"  console process RSS after run: {Stats.RssMiB():0} MiB");
    }

    private static async Task<Guid> SeedClusterAsync(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<LadybugDbContext>>().CreateDbContextAsync();
        var cluster = new Cluster { Name = "bench", KubernetesVersion = "1.34.2", Phase = ClusterPhase.Provisioning, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
        db.Clusters.Add(cluster);
        // A running job whose lease another replica holds for the whole run: the page follows its live log, and this
        // console's runner leaves it alone (it took the job over once, ran a create with no pools and added its own
        // failure lines to the measured log).
        db.Jobs.Add(new Job
        {
            ClusterId = cluster.Id, Kind = JobKind.Create, State = JobState.Running, CurrentStep = "bench", CreatedAt = DateTimeOffset.UtcNow,
            StartedAt = DateTimeOffset.UtcNow, Owner = "log-bench-writer", LeaseExpiresAt = DateTimeOffset.UtcNow.AddDays(1),
        });
        await db.SaveChangesAsync();
        return cluster.Id;
    }
}
