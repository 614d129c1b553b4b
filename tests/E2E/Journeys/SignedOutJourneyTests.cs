using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Ladybug.Tests.E2E.Journeys;

/// <summary>Journey 7: someone who is not signed in sees only the sign-in page, and machine URLs refuse them.</summary>
public sealed class SignedOutJourneyTests(SandboxConsole console) : IClassFixture<SandboxConsole>
{
    private static readonly string[] Pages = ["/", "/clusters", "/clusters/new", "/clusters/default/some-cluster", "/connections", "/account/tokens"];

    [Fact]
    public async Task EveryPageRedirectsToSignInAndTheKubeconfigApiAndHubAnswer401()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var journey = new Journey("7-signed-out", await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1366, Height = 800 } }));
        foreach (var path in Pages)
        {
            await journey.Page.GotoAsync(new Uri(console.BaseAddress, path).ToString());
            await Assertions.Expect(journey.Page).ToHaveURLAsync(new Regex("/account/login\\?ReturnUrl="));
            await Assertions.Expect(journey.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
            await Assertions.Expect(journey.Page.GetByTestId("phase-chip")).ToHaveCountAsync(0);
            await journey.StepAsync("sign-in-for-" + (path == "/" ? "dashboard" : path.Trim('/').Replace('/', '-')));
        }

        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = console.BaseAddress };
        foreach (var path in new[] { "/clusters/default/some-cluster/kubeconfig", "/clusters/default/some-cluster/log", "/mcks/ns/default/clusters",
                     "/mcks/ns/default/clusters/some-cluster/kubeconfig" })
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsJsonAsync("/mcks/ns/default/clusters", new { name = "intruder" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/hubs/provisioning/negotiate?negotiateVersion=1", null)).StatusCode);

        // A wrong password is no better than none, and nothing was stored on the way.
        using var wrong = new HttpClient { BaseAddress = console.BaseAddress };
        wrong.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String("admin:wrong"u8.ToArray()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/mcks/ns/default/clusters")).StatusCode);
        using var api = new ConsoleApi(console.BaseAddress);
        Assert.Empty(await api.ClustersAsync());
    }
}
