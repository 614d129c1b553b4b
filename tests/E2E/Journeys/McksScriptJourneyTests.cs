using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ladybug.Api.Contracts;
using Ladybug.Tests.Support;
using static Ladybug.Tests.Support.McksScriptRequests;

namespace Ladybug.Tests.E2E.Journeys;

/// <summary>
/// cb-mcks's docs/test scripts in the order their README runs them — cluster-create, cluster-get, node-add, node-remove,
/// cluster-delete — on the sandbox, each release under its own root: v0.7.0's under /mcks, v0.7.2's under /ladybug.
/// The broken bodies go first and are refused naming their fault; the repaired ones carry the journey.
/// </summary>
public sealed class McksScriptJourneyTests(SandboxConsole console) : IClassFixture<SandboxConsole>
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(3);

    [Theory]
    [InlineData("/mcks", "v0.7.0")]
    [InlineData("/ladybug", "v0.7.2")]
    public async Task CreateGetNodeAddNodeRemoveDeleteUnderTheScriptsRoot(string root, string tag)
    {
        using var http = new HttpClient { BaseAddress = console.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        // The scripts' c_AUTH is HTTP Basic (docs/test/conf.env); the console's administrator stands in for default:default.
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ConsoleHost.AdminUser}:{ConsoleHost.AdminPassword}")));
        var name = $"cluster-{tag.Replace(".", "", StringComparison.Ordinal)}";
        var clusters = $"{root}/ns/cb-mcks-ns/clusters";
        var create = tag == "v0.7.0" ? ClusterCreateV070(name) : ClusterCreateV072(name, "multi");
        var nodeAdd = tag == "v0.7.0" ? NodeAddV070 : NodeAddIbmV072;

        // cluster-create.sh as released: refused, saying why.
        var refused = await StatusAsync(await http.SendAsync(Request(HttpMethod.Post, clusters, create)), HttpStatusCode.BadRequest);
        Assert.Contains(tag == "v0.7.0" ? $"not valid JSON (line {V070MissingCommaLine}," : "did you mean 'default'?", refused);

        // Repaired: accepted, and cluster-get follows it to Provisioned.
        var accepted = await http.SendAsync(Request(HttpMethod.Post, clusters, Repaired(create)));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal($"{clusters}/{name}", accepted.Headers.Location?.OriginalString);
        var cluster = await WaitForAsync(http, $"{clusters}/{name}", c => c.Status.Phase is "Provisioned" or "Failed");
        Assert.Equal(("Provisioned", 4, "canal"), (cluster.Status.Phase, cluster.Nodes.Count, cluster.NetworkCni));
        var before = cluster.Nodes.Select(n => n.Name).ToHashSet();

        // node-add.sh: v0.7.0's "defalut" is refused first; then one worker joins.
        if (nodeAdd.Contains("defalut", StringComparison.Ordinal))
            Assert.Contains("did you mean 'default'?", await StatusAsync(await http.SendAsync(Request(HttpMethod.Post, $"{clusters}/{name}/nodes", nodeAdd)), HttpStatusCode.BadRequest));
        var added = await http.SendAsync(Request(HttpMethod.Post, $"{clusters}/{name}/nodes", Repaired(nodeAdd)));
        Assert.Equal(HttpStatusCode.Accepted, added.StatusCode);
        cluster = await WaitForAsync(http, $"{clusters}/{name}", c => c.Status.Phase == "Failed" || c.Nodes.Count == 5 && c.Nodes.All(n => n.Status == "Ready"));
        Assert.Equal("Provisioned", cluster.Status.Phase);
        var newNode = Assert.Single(cluster.Nodes, n => !before.Contains(n.Name));

        // node-remove.sh with the new node's name.
        await StatusAsync(await WhenNotBusyAsync(http, HttpMethod.Delete, $"{clusters}/{name}/nodes/{newNode.Name}"), HttpStatusCode.Accepted);
        cluster = await WaitForAsync(http, $"{clusters}/{name}", c => c.Status.Phase == "Failed" || c.Nodes.All(n => n.Name != newNode.Name));
        Assert.Equal(("Provisioned", 4), (cluster.Status.Phase, cluster.Nodes.Count));

        // cluster-delete.sh, then cluster-get finds nothing.
        await StatusAsync(await WhenNotBusyAsync(http, HttpMethod.Delete, $"{clusters}/{name}"), HttpStatusCode.Accepted);
        var deadline = DateTime.UtcNow + JobTimeout;
        while ((await http.SendAsync(Request(HttpMethod.Get, $"{clusters}/{name}"))).StatusCode != HttpStatusCode.NotFound)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{name} still exists {JobTimeout} after its delete.");
            await Task.Delay(250);
        }
        Assert.Empty(await console.Sandbox.MachinesOfAsync(name, "cb-mcks-ns"));
    }

    private static async Task<string> StatusAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return body;
    }

    /// <summary>
    /// The node is Ready a moment before its job records its end; until then the cluster answers 409 "busy with another
    /// job; try again when it finishes", and the person running the script runs it again.
    /// </summary>
    private static async Task<HttpResponseMessage> WhenNotBusyAsync(HttpClient http, HttpMethod method, string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var response = await http.SendAsync(Request(method, path));
            if (response.StatusCode != HttpStatusCode.Conflict || DateTime.UtcNow > deadline
                || !(await response.Content.ReadAsStringAsync()).Contains("busy with another job", StringComparison.Ordinal))
                return response;
            await Task.Delay(250);
        }
    }

    /// <summary>cluster-get.sh until <paramref name="done"/> holds.</summary>
    private static async Task<ClusterResource> WaitForAsync(HttpClient http, string path, Func<ClusterResource, bool> done)
    {
        var deadline = DateTime.UtcNow + JobTimeout;
        while (true)
        {
            var response = await http.SendAsync(Request(HttpMethod.Get, path));
            var cluster = JsonSerializer.Deserialize<ClusterResource>(await StatusAsync(response, HttpStatusCode.OK), McksJson.Options)!;
            if (done(cluster)) return cluster;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{path} is {cluster.Status.Phase} ({cluster.Status.Reason}: {cluster.Status.Message}) after {JobTimeout}.");
            await Task.Delay(250);
        }
    }
}
