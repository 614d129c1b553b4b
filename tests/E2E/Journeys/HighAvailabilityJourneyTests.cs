using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Ladybug.Tests.E2E.Journeys;

/// <summary>Journey 3: three control planes on one connection with Canal on Kubernetes 1.18; they join one at a time.</summary>
public sealed class HighAvailabilityJourneyTests(SandboxConsole console) : IClassFixture<SandboxConsole>
{
    private static readonly ClusterChoice Ha = new("ha-tokyo",
        new("aws-ap-northeast-1", "t3.medium", 3),
        [new("gcp-europe-west2", "e2-medium")],
        Minor: "1.18", Cni: "Canal");

    /// <summary>
    /// Watches the step timeline in the page: the most control-plane joins it ever showed running at once, and the
    /// nodes in the order they were seen running.
    /// </summary>
    private const string WatchControlPlaneJoins = """
        () => {
            const seen = window.cpJoins = { maxRunning: 0, order: [] };
            const check = () => {
                const running = [...document.querySelectorAll('[data-testid=step][data-step=join-control-planes] [data-testid=sub-step][data-state=Running]')];
                seen.maxRunning = Math.max(seen.maxRunning, running.length);
                for (const sub of running) if (!seen.order.includes(sub.dataset.node)) seen.order.push(sub.dataset.node);
            };
            new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true });
            check();
        }
        """;

    [Fact]
    public async Task ThreeControlPlanesWithCanalOn118JoinOneAfterAnother()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1440, Height = 1000 } });
        var journey = new Journey("3-high-availability", page);
        await Browser.SignInAsync(page, console.Host);
        await Wizard.FillToReviewAsync(page, Ha, journey);
        await Assertions.Expect(page.GetByTestId("summary-total")).ToContainTextAsync("4 nodes in 2 regions of 2 clouds");
        await Assertions.Expect(page.GetByTestId("summary-version")).ToContainTextAsync(new Regex(@"^1\.18\.\d+$"));
        await Assertions.Expect(page.GetByTestId("summary-cni")).ToHaveTextAsync("Canal");
        await journey.StepAsync("review");

        await page.GetByTestId("wizard-create").ClickAsync();
        await page.WaitForURLAsync(new Regex("/clusters/default/ha-tokyo$"));
        await Browser.WaitInteractiveAsync(page);
        await page.EvaluateAsync(WatchControlPlaneJoins);
        var joins = page.Locator("[data-testid=step][data-step=join-control-planes] [data-testid=sub-step]");
        await Assertions.Expect(joins.First).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await journey.StepAsync("joining-control-planes");
        await ClusterPage.ExpectPhaseAsync(page, "Provisioned");
        await journey.StepAsync("provisioned");

        // cp-2 then cp-3, never both at once; the leader cp-1 initialised the cluster.
        Assert.Equal(["cp-2", "cp-3"], await joins.EvaluateAllAsync<string[]>("subs => subs.map(s => s.dataset.node)"));
        Assert.Equal(["Succeeded", "Succeeded"], await joins.EvaluateAllAsync<string[]>("subs => subs.map(s => s.dataset.state)"));
        Assert.Equal(1, await page.EvaluateAsync<int>("() => window.cpJoins.maxRunning"));
        await Assertions.Expect(page.Locator("[data-testid=step][data-step=init-control-plane] [data-testid=sub-step]")).ToHaveAttributeAsync("data-node", "cp-1");

        await ClusterPage.OpenTabAsync(page, "Nodes");
        await Assertions.Expect(page.GetByTestId("node-name")).ToHaveCountAsync(4);
        var nodes = await ClusterPage.NodesAsync(page);
        Assert.Equal(3, nodes.Count(n => n.Role == "control plane" && n.Region == "ap-northeast-1"));
        Assert.Single(nodes, n => n.Role == "worker");
        await journey.StepAsync("nodes");
    }
}
