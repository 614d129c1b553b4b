using Ladybug.Tests.Support;
using Microsoft.Playwright;

namespace Ladybug.Tests.E2E.Journeys;

/// <summary>
/// Journey: a Provisioned cluster is watched live. kubectl with the downloaded kubeconfig lists every node Ready with
/// its CSP and region; a worker's VM powered off turns its node Unknown and the cluster Degraded on the cluster page, its
/// map, the dashboard (nodes by health and its map) and in the API, and powered on again Healthy everywhere.
/// </summary>
public sealed class ClusterWatchJourneyTests(WatchSandboxConsole console) : IClassFixture<WatchSandboxConsole>
{
    private const string Name = "watched";
    private const string CspLabel = "topology.cloud-barista.github.io/csp";
    private const string RegionLabel = "topology.kubernetes.io/region";

    [Fact]
    public async Task KubectlSeesEveryNodeReadyAndAStoppedWorkerDegradesTheClusterUntilItIsStartedAgain()
    {
        using var api = new ConsoleApi(console.BaseAddress);
        await api.CreateClusterAsync(Name, new("aws-ap-northeast-1", "t3.medium"), new("gcp-europe-west2", "e2-medium", 2));
        await api.WaitForAsync(Name, c => c.Status.Phase is "Provisioned" or "Failed", TimeSpan.FromMinutes(3));

        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        // A context of its own (not Browser.NewPageAsync's one-page context): the dashboard opens beside the cluster page, signed in.
        await using var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 }, AcceptDownloads = true });
        var page = await context.NewPageAsync();
        var journey = new Journey("8-cluster-watch", page);
        await Browser.SignInAsync(page, console.Host, $"/clusters/default/{Name}");
        await Browser.WaitInteractiveAsync(page);
        await ClusterPage.ExpectPhaseAsync(page, "Provisioned", 10_000);
        await Assertions.Expect(page.GetByTestId("cluster-health")).ToHaveAttributeAsync("data-health", "Healthy", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=node-readiness][data-readiness=Ready]")).ToHaveCountAsync(3, new() { Timeout = 30_000 });
        await journey.StepAsync("healthy");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-kubeconfig").ClickAsync());
        var kubeconfig = await download.PathAsync();
        var table = Rows(await Kubectl.RunAsync(kubeconfig, "get", "nodes", "-L", $"{CspLabel},{RegionLabel}"));
        Assert.Equal(["NAME", "STATUS", "ROLES", "AGE", "VERSION", "CSP", "REGION"], table[0]);
        Assert.Equal(["cp-1 Ready aws ap-northeast-1", "w1-1 Ready gcp europe-west2", "w1-2 Ready gcp europe-west2"],
            table.Skip(1).Select(r => $"{r[0]} {r[1]} {r[5]} {r[6]}").Order().ToArray());

        var worker = (await console.Sandbox.MachinesOfAsync(Name)).Single(m => m.NodeId == "w1-2");
        IPage? dashboard = null;
        await console.Sandbox.PowerAsync(worker, on: false);
        try
        {
            var row = page.Locator("tbody tr").Filter(new() { HasText = "w1-2" });
            await Assertions.Expect(row.GetByTestId("node-readiness")).ToHaveAttributeAsync("data-readiness", "Unknown", new() { Timeout = 30_000 });
            await Assertions.Expect(row.GetByTestId("node-readiness-reason")).ToContainTextAsync("NodeStatusUnknown");
            await Assertions.Expect(page.GetByTestId("cluster-health")).ToHaveAttributeAsync("data-health", "Degraded");
            var degraded = await api.ClusterAsync(Name);
            Assert.Equal("Degraded", degraded.Status.Health);
            Assert.Matches(@"^node w1-2 Unknown since \d\d:\d\d \(NodeStatusUnknown\)$", degraded.Status.HealthReason);
            Assert.Equal(("Unknown", "NodeStatusUnknown"), degraded.Nodes.Where(n => n.Name == "w1-2").Select(n => (n.Readiness, n.ReadinessReason)).Single());
            Assert.Equal("NotReady", Rows(await Kubectl.RunAsync(kubeconfig, "get", "nodes", "w1-2"))[1][1]);
            await ClusterPage.OpenTabAsync(page, "Map");
            var london = page.Locator("[data-testid=map-marker][data-region=europe-west2]");
            await Assertions.Expect(london).ToHaveAttributeAsync("data-not-ready", "1");
            await journey.StepAsync("degraded");

            // The dashboard, signed in through the same browser context, counts the node by its health and marks its region.
            dashboard = await context.NewPageAsync();
            await dashboard.GotoAsync(new Uri(console.BaseAddress, "/").ToString());
            await Browser.WaitInteractiveAsync(dashboard);
            await Assertions.Expect(ReadinessCount(dashboard, "Unknown")).ToHaveTextAsync("1", new() { Timeout = 30_000 });
            await Assertions.Expect(ReadinessCount(dashboard, "Ready")).ToHaveTextAsync("2");
            await Assertions.Expect(dashboard.Locator("[data-testid=map-marker][data-region=europe-west2]")).ToHaveAttributeAsync("data-not-ready", "1");
            await journey.StepAsync("dashboard-degraded", dashboard);
        }
        finally
        {
            await console.Sandbox.PowerAsync(worker, on: true);
        }

        await Assertions.Expect(page.GetByTestId("cluster-health")).ToHaveAttributeAsync("data-health", "Healthy", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=map-marker][data-region=europe-west2]")).ToHaveAttributeAsync("data-not-ready", "0");
        var healthy = await api.ClusterAsync(Name);
        Assert.Equal(("Healthy", ""), (healthy.Status.Health, healthy.Status.HealthReason));
        Assert.All(healthy.Nodes, n => Assert.Equal("Ready", n.Readiness));
        await journey.StepAsync("healthy-again");

        // The open dashboard follows the cluster watch without a reload.
        Assert.NotNull(dashboard);
        await Assertions.Expect(ReadinessCount(dashboard, "Unknown")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await Assertions.Expect(ReadinessCount(dashboard, "Ready")).ToHaveTextAsync("3");
        await Assertions.Expect(dashboard.Locator("[data-testid=map-marker][data-region=europe-west2]")).ToHaveAttributeAsync("data-not-ready", "0");
    }

    /// <summary>The number the dashboard's "Nodes by health" shows for <paramref name="readiness"/>.</summary>
    private static ILocator ReadinessCount(IPage page, string readiness) =>
        page.Locator($"[data-testid=readiness-count][data-readiness={readiness}] > b");

    private static List<string[]> Rows(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
}

/// <summary>A console whose sandbox marks a silent node Unknown after 2 s (kube-controller-manager waits 40 s) and whose watch retries fast.</summary>
public sealed class WatchSandboxConsole : SandboxConsole
{
    public WatchSandboxConsole()
    {
        Settings["Ladybug:Sandbox:NodeMonitorGracePeriod"] = "00:00:02";
        Settings["Ladybug:Watch:RequestTimeout"] = "00:00:03";
        Settings["Ladybug:Watch:RetryDelay"] = "00:00:00.200";
        Settings["Ladybug:Watch:MaxRetryDelay"] = "00:00:02";
    }
}
