using System.Text.RegularExpressions;
using Microsoft.Playwright;
using YamlDotNet.RepresentationModel;

namespace Ladybug.Tests.E2E.Journeys;

/// <summary>
/// Journey 1: from sign-in through the wizard to a provisioned cluster on three clouds, watching the log stream while
/// it runs, then checking its nodes, its map and the kubeconfig a person downloads.
/// </summary>
public sealed class HappyPathJourneyTests(SandboxConsole console) : IClassFixture<SandboxConsole>
{
    private static readonly ClusterChoice TokyoLondonSeoul = new("tokyo-london-seoul",
        new("aws-ap-northeast-1", "t3.medium"),
        [new("gcp-europe-west2", "e2-medium", 2), new("azure-koreacentral", "Standard_B2s")],
        Minor: "1.23", Cni: "Kilo");

    [Fact]
    public async Task WizardToProvisionedClusterOnThreeCloudsWithLiveLogsNodesMapAndKubeconfig()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 }, AcceptDownloads = true });
        var journey = new Journey("1-happy-path", page);
        await Browser.SignInAsync(page, console.Host);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();
        await journey.StepAsync("dashboard");

        await Wizard.FillToReviewAsync(page, TokyoLondonSeoul, journey);
        await Assertions.Expect(page.GetByTestId("summary-total")).ToContainTextAsync("4 nodes in 3 regions of 3 clouds");
        await Assertions.Expect(page.GetByTestId("summary-version")).ToContainTextAsync(new Regex(@"^1\.23\.\d+$"));
        await Assertions.Expect(page.GetByTestId("summary-cni")).ToHaveTextAsync("Kilo");
        var preview = await ClusterPage.MarkersAsync(page, 3);
        Assert.Equal(["aws/ap-northeast-1", "azure/koreacentral", "gcp/europe-west2"], preview.Select(m => $"{m.Csp}/{m.Region}").Order().ToArray());
        // The estimate from Tumblebug's spec prices, and the round-trip times between the three regions from its latency table.
        await Assertions.Expect(page.GetByTestId("cost-pool")).ToHaveCountAsync(3);
        await Assertions.Expect(page.GetByTestId("cost-total-hour")).ToHaveTextAsync(new Regex(@"^\$\d"));
        await Assertions.Expect(page.GetByTestId("cost-total-month")).ToHaveTextAsync(new Regex(@"^\$[\d,]+\.\d\d$"));
        await Assertions.Expect(page.GetByTestId("rtt-pair")).ToHaveCountAsync(3);
        await Assertions.Expect(page.GetByTestId("rtt-pair").Filter(new() { HasText = "Google Cloud europe-west2" }).First).ToContainTextAsync(" ms");
        await Assertions.Expect(page.GetByTestId("placement-warning")).ToHaveCountAsync(0);
        await journey.StepAsync("review");

        // Canal for nodes in three clouds is warned about on the Review step; back to Kilo, the warning goes.
        await page.GetByTestId("wizard-back").ClickAsync();
        await page.GetByTestId("step-kubernetes").GetByText("Canal", new() { Exact = true }).ClickAsync();
        await page.GetByTestId("wizard-next").ClickAsync();
        await Assertions.Expect(page.GetByTestId("placement-warning")).ToContainTextAsync("Kilo");
        await journey.StepAsync("review-canal-warning");
        await page.GetByTestId("wizard-back").ClickAsync();
        await page.GetByTestId("step-kubernetes").GetByText("Kilo", new() { Exact = true }).ClickAsync();
        await page.GetByTestId("wizard-next").ClickAsync();
        await Assertions.Expect(page.GetByTestId("placement-warning")).ToHaveCountAsync(0);

        await page.GetByTestId("wizard-create").ClickAsync();
        await page.WaitForURLAsync(new Regex("/clusters/default/tokyo-london-seoul$"));
        await Browser.WaitInteractiveAsync(page);

        // From the start, the timeline shows the whole plan: step n of m, a bar, and steps not yet run greyed.
        var progress = page.GetByTestId("step-timeline").GetByTestId("job-progress-text");
        await Assertions.Expect(progress).ToContainTextAsync(new Regex(@"step \d+ of \d+"));
        await Assertions.Expect(page.GetByTestId("step-timeline").GetByRole(AriaRole.Progressbar)).ToBeVisibleAsync();
        Assert.True(await page.Locator("[data-testid=step][data-state=Pending]").CountAsync() > 0, "no pending step shown while the create job runs");
        await journey.StepAsync("progress");

        // The log grows while the job runs: several readings, each larger, all before the phase is Provisioned.
        var growingReadings = new List<int>();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (await ClusterPage.PhaseAsync(page) is not ("Provisioned" or "Failed"))
        {
            Assert.True(DateTime.UtcNow < deadline, $"tokyo-london-seoul still not Provisioned or Failed after 3 min; log readings {string.Join(", ", growingReadings)}");
            var lines = await ClusterPage.LogLineCountAsync(page);
            if (lines > 0 && (growingReadings.Count == 0 || lines > growingReadings[^1]))
            {
                growingReadings.Add(lines);
                if (growingReadings.Count == 2) await journey.StepAsync("provisioning-live-log");
            }
            await Task.Delay(150);
        }
        Assert.True(growingReadings.Count >= 3, $"log readings while provisioning: {string.Join(", ", growingReadings)}");
        await ClusterPage.ExpectPhaseAsync(page, "Provisioned", 5_000);
        await journey.StepAsync("provisioned");

        await ClusterPage.OpenTabAsync(page, "Nodes");
        await Assertions.Expect(page.GetByTestId("node-name")).ToHaveCountAsync(4);
        var nodes = await ClusterPage.NodesAsync(page);
        Assert.Equal(["AWS ap-northeast-1 control plane", "Azure koreacentral worker", "Google Cloud europe-west2 worker", "Google Cloud europe-west2 worker"],
            nodes.Select(n => $"{n.Cloud} {n.Region} {n.Role}").Order().ToArray());
        Assert.All(nodes, n => Assert.Matches(@"^127\.\d+\.\d+\.\d+$", n.PublicIp));
        await journey.StepAsync("nodes");

        await ClusterPage.OpenTabAsync(page, "Map");
        var markers = await ClusterPage.MarkersAsync(page, 3);
        Assert.Equal(["aws/ap-northeast-1/1", "azure/koreacentral/1", "gcp/europe-west2/2"],
            markers.Select(m => $"{m.Csp}/{m.Region}/{m.Count}").Order().ToArray());
        Assert.Equal(3, markers.Select(m => m.Colour).Distinct().Count());
        await journey.StepAsync("map");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-kubeconfig").ClickAsync());
        Assert.Equal("tokyo-london-seoul.kubeconfig.yaml", download.SuggestedFilename);
        var server = KubeconfigServer(await File.ReadAllTextAsync(await download.PathAsync()));
        var controlPlane = nodes.Single(n => n.Role == "control plane");
        Assert.Equal($"https://{controlPlane.PublicIp}:6443", server);
        await Assertions.Expect(page.GetByTestId("api-endpoint")).ToHaveTextAsync(server);
        await journey.StepAsync("kubeconfig-downloaded");

        // The cloud really holds four VMs for it, each a live sshd.
        var machines = await console.Sandbox.MachinesOfAsync("tokyo-london-seoul");
        Assert.Equal(4, machines.Count);
        Assert.Equal(4, console.Sandbox.SshdProcessesOf("tokyo-london-seoul").Count);
    }

    /// <summary>Parses the file as a kubeconfig (kind Config, a cluster, a user, a current context) and returns its server.</summary>
    private static string KubeconfigServer(string kubeconfig)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(kubeconfig));
        var root = (YamlMappingNode)yaml.Documents.Single().RootNode;
        Assert.Equal("Config", root["kind"].ToString());
        Assert.Equal("v1", root["apiVersion"].ToString());
        var cluster = (YamlMappingNode)((YamlMappingNode)((YamlSequenceNode)root["clusters"]).Single())["cluster"];
        Assert.NotEmpty(cluster["certificate-authority-data"].ToString());
        var user = (YamlMappingNode)((YamlMappingNode)((YamlSequenceNode)root["users"]).Single())["user"];
        Assert.NotEmpty(user["client-certificate-data"].ToString());
        Assert.NotEmpty(root["current-context"].ToString());
        return cluster["server"].ToString();
    }
}
