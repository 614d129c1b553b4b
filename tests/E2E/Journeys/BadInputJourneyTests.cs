using Ladybug.Sandbox;
using Microsoft.Playwright;

namespace Ladybug.Tests.E2E.Journeys;

/// <summary>
/// Journey 6: every wizard field refuses bad values with a message right under it, the wizard does not move on,
/// Create is never enabled for a bad spec, and nothing is stored.
/// </summary>
public sealed class BadInputJourneyTests(SandboxConsole console) : IClassFixture<SandboxConsole>
{
    /// <summary>Clusters made behind the wizard's back land here; the sandbox fails their VMs at once, so they cost nothing.</summary>
    private static readonly PoolChoice Elsewhere = new("ibm-us-south", "cx2-2x4");
    private const string WizardDescription = "typed into the wizard";

    [Fact]
    public async Task EachFieldRejectsBadValuesNextToItAndNothingIsStored()
    {
        await console.Sandbox.SetFaultsAsync(new SandboxFaults { FailCreateOnConnections = [Elsewhere.Connection] });
        using var api = new ConsoleApi(console.BaseAddress);
        await api.CreateClusterAsync("taken", Elsewhere, Elsewhere);

        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        var journey = new Journey("6-bad-input", page);
        await Browser.SignInAsync(page, console.Host, "/clusters/new");
        await Assertions.Expect(page.GetByTestId("connections-loading")).ToHaveCountAsync(0, new() { Timeout = 30_000 });

        // Basics: the name is required, lowercase, and unique.
        await page.GetByLabel("Description (optional)").FillAsync(WizardDescription);
        await NextIsRefusedAsync(page, "step-basics");
        await ExpectFieldErrorAsync(Field(page, "field-name"), "Cluster name is required.");
        await journey.StepAsync("empty-name");
        await page.GetByLabel("Cluster name").FillAsync("Tokyo-Cluster");
        await ExpectFieldErrorAsync(Field(page, "field-name"), "Cluster name must start with a lowercase letter");
        await NextIsRefusedAsync(page, "step-basics");
        await journey.StepAsync("uppercase-name");
        await page.GetByLabel("Cluster name").FillAsync("taken");
        await ExpectFieldErrorAsync(Field(page, "field-name"), "A cluster named 'taken' already exists in namespace 'default'.");
        await NextIsRefusedAsync(page, "step-basics");
        await journey.StepAsync("duplicate-name");
        await page.GetByLabel("Cluster name").FillAsync("from-the-wizard");
        await Assertions.Expect(Field(page, "field-name").Locator(".mud-input-error")).ToHaveCountAsync(0);
        await page.GetByTestId("wizard-next").ClickAsync();

        // Control plane: an even count breaks etcd's quorum.
        await Wizard.ChoosePoolAsync(page, "control-plane", new("aws-ap-northeast-1", "t3.medium", 2));
        await ExpectFieldErrorAsync(page.GetByTestId("control-plane-count"), "A control plane needs an odd number of nodes for etcd quorum: choose 1, 3 or 5 (not 2).");
        await NextIsRefusedAsync(page, "step-control-plane");
        await journey.StepAsync("two-control-planes");
        await Wizard.SetCountAsync(page, "control-plane", 1);
        await page.GetByTestId("wizard-next").ClickAsync();

        // Workers: a pool of nothing.
        await Wizard.ChoosePoolAsync(page, "worker-pool-0", new("gcp-europe-west2", "e2-medium", 0));
        await ExpectFieldErrorAsync(page.GetByTestId("worker-pool-0-count"), "Worker count must be between 1 and");
        await NextIsRefusedAsync(page, "step-workers");
        await journey.StepAsync("zero-workers");
        await Wizard.SetCountAsync(page, "worker-pool-0", 1);
        await page.GetByTestId("wizard-next").ClickAsync();

        // Kubernetes: pod and service addresses must not overlap; once Next is tried, both fields say so.
        await page.GetByLabel("Pod CIDR").FillAsync("10.96.0.0/16");
        await ExpectFieldErrorAsync(Field(page, "field-pod-cidr"), "Pod CIDR 10.96.0.0/16 overlaps service CIDR 10.96.0.0/12.");
        await NextIsRefusedAsync(page, "step-kubernetes");
        await ExpectFieldErrorAsync(Field(page, "field-service-cidr"), "Service CIDR 10.96.0.0/12 overlaps pod CIDR 10.96.0.0/16.");
        await journey.StepAsync("overlapping-cidrs");
        await page.GetByLabel("Pod CIDR").FillAsync("10.244.0.0/16");
        // As a person would: leave the field and see both errors go before trying Next again (a click racing the
        // field's own validation could be judged on the old value).
        await page.GetByLabel("Pod CIDR").PressAsync("Tab");
        await Assertions.Expect(Field(page, "field-pod-cidr").Locator(".mud-input-error")).ToHaveCountAsync(0);
        await Assertions.Expect(Field(page, "field-service-cidr").Locator(".mud-input-error")).ToHaveCountAsync(0);
        await page.GetByTestId("wizard-next").ClickAsync();
        await Assertions.Expect(page.GetByTestId("wizard-create")).ToBeEnabledAsync();
        await journey.StepAsync("review-valid");

        // Someone takes the name while the review is open: Create reports it instead of storing a second cluster.
        await api.CreateClusterAsync("from-the-wizard", Elsewhere, Elsewhere);
        await page.GetByTestId("wizard-create").ClickAsync();
        await Assertions.Expect(page.GetByTestId("review-invalid")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("wizard-create")).ToBeDisabledAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/clusters/new$"));
        await journey.StepAsync("name-taken-meanwhile");

        var stored = await api.ClustersAsync();
        Assert.Equal(["from-the-wizard", "taken"], stored.Select(c => c.Name).Order().ToArray());
        Assert.DoesNotContain(stored, c => c.Description == WizardDescription);
        await console.Sandbox.ClearFaultsAsync();
    }

    /// <summary>The whole input (label, box and the message under it) of the field with <paramref name="testId"/>.</summary>
    private static ILocator Field(IPage page, string testId) =>
        page.Locator($".mud-input-control:has([data-testid={testId}]), .mud-input-control[data-testid={testId}]");

    private static async Task ExpectFieldErrorAsync(ILocator field, string message)
    {
        await Assertions.Expect(field.Locator(".mud-input-error").First).ToBeVisibleAsync();
        await Assertions.Expect(field).ToContainTextAsync(message);
    }

    /// <summary>Next does not leave a step with errors, and Create is not on offer.</summary>
    private static async Task NextIsRefusedAsync(IPage page, string step)
    {
        await page.GetByTestId("wizard-next").ClickAsync();
        await Assertions.Expect(page.GetByTestId(step)).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("wizard-create")).ToHaveCountAsync(0);
    }
}
