using Microsoft.Playwright;

namespace Ladybug.Tests.E2E.Journeys;

/// <summary>
/// Journey 2: a provisioned cluster grows by a pool on a fourth cloud (the node shows up live), loses a worker (gone
/// from table and map), then is deleted by typing its name; afterwards the sandbox holds no VM or sshd for it.
/// </summary>
public sealed class GrowAndShrinkJourneyTests(SlowWaitReadySandboxConsole console) : IClassFixture<SlowWaitReadySandboxConsole>
{
    private const string Name = "grow-shrink";

    [Fact]
    public async Task AddAPoolOnAFourthCloudRemoveAWorkerThenDeleteLeavesNothingInTheSandbox()
    {
        using var api = new ConsoleApi(console.BaseAddress);
        await api.CreateClusterAsync(Name, new("aws-ap-northeast-1", "t3.medium"), new("gcp-europe-west2", "e2-medium"));
        await api.WaitForAsync(Name, c => c.Status.Phase is "Provisioned" or "Failed", TimeSpan.FromMinutes(2));

        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        var journey = new Journey("2-grow-and-shrink", page);
        await Browser.SignInAsync(page, console.Host, $"/clusters/default/{Name}");
        await ClusterPage.ExpectPhaseAsync(page, "Provisioned", 5_000);
        await ClusterPage.OpenTabAsync(page, "Nodes");
        await Assertions.Expect(page.GetByTestId("node-name")).ToHaveCountAsync(2);
        await journey.StepAsync("provisioned-two-nodes");

        // Grow: one worker on Alibaba, a cloud the cluster does not use yet.
        await page.GetByTestId("add-nodes").ClickAsync();
        await Wizard.ChoosePoolAsync(page, "new-pool-0", new("alibaba-ap-northeast-1", "ecs.c7.large"));
        await journey.StepAsync("add-nodes-dialog");
        await page.GetByTestId("add-nodes-submit").ClickAsync();
        var jobState = page.GetByTestId("job-state");
        await Assertions.Expect(jobState).ToHaveAttributeAsync("data-state", "Running", new() { Timeout = 10_000 });
        await ClusterPage.OpenTabAsync(page, "Nodes");
        // The new node shows up while the job still runs: the table is live, not refreshed at the end.
        var alibabaRow = page.GetByTestId("node-table").Locator("tbody tr").Filter(new() { HasText = "ALIBABA" });
        await Assertions.Expect(alibabaRow).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        await Assertions.Expect(jobState).ToHaveAttributeAsync("data-state", "Running", new() { Timeout = 1_000 });
        await journey.StepAsync("new-node-appears");
        await Assertions.Expect(jobState).ToHaveAttributeAsync("data-state", "Succeeded", new() { Timeout = 120_000 });
        await ClusterPage.ExpectPhaseAsync(page, "Provisioned", 5_000);
        await Assertions.Expect(alibabaRow.GetByTestId("node-status")).ToHaveAttributeAsync("data-state", "Ready");
        await ClusterPage.OpenTabAsync(page, "Map");
        // Alibaba and AWS Tokyo share a place: one cluster until it is clicked (see TalkDemoJourneyTests).
        await ClusterPage.ExpandClustersAsync(page);
        Assert.Equal(["alibaba", "aws", "gcp"], (await ClusterPage.MarkersAsync(page, 3)).Select(m => m.Csp).Order().ToArray());
        await journey.StepAsync("grown-map");
        Assert.Equal(3, (await console.Sandbox.MachinesOfAsync(Name)).Count);

        // Shrink: the Google Cloud worker goes, from the table, the map and the cloud.
        await ClusterPage.OpenTabAsync(page, "Nodes");
        var gcpRow = page.GetByTestId("node-table").Locator("tbody tr").Filter(new() { HasText = "Google Cloud" });
        var gcpNode = (await gcpRow.GetByTestId("node-name").InnerTextAsync()).Trim();
        await gcpRow.GetByTestId("remove-node").ClickAsync();
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Assertions.Expect(gcpRow).ToHaveCountAsync(0, new() { Timeout = 60_000 });
        await Assertions.Expect(jobState).ToHaveAttributeAsync("data-state", "Succeeded", new() { Timeout = 60_000 });
        await ClusterPage.ExpectPhaseAsync(page, "Provisioned", 5_000);
        await Assertions.Expect(page.GetByTestId("node-name")).ToHaveCountAsync(2);
        await journey.StepAsync("worker-removed");
        await ClusterPage.OpenTabAsync(page, "Map");
        await ClusterPage.ExpandClustersAsync(page);
        Assert.Equal(["alibaba", "aws"], (await ClusterPage.MarkersAsync(page, 2)).Select(m => m.Csp).Order().ToArray());
        await journey.StepAsync("shrunk-map");
        Assert.DoesNotContain(await console.Sandbox.MachinesOfAsync(Name), m => m.NodeId == gcpNode);

        // Delete: only after typing the name.
        await page.GetByTestId("delete-cluster").ClickAsync();
        await Assertions.Expect(page.GetByTestId("delete-confirm")).ToBeDisabledAsync();
        await page.GetByLabel($"Type {Name} to confirm").FillAsync(Name);
        await journey.StepAsync("delete-confirm");
        await page.GetByTestId("delete-confirm").ClickAsync();
        await ClusterPage.ExpectPhaseAsync(page, "Deleted", 60_000);
        await Assertions.Expect(page.GetByTestId("node-name")).ToHaveCountAsync(0);
        await journey.StepAsync("deleted");
        Assert.Empty(await console.Sandbox.MachinesOfAsync(Name));
        Assert.Empty(console.Sandbox.SshdProcessesOf(Name));
    }
}

/// <summary>
/// wait-ready takes 3 s here: the add-nodes job is then surely still running when its new node shows up, so the journey
/// can tell a live table from one refreshed when the job ends (with 100 ms steps the job could end first).
/// </summary>
public sealed class SlowWaitReadySandboxConsole : SandboxConsole
{
    public SlowWaitReadySandboxConsole() => Settings["Ladybug:Sandbox:StepLatencies:wait-ready"] = "00:00:03";
}
