using Microsoft.Playwright;

namespace Ladybug.Tests.E2E;

/// <summary>Debian's Chromium driven by Playwright; no browser download ever happens.</summary>
public static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        // Two cores shared by the console, its sandbox VMs and Chromium: a page can take more than Playwright's default 5 s.
        Assertions.SetDefaultExpectTimeout(20_000);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        return (playwright, browser);
    }

    /// <summary>Signs in through the real sign-in page and lands on <paramref name="path"/>.</summary>
    public static Task SignInAsync(IPage page, ConsoleHost console, string path = "/") =>
        SignInAsync(page, console.BaseAddress, ConsoleHost.AdminUser, ConsoleHost.AdminPassword, path);

    public static async Task SignInAsync(IPage page, Uri baseAddress, string user, string password, string path = "/")
    {
        await page.GotoAsync(new Uri(baseAddress, path).ToString());
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        try
        {
            await page.WaitForURLAsync(url => !url.Contains("/account/login"), new() { Timeout = 60_000 });
        }
        catch (TimeoutException ex)
        {
            // Say what the sign-in page shows (an error, or the form untouched) instead of only that it stayed.
            var error = await page.Locator(".signin-error").AllTextContentsAsync();
            throw new TimeoutException($"Still on {page.Url} after signing in as {user}; page error: '{string.Join(" ", error)}'.", ex);
        }
        await WaitInteractiveAsync(page);
    }

    /// <summary>Waits until the Blazor circuit is live: before that, prerendered inputs do not react.</summary>
    public static Task WaitInteractiveAsync(IPage page) =>
        Assertions.Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 30_000 });

    /// <summary>Screenshots go under the ignored artifacts/ folder, one per journey step.</summary>
    public static async Task ScreenshotAsync(IPage page, string journey, string step)
    {
        var dir = Path.Combine(ConsoleHost.RepositoryRoot(), "artifacts", "screenshots", journey);
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, $"{step}.png"), FullPage = true });
    }
}
