using Ladybug.Cli;
using Ladybug.Tests.Support;
using Microsoft.Playwright;

namespace Ladybug.Tests.E2E.Journeys;

/// <summary>
/// The talk's demo ("MCKS 맛보기") on the sandbox, typed as the talk types it (<see cref="TalkDemo"/>): a cluster of
/// one AWS Tokyo control plane and two GCP Tokyo workers, then one more AWS Tokyo worker. The console then shows four
/// Ready nodes over two clouds.
/// </summary>
public sealed class TalkDemoJourneyTests(SandboxConsole console) : IClassFixture<SandboxConsole>
{
    [Fact]
    public async Task TheTalksTwoCommandsBuildAClusterOfThreeOverTwoCloudsThenAddANode()
    {
        using var api = new ConsoleApi(console.BaseAddress);

        var created = await RunCliAsync(TalkDemo.CreateCluster);
        Assert.True(created.ExitCode == 0, created.Output);
        var provisioned = await api.WaitForAsync(TalkDemo.Cluster, c => c.Status.Phase is "Provisioned" or "Failed", TimeSpan.FromMinutes(3), TalkDemo.Namespace);
        Assert.Equal("Provisioned", provisioned.Status.Phase);
        Assert.Equal(["aws/t2.medium", "gcp/e2-highcpu-4", "gcp/e2-highcpu-4"], provisioned.Nodes.Select(n => $"{n.Csp}/{n.Spec[(n.Spec.LastIndexOf('+') + 1)..]}").Order().ToArray());

        var added = await RunCliAsync(TalkDemo.CreateNode);
        Assert.True(added.ExitCode == 0, added.Output);
        var grown = await api.WaitForAsync(TalkDemo.Cluster, c => c.Status.Phase == "Failed" || c.Nodes.Count == 4 && c.Nodes.All(n => n.Status == "Ready"),
            TimeSpan.FromMinutes(3), TalkDemo.Namespace);
        Assert.Equal("Provisioned", grown.Status.Phase);

        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        var journey = new Journey("talk-demo", page);
        await Browser.SignInAsync(page, console.Host, $"/clusters/{TalkDemo.Namespace}/{TalkDemo.Cluster}");
        await ClusterPage.ExpectPhaseAsync(page, "Provisioned", 10_000);
        await ClusterPage.OpenTabAsync(page, "Nodes");
        await Assertions.Expect(page.GetByTestId("node-name")).ToHaveCountAsync(4);
        var nodes = await ClusterPage.NodesAsync(page);
        Assert.All(nodes, n => Assert.Contains("Ready", n.Status, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(3, nodes.Count(n => n.Role.Contains("worker", StringComparison.OrdinalIgnoreCase)));
        await journey.StepAsync("four-nodes");
        await ClusterPage.OpenTabAsync(page, "Map");
        // Product decision: markers stay at their true places, so AWS Tokyo and GCP Tokyo (0.4° apart) overlap and draw
        // as one cluster of both clouds at world zoom (no zoom separates them); a click spreads the cluster into the two
        // markers side by side, each with a line to its true place.
        var tokyo = page.Locator("[data-testid=map-cluster]:visible");
        await Assertions.Expect(tokyo).ToHaveAttributeAsync("data-regions", "2");
        await Assertions.Expect(tokyo).ToHaveAttributeAsync("data-count", "4");
        await journey.StepAsync("one-cluster-in-tokyo");
        await ClusterPage.ExpandClustersAsync(page);
        Assert.Equal(["aws/ap-northeast-1", "gcp/asia-northeast1"], (await ClusterPage.MarkersAsync(page, 2)).Select(m => $"{m.Csp}/{m.Region}").Order().ToArray());
        await journey.StepAsync("two-clouds-in-tokyo");
    }

    private async Task<(int ExitCode, string Output)> RunCliAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var home = Directory.CreateTempSubdirectory("ladybug-e2e-cli-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["LADYBUG_SERVER"] = console.BaseAddress.ToString(),
            ["LADYBUG_USER"] = ConsoleHost.AdminUser,
            ["LADYBUG_PASSWORD"] = ConsoleHost.AdminPassword,
        };
        var env = new CliEnvironment(output, error, new StringReader(""), name => environment.GetValueOrDefault(name), home);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var exitCode = await LadybugCli.RunAsync(args, env, timeout.Token);
        return (exitCode, $"{output}{error}");
    }
}
