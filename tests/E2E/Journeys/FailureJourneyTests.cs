using Ladybug.Sandbox;
using Microsoft.Playwright;

namespace Ladybug.Tests.E2E.Journeys;

/// <summary>Journey 4: one worker cannot join; the page says why and shows that node's last lines; the rollback leaves nothing running.</summary>
public sealed class FailureJourneyTests(SandboxConsole console) : IClassFixture<SandboxConsole>
{
    private const string Name = "join-fails";

    [Fact]
    public async Task AWorkerJoinFailureFailsTheClusterWithReasonAndLastLinesAndRollsBack()
    {
        await console.Sandbox.SetFaultsAsync(new SandboxFaults { FailSteps = [new StepFault { Step = "join-worker", Node = "w1-2", Times = 0, ExitCode = 3 }] });
        using var api = new ConsoleApi(console.BaseAddress);
        await api.CreateClusterAsync(Name, new("aws-ap-northeast-1", "t3.medium"), new("gcp-europe-west2", "e2-medium", 2));

        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        var journey = new Journey("4-failure", page);
        await Browser.SignInAsync(page, console.Host, $"/clusters/default/{Name}");
        // The sandbox fails and rolls back within seconds, so the page may open on the rollback already: the live
        // view is not awaited at a particular step; the create job's timeline below shows where it broke.
        await journey.StepAsync("opened");

        await ClusterPage.ExpectPhaseAsync(page, "Failed");
        await Assertions.Expect(page.GetByTestId("phase-reason")).ToHaveTextAsync("JoinWorkerFailedReason");
        var message = page.GetByTestId("phase-message");
        await Assertions.Expect(message).ToContainTextAsync("Step 'join-worker' failed on node w1-2 with exit code 3.");
        await Assertions.Expect(message).ToContainTextAsync("'join-worker' fails on w1-2 on purpose");
        await journey.StepAsync("failed-with-reason");

        // The create job's timeline (the page follows the newest job, the rollback) marks where it broke.
        await page.GetByTestId("job-picker").GetByText("Create", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=step][data-step=join-workers]")).ToHaveAttributeAsync("data-state", "Failed");
        // Two tries (the node is reset between them), both failed.
        var w12Joins = page.Locator("[data-testid=sub-step][data-step=join-worker][data-node=w1-2]");
        await Assertions.Expect(w12Joins).ToHaveCountAsync(2);
        Assert.Equal(["Failed", "Failed"], await w12Joins.EvaluateAllAsync<string[]>("subs => subs.map(s => s.dataset.state)"));
        await Assertions.Expect(page.Locator("[data-testid=sub-step][data-step=join-worker][data-node=w1-1]")).ToHaveAttributeAsync("data-state", "Succeeded");
        await journey.StepAsync("failed-step");

        // The failing node's own lines, filtered in the log view.
        await ClusterPage.OpenTabAsync(page, "Logs");
        await Wizard.PickAsync(page, "log-node-filter", "w1-2");
        await Assertions.Expect(page.Locator(".log-line").Filter(new() { HasText = "fails on w1-2 on purpose" }).First).ToBeVisibleAsync();
        await journey.StepAsync("failing-node-log");

        // The rollback deletes every VM: the page says so and the sandbox agrees.
        await Assertions.Expect(message).ToContainTextAsync("The machines were deleted.", new() { Timeout = 60_000 });
        await ClusterPage.ExpectPhaseAsync(page, "Failed", 5_000);
        await ClusterPage.OpenTabAsync(page, "Nodes");
        await Assertions.Expect(page.GetByTestId("node-name")).ToHaveCountAsync(0);
        await journey.StepAsync("rolled-back");
        Assert.Empty(await console.Sandbox.MachinesOfAsync(Name));
        Assert.Empty(console.Sandbox.SshdProcessesOf(Name));
        await console.Sandbox.ClearFaultsAsync();
    }
}
