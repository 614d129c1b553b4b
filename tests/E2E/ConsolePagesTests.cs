using System.Net;
using System.Text.RegularExpressions;
using Ladybug.Tests.Support;
using Microsoft.Playwright;

namespace Ladybug.Tests.E2E;

/// <summary>
/// The console's pages in Chromium against the real app in-process, with the cloud faked at the
/// IInfrastructure boundary and scripted provisioning steps (the real provisioner is another component).
/// </summary>
public sealed class ConsolePagesTests : IAsyncLifetime
{
    private readonly TestConsole _console = new(services => services.AddScriptedCloud(TimeSpan.FromMilliseconds(400), linesPerNode: 15));
    private IPlaywright _playwright = default!;
    private IBrowser _browser = default!;

    public async Task InitializeAsync() => (_playwright, _browser) = await Browser.LaunchAsync();

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _console.DisposeAsync();
    }

    [Fact]
    public async Task WizardCreatesAClusterWhosePageStreamsLogsShowsNodesOnTheMapAndServesItsKubeconfig()
    {
        var page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 }, AcceptDownloads = true });
        await Browser.SignInAsync(page, _console.BaseAddress, TestConsole.AdminUser, TestConsole.AdminPassword);
        await Assertions.Expect(page.GetByTestId("empty-state")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("sandbox-badge")).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "pages", "01-dashboard-empty");

        await page.GetByTestId("create-cluster").First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Create cluster" })).ToBeVisibleAsync();
        await page.GetByLabel("Cluster name").FillAsync("Bad_Name");
        await Assertions.Expect(page.GetByText("Cluster name must start with a lowercase letter")).ToBeVisibleAsync();
        await page.GetByLabel("Cluster name").FillAsync("tokyo-london");
        await Browser.ScreenshotAsync(page, "pages", "02-wizard-basics");
        await page.GetByTestId("wizard-next").ClickAsync();

        await Wizard.ChoosePoolAsync(page, "control-plane", new("aws-ap-northeast-1", "medium-2c4g"));
        await Browser.ScreenshotAsync(page, "pages", "03-wizard-control-plane");
        await page.GetByTestId("wizard-next").ClickAsync();

        await Wizard.ChoosePoolAsync(page, "worker-pool-0", new("gcp-europe-west2", "medium-2c4g", 2));
        await page.GetByTestId("add-pool").ClickAsync();
        await Wizard.ChoosePoolAsync(page, "worker-pool-1", new("azure-koreacentral", "large-4c8g"));
        await Browser.ScreenshotAsync(page, "pages", "04-wizard-workers");
        await page.GetByTestId("wizard-next").ClickAsync();

        await Wizard.PickAsync(page, "field-minor", "1.23");
        await page.GetByText("Kilo", new() { Exact = true }).ClickAsync();
        await Browser.ScreenshotAsync(page, "pages", "05-wizard-kubernetes");
        await page.GetByTestId("wizard-next").ClickAsync();

        await Assertions.Expect(page.GetByTestId("review-summary")).ToContainTextAsync("tokyo-london");
        await Assertions.Expect(page.GetByTestId("summary-total")).ToContainTextAsync("4 nodes in 3 regions of 3 clouds");
        await Assertions.Expect(page.GetByTestId("map-marker")).ToHaveCountAsync(3);
        await Browser.ScreenshotAsync(page, "pages", "06-wizard-review");
        await page.GetByTestId("wizard-create").ClickAsync();

        await page.WaitForURLAsync(new Regex("/clusters/default/tokyo-london$"));
        var logLines = page.Locator(".log-line");
        await Assertions.Expect(logLines.First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        Assert.NotEqual("Provisioned", await page.GetByTestId("phase-chip").First.GetAttributeAsync("data-phase"));
        await Browser.ScreenshotAsync(page, "pages", "07-cluster-provisioning");

        await Assertions.Expect(page.GetByTestId("phase-chip").First).ToHaveAttributeAsync("data-phase", "Provisioned", new() { Timeout = 60_000 });
        await page.GetByRole(AriaRole.Tab, new() { Name = "Nodes" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("node-name")).ToHaveCountAsync(4);
        await Browser.ScreenshotAsync(page, "pages", "08-cluster-nodes");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Map" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("map-marker")).ToHaveCountAsync(3);
        var colours = await page.GetByTestId("map-marker").EvaluateAllAsync<string[]>("ms => ms.map(m => m.dataset.csp)");
        Assert.Equal(["aws", "azure", "gcp"], colours.Order().ToArray());
        await Browser.ScreenshotAsync(page, "pages", "09-cluster-map");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-kubeconfig").ClickAsync());
        Assert.Equal("tokyo-london.kubeconfig.yaml", download.SuggestedFilename);
        var kubeconfig = await File.ReadAllTextAsync(await download.PathAsync());
        var server = Regex.Match(kubeconfig, @"server: (https://[\d.]+:6443)").Groups[1].Value;
        Assert.Equal(await page.GetByTestId("api-endpoint").InnerTextAsync(), server);

        await page.GetByRole(AriaRole.Tab, new() { Name = "Logs" }).ClickAsync();
        await page.GetByLabel("Toggle dark mode").ClickAsync();
        await Browser.ScreenshotAsync(page, "pages", "10-cluster-logs-dark");
        await page.GetByLabel("Toggle dark mode").ClickAsync();

        await GotoAsync(page, "/");
        await Assertions.Expect(page.GetByTestId("phase-count-Provisioned")).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByTestId("map-marker")).ToHaveCountAsync(3);
        await Browser.ScreenshotAsync(page, "pages", "11-dashboard");
        await GotoAsync(page, "/clusters");
        await Assertions.Expect(page.GetByTestId("cluster-link")).ToHaveTextAsync("tokyo-london");
        await Browser.ScreenshotAsync(page, "pages", "12-clusters");
        await GotoAsync(page, "/connections");
        await Assertions.Expect(page.GetByTestId("connection-row")).ToHaveCountAsync(FakeCloud.Connections.Count);
        await Browser.ScreenshotAsync(page, "pages", "13-connections");

        await page.SetViewportSizeAsync(1280, 720);
        await GotoAsync(page, "/clusters/default/tokyo-london");
        await Assertions.Expect(page.GetByTestId("phase-chip").First).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "pages", "14-cluster-laptop");
        // Responsive down to a laptop: nothing is wider than the window.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= innerWidth"));

        await page.GetByTestId("add-nodes").ClickAsync();
        await Assertions.Expect(page.GetByTestId("new-pool-0-connection")).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "pages", "15-add-nodes-dialog");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await page.GetByTestId("delete-cluster").ClickAsync();
        await page.GetByLabel("Type tokyo-london to confirm").FillAsync("tokyo-london");
        await page.GetByTestId("delete-confirm").ClickAsync();
        await Assertions.Expect(page.GetByTestId("phase-chip").First).ToHaveAttributeAsync("data-phase", "Deleted", new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("node-name")).ToHaveCountAsync(0);
        Assert.True(await page.GetByTestId("delete-cluster").IsDisabledAsync());
        await Browser.ScreenshotAsync(page, "pages", "16-cluster-deleted");
    }

    [Fact]
    public async Task ApiTokenIsShownOnceAndAuthenticatesTheApi()
    {
        var page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 1366, Height = 800 } });
        await Browser.SignInAsync(page, _console.BaseAddress, TestConsole.AdminUser, TestConsole.AdminPassword, "/account/tokens");
        await page.GetByLabel("Token name").FillAsync("ci");
        await page.GetByTestId("create-token").ClickAsync();
        var token = await page.GetByTestId("new-token-value").InnerTextAsync();
        Assert.StartsWith("lbt_", token);
        await Browser.ScreenshotAsync(page, "pages", "17-api-tokens");

        using var http = new HttpClient { BaseAddress = _console.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/clusters/default/none/kubeconfig")).StatusCode);

        await GotoAsync(page, "/account/tokens");
        await Assertions.Expect(page.GetByTestId("new-token")).ToHaveCountAsync(0);
        await page.GetByTestId("revoke-token").ClickAsync();
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Assertions.Expect(page.GetByTestId("token-row")).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/clusters/default/none/kubeconfig")).StatusCode);
    }

    private async Task GotoAsync(IPage page, string path)
    {
        await page.GotoAsync(new Uri(_console.BaseAddress, path).ToString());
        await Browser.WaitInteractiveAsync(page);
    }
}
