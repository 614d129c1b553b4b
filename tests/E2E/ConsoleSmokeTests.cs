using System.Net;
using Microsoft.Playwright;

namespace Ladybug.Tests.E2E;

/// <summary>The console as `dotnet run` starts it; both tests share one console (neither changes anything).</summary>
public sealed class ConsoleSmokeTests(SandboxConsole shared) : IClassFixture<SandboxConsole>
{
    [Fact]
    public async Task SignInLeadsToDashboardStyledWithAssetsFromTopLevelWwwroot()
    {
        var console = shared.Host;
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync();
        var failedAssets = new List<string>();
        page.Response += (_, response) => { if (response.Status >= 400) failedAssets.Add($"{response.Status} {response.Url}"); };

        await page.GotoAsync(console.BaseAddress.ToString());
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await Browser.ScreenshotAsync(page, "smoke", "01-sign-in");

        await Browser.SignInAsync(page, console);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "smoke", "02-dashboard");

        // MudBlazor's stylesheet is applied (the app bar is fixed) and the favicon comes from the top-level wwwroot.
        Assert.Equal("fixed", await page.EvalOnSelectorAsync<string>(".mud-appbar", "e => getComputedStyle(e).position"));
        var favicon = await page.EvalOnSelectorAsync<string>("link[rel=icon]", "e => e.href");
        var response = await page.APIRequest.GetAsync(favicon);
        Assert.Equal(200, response.Status);
        Assert.Contains("<svg", await response.TextAsync());
        Assert.Empty(failedAssets);
    }

    [Fact]
    public async Task WrongPasswordStaysOnSignInWithMessage()
    {
        var console = shared.Host;
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync();

        await page.GotoAsync(new Uri(console.BaseAddress, "/account/login").ToString());
        await page.GetByLabel("User name").FillAsync(ConsoleHost.AdminUser);
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong user name or password.");
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = console.BaseAddress };
        var anonymous = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/account/login", anonymous.Headers.Location?.PathAndQuery ?? anonymous.Headers.Location?.ToString());
    }
}
