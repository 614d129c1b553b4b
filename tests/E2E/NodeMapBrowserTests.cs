using Deque.AxeCore.Playwright;
using Ladybug.Tests.Support;
using Microsoft.Playwright;

namespace Ladybug.Tests.E2E;

/// <summary>
/// The node map in a browser, on a desktop and a phone: the wheel, a drag and the buttons move the view; a marker
/// opens its popover (region, cloud, nodes linking to the cluster) without the page scrolling sideways or failing the
/// accessibility audit. Screenshots go to artifacts/screenshots/map/.
/// </summary>
public sealed class NodeMapBrowserTests : IAsyncLifetime
{
    private const string ClusterName = "map-check";
    private static readonly string[] BlockingImpacts = ["serious", "critical"];

    private readonly TestConsole _console = new(services => services.AddScriptedCloud(TimeSpan.FromMilliseconds(100), linesPerNode: 5));
    private IPlaywright _playwright = default!;
    private IBrowser _browser = default!;

    public static TheoryData<int, int> Viewports => new() { { 1440, 900 }, { 390, 844 } };

    public async Task InitializeAsync()
    {
        (_playwright, _browser) = await Browser.LaunchAsync();
        await SampleCluster.ProvisionAsync(_console, ClusterName);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _console.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Viewports))]
    public async Task TheMapZoomsAndPansAndAMarkerOpensItsNodes(int width, int height)
    {
        var page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.PageError += (_, error) => errors.Add(error);
        await Browser.SignInAsync(page, _console.BaseAddress, TestConsole.AdminUser, TestConsole.AdminPassword, $"/clusters/default/{ClusterName}");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await ClusterPage.OpenTabAsync(page, "Map");
        var svg = page.Locator("[data-testid=map-svg]:visible");
        await Assertions.Expect(svg).ToHaveAttributeAsync("viewBox", "0 6 360 142");

        // The wheel zooms round the pointer; the component hears the new zoom once the wheel stops.
        await svg.ScrollIntoViewIfNeededAsync();
        var box = (await svg.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await page.Mouse.WheelAsync(0, -400);
        await Assertions.Expect(svg).Not.ToHaveAttributeAsync("data-zoom", "1");
        var zoomed = await svg.GetAttributeAsync("viewBox");

        // A drag pans.
        await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + box.Width / 2 + 60, box.Y + box.Height / 2 + 10, new() { Steps = 5 });
        await page.Mouse.UpAsync();
        await Assertions.Expect(svg).Not.ToHaveAttributeAsync("viewBox", zoomed!);

        // The buttons, by their names.
        await page.GetByRole(AriaRole.Button, new() { Name = "Reset map view" }).ClickAsync();
        await Assertions.Expect(svg).ToHaveAttributeAsync("viewBox", "0 6 360 142");
        await page.GetByRole(AriaRole.Button, new() { Name = "Zoom in" }).ClickAsync();
        await Assertions.Expect(svg).ToHaveAttributeAsync("data-zoom", "2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Zoom out" }).ClickAsync();
        await Assertions.Expect(svg).ToHaveAttributeAsync("data-zoom", "1");

        // A marker opens its popover: region, cloud and nodes, each linking to the cluster.
        await page.Locator("[data-testid=map-marker][data-region=europe-west2]:visible").ClickAsync();
        var popover = page.GetByRole(AriaRole.Dialog, new() { Name = "Google Cloud · London · europe-west2" });
        await Assertions.Expect(popover).ToBeVisibleAsync();
        await Assertions.Expect(popover.GetByTestId("map-popover-cloud")).ToHaveTextAsync("Google Cloud");
        await Assertions.Expect(popover.GetByTestId("map-popover-entry")).ToHaveCountAsync(2);
        await Assertions.Expect(popover.GetByTestId("map-popover-entry").First.GetByRole(AriaRole.Link))
            .ToHaveAttributeAsync("href", $"clusters/default/{ClusterName}");
        // However narrow the popover, "cloud · region" is one line (a count that does not fit goes to the next).
        var where = (await popover.Locator(".node-map-popover-where").BoundingBoxAsync())!;
        var count = (await popover.GetByTestId("map-popover-count").BoundingBoxAsync())!;
        Assert.True(where.Height < 1.5 * count.Height, $"the cloud and region wrap: {where.Height} px high, a line is {count.Height} px");
        await Browser.ScreenshotAsync(page, "map", $"{width}x{height}-popover");

        var sideways = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > innerWidth || document.body.scrollWidth > innerWidth");
        Assert.False(sideways, "the page scrolls sideways with the popover open");
        var audit = await page.RunAxe();
        Assert.Empty(audit.Violations.Where(v => BlockingImpacts.Contains(v.Impact)).Select(v => $"{v.Id}: {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Target))}"));
        Assert.Empty(errors);
    }
}
