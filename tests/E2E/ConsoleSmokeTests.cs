using Microsoft.Playwright;

namespace Ladybug.Tests.E2E;

public sealed class ConsoleSmokeTests
{
    [Fact]
    public async Task ConsoleServesDashboardWithStylesAndAssetsFromTopLevelWwwroot()
    {
        await using var console = await ConsoleHost.StartAsync();
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync();

        var failedAssets = new List<string>();
        page.Response += (_, response) => { if (response.Status >= 400) failedAssets.Add($"{response.Status} {response.Url}"); };

        await page.GotoAsync(console.BaseAddress.ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "smoke", "01-dashboard");

        // MudBlazor's stylesheet is applied (the app bar is fixed) and the favicon comes from the top-level wwwroot.
        var position = await page.EvalOnSelectorAsync<string>(".mud-appbar", "e => getComputedStyle(e).position");
        Assert.Equal("fixed", position);
        var favicon = await page.EvalOnSelectorAsync<string>("link[rel=icon]", "e => e.href");
        var response = await page.APIRequest.GetAsync(favicon);
        Assert.Equal(200, response.Status);
        Assert.Contains("<svg", await response.TextAsync());
        Assert.Empty(failedAssets);
    }
}
