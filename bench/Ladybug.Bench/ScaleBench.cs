using System.Diagnostics;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Persistence;
using Ladybug.Web.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Bench;

/// <summary>
/// 100 clusters × 1,000 nodes seeded into SQLite. Measures the server's time to render the Dashboard and
/// Clusters pages (prerendered HTML over HTTP, and the queries behind them), the time until the data is
/// visible in Chromium, and the console process's RSS.
/// </summary>
public static class ScaleBench
{
    private static readonly (string Csp, string Region, double Lat, double Lon)[] Regions =
    [
        ("aws", "ap-northeast-1", 35.68, 139.77), ("aws", "us-east-1", 38.13, -78.45), ("aws", "eu-west-1", 53.35, -6.26),
        ("gcp", "europe-west2", 51.51, -0.13), ("gcp", "us-central1", 41.26, -95.86), ("gcp", "asia-northeast3", 37.57, 126.98),
        ("azure", "koreacentral", 37.57, 126.98), ("azure", "westeurope", 52.37, 4.90), ("alibaba", "ap-southeast-1", 1.35, 103.82),
        ("tencent", "ap-guangzhou", 23.13, 113.26), ("ibm", "us-south", 32.78, -96.80), ("ncp", "kr", 37.40, 127.10),
    ];

    public static async Task RunAsync(int clusters, int nodesPerCluster)
    {
        await using var console = new BenchConsole();
        Console.WriteLine($"Console listening on {console.BaseAddress}");
        var seed = Stopwatch.StartNew();
        await SeedAsync(console.Services, clusters, nodesPerCluster);
        Console.WriteLine($"Scale: seeded {clusters} clusters × {nodesPerCluster:N0} nodes in {seed.Elapsed.TotalSeconds:0.0} s");

        var queries = console.Services.GetRequiredService<ConsoleQueries>();
        await queries.DashboardAsync();
        Console.WriteLine($"  dashboard queries: {await TimeAsync(() => queries.DashboardAsync())}");
        Console.WriteLine($"  cluster list page queries (25 rows): {await TimeAsync(() => queries.ClustersAsync(new ClusterListQuery(0, 25)))}");

        using var http = new HttpClient { BaseAddress = console.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Basic", BenchConsole.BasicCredentials);
        foreach (var path in new[] { "/", "/clusters" })
        {
            var response = await http.GetAsync(path);
            response.EnsureSuccessStatusCode();
            Console.WriteLine($"  server render of {path} (prerendered HTML): {await TimeAsync(async () => (await http.GetAsync(path)).EnsureSuccessStatusCode())}");
        }

        var (playwright, browser) = await BenchConsole.LaunchChromiumAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        await console.SignInAsync(page, "/");
        Console.WriteLine($"  Chromium: dashboard with map visible: {await TimeInBrowserAsync(page, console.BaseAddress, "/", "[data-testid=map-marker]")}");
        Console.WriteLine($"  Chromium: clusters table with rows visible: {await TimeInBrowserAsync(page, console.BaseAddress, "/clusters", "[data-testid=cluster-link]")}");
        var markers = await page.GotoAsync(new Uri(console.BaseAddress, "/").ToString()) is not null ? await page.Locator("[data-testid=map-marker]").CountAsync() : 0;
        Console.WriteLine($"  dashboard map markers: {markers}");
        Console.WriteLine($"  console process RSS (server, after renders): {Stats.RssMiB():0} MiB");
    }

    /// <summary>Navigation start until the selector is in the page: circuit start, queries and rendering together.</summary>
    private static async Task<string> TimeInBrowserAsync(Microsoft.Playwright.IPage page, Uri baseAddress, string path, string selector, int runs = 5)
    {
        var values = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            await page.GotoAsync(new Uri(baseAddress, path).ToString());
            await page.Locator(selector).First.WaitForAsync();
            values.Add(clock.Elapsed.TotalMilliseconds);
        }
        return Stats.Summary(values);
    }

    private static async Task<string> TimeAsync(Func<Task> action, int runs = 10)
    {
        var values = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            await action();
            values.Add(clock.Elapsed.TotalMilliseconds);
        }
        return Stats.Summary(values);
    }

    private static async Task SeedAsync(IServiceProvider services, int clusters, int nodesPerCluster)
    {
        var factory = services.GetRequiredService<IDbContextFactory<LadybugDbContext>>();
        var now = DateTimeOffset.UtcNow;
        for (var c = 0; c < clusters; c++)
        {
            await using var db = await factory.CreateDbContextAsync();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var cluster = new Cluster
            {
                Name = $"scale-{c:000}", KubernetesVersion = "1.34.2", Cni = c % 2 == 0 ? Cni.Kilo : Cni.Canal,
                Phase = c % 10 == 0 ? ClusterPhase.Provisioning : ClusterPhase.Provisioned, CreatedAt = now.AddMinutes(-c), UpdatedAt = now,
            };
            var pool = new NodePool { ClusterId = cluster.Id, Name = "w1", Role = NodeRole.Worker, Connection = "aws-ap-northeast-1", Count = nodesPerCluster, Spec = "m5.large", CreatedAt = now };
            cluster.Pools.Add(pool);
            db.Clusters.Add(cluster);
            for (var n = 0; n < nodesPerCluster; n++)
            {
                var region = Regions[(c + n % 4) % Regions.Length];
                db.Nodes.Add(new Node
                {
                    ClusterId = cluster.Id, PoolId = pool.Id, Name = $"scale-{c:000}-w1-{n}", Role = n == 0 ? NodeRole.ControlPlane : NodeRole.Worker,
                    Connection = $"{region.Csp}-{region.Region}", Csp = region.Csp, Region = region.Region, Zone = region.Region + "a",
                    Latitude = region.Lat, Longitude = region.Lon, PublicIp = $"198.51.{c % 256}.{n % 256}", PrivateIp = $"10.{c % 256}.{n / 256}.{n % 256}",
                    Spec = "m5.large", Status = NodeStatus.Ready, KubeletVersion = "v1.34.2", CreatedAt = now,
                });
            }
            db.Jobs.Add(new Job { ClusterId = cluster.Id, Kind = JobKind.Create, State = JobState.Succeeded, CreatedAt = now.AddMinutes(-c), FinishedAt = now });
            await db.SaveChangesAsync();
        }
    }
}
