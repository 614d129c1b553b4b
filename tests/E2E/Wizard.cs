using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Ladybug.Tests.E2E;

/// <summary>Where one pool of the wizard lands: a connection, a spec (name or CSP spec name) and a node count.</summary>
public sealed record PoolChoice(string Connection, string Spec, int Count = 1);

/// <summary>What a user enters in the create wizard.</summary>
public sealed record ClusterChoice(string Name, PoolChoice ControlPlane, IReadOnlyList<PoolChoice> WorkerPools, string Minor, string Cni);

/// <summary>Drives the create wizard the way a person does: click, pick from the lists, type, Next.</summary>
public static class Wizard
{
    /// <summary>Fills every step from the dashboard's Create button to the review step, screenshotting each when a journey is given.</summary>
    public static async Task FillToReviewAsync(IPage page, ClusterChoice cluster, Journey? journey = null)
    {
        await page.GetByTestId("create-cluster").First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Create cluster" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("connections-loading")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await page.GetByLabel("Cluster name").FillAsync(cluster.Name);
        await StepDoneAsync(page, journey, "wizard-basics");

        await ChoosePoolAsync(page, "control-plane", cluster.ControlPlane);
        await StepDoneAsync(page, journey, "wizard-control-plane");

        for (var i = 0; i < cluster.WorkerPools.Count; i++)
        {
            if (i > 0) await page.GetByTestId("add-pool").ClickAsync();
            await ChoosePoolAsync(page, $"worker-pool-{i}", cluster.WorkerPools[i]);
        }
        await StepDoneAsync(page, journey, "wizard-workers");

        await PickAsync(page, "field-minor", cluster.Minor);
        await page.GetByText(cluster.Cni, new() { Exact = true }).ClickAsync();
        await StepDoneAsync(page, journey, "wizard-kubernetes");
        await Assertions.Expect(page.GetByTestId("step-review")).ToBeVisibleAsync();
    }

    private static async Task StepDoneAsync(IPage page, Journey? journey, string step)
    {
        if (journey is not null) await journey.StepAsync(step);
        await page.GetByTestId("wizard-next").ClickAsync();
    }

    public static async Task ChoosePoolAsync(IPage page, string pool, PoolChoice choice)
    {
        await PickAsync(page, $"{pool}-connection", choice.Connection);
        // A chosen connection loads its specs and preselects the cheapest that fits the role: pick once that has landed,
        // or the preselection re-renders the picker under the click and leaves its list open.
        await Assertions.Expect(page.GetByTestId($"{pool}-spec").Locator("input").First).Not.ToHaveValueAsync("", new() { Timeout = 15_000 });
        await PickAsync(page, $"{pool}-spec", choice.Spec);
        await SetCountAsync(page, pool, choice.Count);
    }

    public static async Task SetCountAsync(IPage page, string pool, int count)
    {
        var input = page.GetByTestId($"{pool}-count").Locator("input");
        if (await input.InputValueAsync() == count.ToString()) return;
        await input.FillAsync(count.ToString());
        await input.BlurAsync();
    }

    /// <summary>
    /// Picks <paramref name="option"/> in a MudSelect (click, then click the option) or in a search picker (type it,
    /// then click the match): the option whose text starts with it, or whose Tumblebug spec id
    /// ("aws+ap-northeast-1+t3.medium") ends in it. Returns once the field shows the option and its list is closed.
    /// </summary>
    public static async Task PickAsync(IPage page, string testId, string option)
    {
        var field = page.GetByTestId(testId);
        // The next wizard step may still be rendering: count the field's autocomplete only once the field is there, or
        // a search picker is taken for a select and clicked open on its first 50 of ~190 connections.
        await Assertions.Expect(field).ToBeVisibleAsync();
        // A picker waiting for its options (specs load per connection) is disabled and ignores clicks.
        await Assertions.Expect(field.Locator(".mud-disabled")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        var listed = page.Locator(".mud-popover-open .mud-list-item");
        var match = new Regex(@"^\s*(?:[^\s+]+\+[^\s+]+\+)?" + Regex.Escape(option));
        var search = option[(option.LastIndexOf('+') + 1)..];
        var input = field.Locator("input").First;
        var isSearchPicker = await field.Locator(".mud-autocomplete").CountAsync() > 0;
        if (isSearchPicker)
        {
            await input.ClickAsync();
            var before = await input.InputValueAsync();
            await input.FillAsync(search);
            if (before != search)
            {
                // The picker opened on focus with the list for its old text and searches the typed text after a debounce.
                // Click only in the list of that search (every item shows the text it matched), or its result lands after
                // the click and opens the list again on the one match (BadInput failed so once in a full run). The same
                // text as before searches nothing: the list already open is the one to pick from.
                await Assertions.Expect(listed.Filter(new() { HasNotText = search })).ToHaveCountAsync(0, new() { Timeout = 15_000 });
            }
        }
        else
        {
            await field.ClickAsync();
        }
        var item = listed.Filter(new() { HasTextRegex = match }).First;
        await item.ClickAsync();
        if (isSearchPicker && !await ClosedAsync(listed))
        {
            // A search that was still on its way when the list looked settled (the old list held only matches) reopened it
            // on its match after the click: the list is now that search's, pick again.
            await item.ClickAsync();
        }
        await Assertions.Expect(listed).ToHaveCountAsync(0);
        await Assertions.Expect(input).ToHaveValueAsync(isSearchPicker ? new Regex(@"^(?:[^\s+]+\+[^\s+]+\+)?" + Regex.Escape(search)) : match);
    }

    /// <summary>Whether the open list closes within a few seconds (a selection closes it at once).</summary>
    private static async Task<bool> ClosedAsync(ILocator listed)
    {
        try
        {
            await Assertions.Expect(listed).ToHaveCountAsync(0, new() { Timeout = 5_000 });
            return true;
        }
        catch (PlaywrightException)
        {
            return false;
        }
    }
}
