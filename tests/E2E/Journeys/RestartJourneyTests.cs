using System.Text.RegularExpressions;
using Ladybug.Sandbox;
using Microsoft.Playwright;

namespace Ladybug.Tests.E2E.Journeys;

// Journey 5: the console is killed mid-provision and started again on the same data directory.
// The sandbox cloud outlives the console as a real cloud would: its state and VMs are kept under the data directory
// and the restarted sandbox brings them back (VMs that were still Creating carry on). So "resumed or failed as
// Interrupted and rolled back, never stuck" means: a job stopped in a repeatable step asks the cloud again and
// completes with the machines the cloud kept creating (the cluster ends Provisioned), and a job stopped in a step that
// is not safe to repeat fails with reason Interrupted and its rollback deletes the kept VMs (Failed, no VM left);
// either way the page shows the outcome within the journey's timeout and no job is left running. Each case kills the
// console in a step held open on purpose, so the kill never races the step's end however busy the machine is.

/// <summary>Killed while the cloud creates the machines (one pool never boots until the restart): the job resumes and provisions.</summary>
public sealed class RestartResumesJourneyTests(SandboxConsole console) : IClassFixture<SandboxConsole>
{
    [Fact]
    public async Task KilledWhileCreatingMachinesTheJobResumesAfterRestartAndProvisions()
    {
        const string name = "restart-resumes";
        // The fault lives in the running sandbox only: the restarted one boots every VM.
        await console.Sandbox.SetFaultsAsync(new SandboxFaults { NeverRunningOnConnections = ["gcp-europe-west2"] });
        await using var session = await RestartSession.StartAsync(console, name, "5-restart-resumes");
        await session.KillDuringAsync("create-machines");

        await session.RestartAsync();
        // Searched for, not scrolled to: the view renders only the lines near its tail, and the resumed job can
        // write more than a screenful after this line before the assertion looks.
        await session.Page.Locator("[data-testid=log-search] input, input[data-testid=log-search]").FillAsync("Resuming Create");
        await Assertions.Expect(session.Page.Locator(".log-line").Filter(new() { HasTextRegex = new Regex("Resuming Create after a restart \\(attempt 2\\)") }))
            .ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await session.Journey.StepAsync("resumed");
        await ClusterPage.ExpectPhaseAsync(session.Page, "Provisioned");
        await Assertions.Expect(session.Page.GetByTestId("job-state")).ToHaveAttributeAsync("data-state", "Succeeded");
        await Assertions.Expect(session.Page.Locator("[data-testid=step][data-step=create-machines]")).ToHaveAttributeAsync("data-state", "Succeeded");
        await session.Journey.StepAsync("provisioned-after-restart");

        await ClusterPage.OpenTabAsync(session.Page, "Nodes");
        await Assertions.Expect(session.Page.GetByTestId("node-name")).ToHaveCountAsync(2);
        Assert.Equal(2, (await console.Sandbox.MachinesOfAsync(name)).Count);
        Assert.Equal(2, console.Sandbox.SshdProcessesOf(name).Count);
    }
}

/// <summary>kubeadm init takes 15 s here, so a test can stop the console in the middle of it.</summary>
public sealed class SlowKubeadmInitSandboxConsole : SandboxConsole
{
    public SlowKubeadmInitSandboxConsole() => Settings["Ladybug:Sandbox:StepLatencies:kubeadm-init"] = "00:00:15";
}

/// <summary>Killed during kubeadm init, which is not safe to repeat: the job fails as Interrupted and the rollback leaves nothing.</summary>
public sealed class RestartInterruptedJourneyTests(SlowKubeadmInitSandboxConsole console) : IClassFixture<SlowKubeadmInitSandboxConsole>
{
    [Fact]
    public async Task KilledDuringKubeadmInitTheJobFailsAsInterruptedAndIsRolledBack()
    {
        const string name = "restart-interrupted";
        await using var session = await RestartSession.StartAsync(console, name, "5-restart-interrupted");
        await session.KillDuringAsync("init-control-plane");

        await session.RestartAsync();
        await ClusterPage.ExpectPhaseAsync(session.Page, "Failed", 60_000);
        await Assertions.Expect(session.Page.GetByTestId("phase-reason")).ToHaveTextAsync("Interrupted");
        var message = session.Page.GetByTestId("phase-message");
        await Assertions.Expect(message).ToContainTextAsync("The console stopped during step 'init-control-plane', which is not safe to repeat.");
        await Assertions.Expect(message).ToContainTextAsync("The machines were deleted.", new() { Timeout = 60_000 });
        await Assertions.Expect(session.Page.GetByTestId("job-state")).ToHaveAttributeAsync("data-state", "Succeeded"); // the rollback
        await session.Journey.StepAsync("interrupted-and-rolled-back");

        Assert.Empty(await console.Sandbox.MachinesOfAsync(name));
        Assert.Empty(console.Sandbox.SshdProcessesOf(name));
    }
}

/// <summary>A browser on one cluster's page while its console is killed and started again.</summary>
internal sealed class RestartSession(ConsoleHost host, IPlaywright playwright, IBrowser browser, Journey journey, string path) : IAsyncDisposable
{
    public Journey Journey => journey;
    public IPage Page => journey.Page;

    /// <summary>Creates a cluster of two nodes through the API and opens its page.</summary>
    public static async Task<RestartSession> StartAsync(SandboxConsole console, string name, string journeyName)
    {
        using var api = new ConsoleApi(console.BaseAddress);
        await api.CreateClusterAsync(name, new("aws-ap-northeast-1", "t3.medium"), new("gcp-europe-west2", "e2-medium"));
        var (playwright, browser) = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        var path = $"/clusters/default/{name}";
        var session = new RestartSession(console.Host, playwright, browser, new Journey(journeyName, page), path);
        await Browser.SignInAsync(page, console.Host, path);
        await session.Journey.StepAsync("provisioning");
        return session;
    }

    /// <summary>Kills the console once the page shows <paramref name="planStep"/> running.</summary>
    public async Task KillDuringAsync(string planStep)
    {
        await Assertions.Expect(Page.Locator($"[data-testid=step][data-step={planStep}]")).ToHaveAttributeAsync("data-state", "Running", new() { Timeout = 120_000 });
        await host.KillAsync();
        await Journey.StepAsync($"console-killed-during-{planStep}");
    }

    /// <summary>Starts the console again on the same port and data directory and opens the page again (signing in if asked).</summary>
    public async Task RestartAsync()
    {
        await host.StartAgainAsync();
        await Page.GotoAsync(new Uri(host.BaseAddress, path).ToString());
        if (Page.Url.Contains("/account/login", StringComparison.Ordinal))
            await Browser.SignInAsync(Page, host, path);
        await Browser.WaitInteractiveAsync(Page);
        await Journey.StepAsync("after-restart");
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}
