using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Ladybug.Tests.Support;
using Microsoft.Playwright;

namespace Ladybug.Tests.E2E;

/// <summary>
/// Every page on a desktop (1440×900) and a phone (390×844): nothing scrolls sideways except inside a region made to
/// scroll, the account menu is in reach under an accessible name, and axe-core finds no serious or critical violation,
/// in light and dark mode. Screenshots of each page at both sizes go to artifacts/screenshots/responsive/.
/// </summary>
public sealed class ResponsiveAccessibilityTests : IAsyncLifetime
{
    private const string ClusterName = "phone-check";
    private static readonly string[] BlockingImpacts = ["serious", "critical"];

    private readonly TestConsole _console = new(services => services.AddScriptedCloud(TimeSpan.FromMilliseconds(100), linesPerNode: 15));
    private IPlaywright _playwright = default!;
    private IBrowser _browser = default!;

    public static TheoryData<int, int> Viewports => new() { { 1440, 900 }, { 390, 844 } };

    /// <summary>The signed-in pages, by the name their screenshot gets.</summary>
    private static readonly (string Name, string Path)[] Pages =
    [
        ("dashboard", "/"),
        ("clusters", "/clusters"),
        ("create-cluster", "/clusters/new"),
        ("cluster", $"/clusters/default/{ClusterName}"),
        ("connections", "/connections"),
        ("api-tokens", "/account/tokens"),
        ("accounts", "/account/users"),
        ("not-found", "/not-found"),
    ];

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
    public async Task EveryPageFitsTheWindowKeepsTheAccountMenuInReachAndPassesTheAudit(int width, int height)
    {
        var size = $"{width}x{height}";
        var problems = new List<string>();
        var page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = height } });

        await page.GotoAsync(new Uri(_console.BaseAddress, "/account/login").ToString());
        await Browser.ScreenshotAsync(page, "responsive", $"{size}-sign-in");
        await CheckPageAsync(page, "sign-in", problems);
        problems.AddRange(await SignInFieldProblemsAsync(page));

        await Browser.SignInAsync(page, _console.BaseAddress, TestConsole.AdminUser, TestConsole.AdminPassword);
        foreach (var (name, path) in Pages)
        {
            await GotoAsync(page, path);
            await Browser.ScreenshotAsync(page, "responsive", $"{size}-{name}");
            await CheckPageAsync(page, name, problems);
            problems.AddRange(await AccountMenuProblemsAsync(page, name, open: false));
        }

        // On the cluster page: its log, then the account menu opened, then the whole page again in dark mode.
        await GotoAsync(page, $"/clusters/default/{ClusterName}");
        await ClusterPage.OpenTabAsync(page, "Logs");
        await Assertions.Expect(page.Locator(".log-line").First).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "responsive", $"{size}-cluster-logs");
        await CheckPageAsync(page, "cluster logs", problems);
        problems.AddRange(await AccountMenuProblemsAsync(page, "cluster logs", open: true));
        await page.Keyboard.PressAsync("Escape");

        await page.GetByLabel("Toggle dark mode").ClickAsync();
        await Browser.ScreenshotAsync(page, "responsive", $"{size}-cluster-logs-dark");
        await CheckPageAsync(page, "cluster logs (dark)", problems);
        foreach (var (name, path) in Pages.Where(p => p.Name is "dashboard" or "create-cluster" or "connections"))
        {
            // The dark mode is the layout's state: navigate inside the app so it stays on.
            await page.EvaluateAsync("path => Blazor.navigateTo(path)", path);
            await page.WaitForURLAsync(new Uri(_console.BaseAddress, path).ToString());
            await page.WaitForTimeoutAsync(500);
            await Browser.ScreenshotAsync(page, "responsive", $"{size}-{name}-dark");
            await CheckPageAsync(page, $"{name} (dark)", problems);
        }

        Assert.True(problems.Count == 0, $"At {size}:\n" + string.Join("\n", problems));
    }

    /// <summary>No sideways scroll of the page itself, and no serious or critical axe violation.</summary>
    private static async Task CheckPageAsync(IPage page, string name, List<string> problems)
    {
        var overflow = await page.EvaluateAsync<string?>(
            """
            () => {
              const doc = document.documentElement;
              if (doc.scrollWidth <= innerWidth && document.body.scrollWidth <= innerWidth) return null;
              // Name the widest element that is not inside a region that scrolls on its own.
              const inScroller = el => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
                  const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; } return false; };
              const culprits = [...document.body.querySelectorAll('*')]
                .filter(el => el.getBoundingClientRect().right > innerWidth + 1 && !inScroller(el))
                .map(el => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(el.getBoundingClientRect().right)}`);
              return `scrollWidth ${doc.scrollWidth} > ${innerWidth}: ${culprits.slice(-6).join(' | ')}`;
            }
            """);
        if (overflow is not null) problems.Add($"{name}: scrolls sideways ({overflow})");

        var result = await page.RunAxe();
        foreach (var violation in result.Violations.Where(v => BlockingImpacts.Contains(v.Impact)))
        {
            var targets = string.Join(" | ", violation.Nodes.Take(4).Select(n =>
                $"{n.Target} {string.Join("; ", n.Any.Concat(n.All).Concat(n.None).Select(c => c.Message).Take(1))}"));
            problems.Add($"{name}: axe {violation.Impact} {violation.Id} ({violation.Nodes.Count()}x): {targets}");
        }
    }

    /// <summary>The account menu's button has an accessible name and sits inside the window; opened, Sign out is in reach.</summary>
    private static async Task<IEnumerable<string>> AccountMenuProblemsAsync(IPage page, string name, bool open)
    {
        var button = page.GetByRole(AriaRole.Button, new() { Name = "Account menu" });
        if (await button.CountAsync() != 1) return [$"{name}: no single button named 'Account menu'"];
        if (!await InWindowAsync(page, button)) return [$"{name}: the account menu button is outside the window"];
        if (!open) return [];
        await button.ClickAsync();
        var problems = new List<string>();
        foreach (var item in new[] { "API tokens", "Sign out" })
        {
            var target = page.GetByRole(AriaRole.Menuitem, new() { Name = item, Exact = true })
                .Or(page.GetByRole(AriaRole.Button, new() { Name = item, Exact = true }));
            try
            {
                await Assertions.Expect(target.First).ToBeVisibleAsync();
                if (!await InWindowAsync(page, target.First)) problems.Add($"{name}: '{item}' in the account menu is outside the window");
            }
            catch (PlaywrightException)
            {
                problems.Add($"{name}: '{item}' is not shown in the opened account menu");
            }
        }
        return problems;
    }

    private static async Task<bool> InWindowAsync(IPage page, ILocator locator)
    {
        var box = await locator.BoundingBoxAsync();
        var width = page.ViewportSize!.Width;
        return box is not null && box.X >= 0 && box.X + box.Width <= width + 1;
    }

    /// <summary>The sign-in page opens calm: no field marked invalid, and the focused field is not outlined in the error red.</summary>
    private static async Task<IEnumerable<string>> SignInFieldProblemsAsync(IPage page)
    {
        var problems = new List<string>();
        if (await page.Locator("input[aria-invalid=true]").CountAsync() > 0)
            problems.Add("sign-in: a field is marked aria-invalid before anything was typed");
        if (await page.Locator(".signin-error").CountAsync() > 0)
            problems.Add("sign-in: an error shows before anything was typed");
        var focusColour = await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineColor");
        if (Reddish(focusColour))
            problems.Add($"sign-in: the focused field is outlined in red ({focusColour}), the colour of an error");
        return problems;
    }

    /// <summary>True for a CSS rgb() colour whose red clearly dominates, as the error red's does.</summary>
    public static bool Reddish(string cssColour)
    {
        var parts = cssColour[(cssColour.IndexOf('(') + 1)..cssColour.IndexOf(')')].Split(',', StringSplitOptions.TrimEntries);
        var (r, g, b) = (double.Parse(parts[0]), double.Parse(parts[1]), double.Parse(parts[2]));
        return r > 150 && r > g * 2 && r > b * 2;
    }

    private async Task GotoAsync(IPage page, string path)
    {
        await page.GotoAsync(new Uri(_console.BaseAddress, path).ToString());
        await Browser.WaitInteractiveAsync(page);
        // Lists and the cluster's tabs load after the circuit starts.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.WaitForTimeoutAsync(300);
    }
}
