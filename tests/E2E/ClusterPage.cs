using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Ladybug.Tests.E2E;

/// <summary>A node row as the Nodes tab shows it.</summary>
public sealed record NodeRow(string Name, string Role, string Cloud, string Region, string PublicIp, string Status);

/// <summary>What a person reads on a cluster's page: the phase chip, the tabs, the node table and map, the log count.</summary>
public static class ClusterPage
{
    public static ILocator Phase(IPage page) => page.GetByTestId("phase-chip").First;

    public static Task<string?> PhaseAsync(IPage page) => Phase(page).GetAttributeAsync("data-phase");

    public static Task ExpectPhaseAsync(IPage page, string phase, int timeoutMs = 120_000) =>
        Assertions.Expect(Phase(page)).ToHaveAttributeAsync("data-phase", phase, new() { Timeout = timeoutMs });

    public static Task OpenTabAsync(IPage page, string tab) => page.GetByRole(AriaRole.Tab, new() { Name = tab }).ClickAsync();

    public static async Task<IReadOnlyList<NodeRow>> NodesAsync(IPage page)
    {
        var rows = await page.GetByTestId("node-table").Locator("tbody tr:has([data-testid=node-name])").AllAsync();
        var nodes = new List<NodeRow>();
        foreach (var row in rows)
        {
            async Task<string> Field(string testId) => (await row.GetByTestId(testId).InnerTextAsync()).Trim();
            nodes.Add(new NodeRow(await Field("node-name"), await Field("node-role"), await Field("node-cloud"), await Field("node-region"),
                await Field("node-public-ip"), await Field("node-status")));
        }
        return nodes;
    }

    /// <summary>Waits until the visible map shows <paramref name="count"/> markers, then reads them.</summary>
    public static async Task<MapMarker[]> MarkersAsync(IPage page, int count)
    {
        await Assertions.Expect(page.Locator("[data-testid=map-marker]:visible")).ToHaveCountAsync(count);
        return await MarkersAsync(page);
    }

    /// <summary>The markers of the visible map: CSP and region of each, and the colour it is drawn in.</summary>
    public static Task<MapMarker[]> MarkersAsync(IPage page) =>
        page.Locator("[data-testid=map-marker]:visible").EvaluateAllAsync<MapMarker[]>(
            "ms => ms.map(m => ({ csp: m.dataset.csp, region: m.dataset.region, count: Number(m.dataset.count), colour: getComputedStyle(m.querySelector('circle')).fill }))");

    /// <summary>
    /// Clicks every cluster of the visible map, as a person does to see the markers it holds: a cluster spreads its
    /// markers side by side where it stands (the view does not move), so each click leaves one cluster fewer.
    /// </summary>
    public static async Task ExpandClustersAsync(IPage page)
    {
        await Assertions.Expect(page.Locator("[data-testid=map-svg]:visible")).ToHaveCountAsync(1);
        var clusters = page.Locator("[data-testid=map-cluster]:visible");
        for (var left = await clusters.CountAsync(); left > 0; left--)
        {
            await clusters.First.ClickAsync();
            await Assertions.Expect(clusters).ToHaveCountAsync(left - 1);
        }
    }

    /// <summary>How many log lines the log view says it holds ("1,234 lines").</summary>
    public static async Task<int> LogLineCountAsync(IPage page)
    {
        var text = await page.GetByTestId("log-count").InnerTextAsync();
        var match = Regex.Match(text.Replace(",", ""), @"(\d+) lines");
        return match.Success ? int.Parse(match.Groups[1].Value) : 0;
    }
}

/// <summary>A marker of the node map (a class with setters: Playwright fills it from the page's JSON).</summary>
public sealed class MapMarker
{
    public string Csp { get; set; } = "";
    public string Region { get; set; } = "";
    public int Count { get; set; }
    public string Colour { get; set; } = "";
}
