using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ladybug.Sandbox;
using Ladybug.Tests.Unit.Engine.Infrastructure.Tumblebug;

namespace Ladybug.Tests.Unit.Sandbox.Emulator;

/// <summary>
/// Tumblebug v0.13.0's timing over raw HTTP: the per-client rate limit on Infra reads, deletes that take time and fail
/// while they do, refusals while an Infra is busy, and Undefined reads of healthy nodes.
/// </summary>
public sealed class EmulatorTimingTests
{
    private static HttpClient Http(SandboxCloud cloud)
    {
        var http = new HttpClient { BaseAddress = new Uri(cloud.TumblebugUrl.AbsoluteUri + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{cloud.User}:{cloud.Password}")));
        return http;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient http, HttpMethod method, string path, string? body = null, string? client = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        if (client is not null) request.Headers.Add("X-Forwarded-For", client);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    /// <summary>An Infra read that waits its turn when the rate limit answers 429, as a polite client does.</summary>
    private static async Task<JsonElement> ReadAsync(HttpClient http, string path)
    {
        while (true)
        {
            var (status, body) = await SendAsync(http, HttpMethod.Get, path);
            if (status != HttpStatusCode.TooManyRequests) return body;
            await Task.Delay(250);
        }
    }

    private static string NodeStatus(JsonElement status, string node) =>
        status.GetProperty("status").GetProperty("node").EnumerateArray().Single(n => n.GetProperty("id").GetString() == node).GetProperty("status").GetString()!;

    private static string[] NodeIds(JsonElement status) =>
        [.. status.GetProperty("status").GetProperty("node").EnumerateArray().Select(n => n.GetProperty("id").GetString()!)];

    private static Task<(HttpStatusCode Status, JsonElement Body)> CreateAsync(HttpClient http, string? extraGroup = null) =>
        SendAsync(http, HttpMethod.Post, "/ns/default/infraDynamic", extraGroup is null
            ? WireSamples.Text("infra-dynamic-request.json")
            : WireSamples.Text("infra-dynamic-request.json").Replace("\"nodeGroups\": [", "\"nodeGroups\": [" + extraGroup + ","));

    [Fact]
    public async Task InfraReadsBeyondTwoAtOnceAre429PerClientAddress()
    {
        await using var cloud = await TestSandbox.StartAsync();
        using var http = Http(cloud);

        var reads = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++) reads.Add((await SendAsync(http, HttpMethod.Get, "/ns/default/infra/nope?option=status")).Status);
        var limited = await SendAsync(http, HttpMethod.Get, "/ns/default/infra/nope");
        var otherClient = await SendAsync(http, HttpMethod.Get, "/ns/default/infra/nope?option=status", client: "192.0.2.7");
        var otherRoute = await SendAsync(http, HttpMethod.Get, "/ns/default");

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], reads);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal("""{"message":"rate limit exceeded"}""", limited.Body.GetRawText());
        Assert.Equal(HttpStatusCode.BadRequest, otherClient.Status);
        Assert.Equal(HttpStatusCode.OK, otherRoute.Status);
        Assert.Equal(2, cloud.Control.Requests.Count(r => r.StatusCode == 429));
    }

    [Fact]
    public async Task TheLimitRefillsAtTwoReadsASecond()
    {
        await using var cloud = await TestSandbox.StartAsync();
        using var http = Http(cloud);
        for (var i = 0; i < 3; i++) await SendAsync(http, HttpMethod.Get, "/ns/default/infra/nope?option=status");

        await Task.Delay(TimeSpan.FromMilliseconds(600));
        var refilled = await SendAsync(http, HttpMethod.Get, "/ns/default/infra/nope?option=status");

        Assert.Equal(HttpStatusCode.BadRequest, refilled.Status);
    }

    [Fact]
    public async Task ANodeDeleteThatOutlastsTumblebugsChecksIs400AndTheNodeGoesOnTerminating()
    {
        await using var cloud = await TestSandbox.StartAsync(o => o.Timing.NodeTerminationTime = TimeSpan.FromSeconds(1));
        using var http = Http(cloud);
        await CreateAsync(http);
        var vm = cloud.Machines.Single(m => m.NodeId == "cp-1");

        var first = await SendAsync(http, HttpMethod.Delete, "/ns/default/infra/c1/node/cp-1");
        var during = await ReadAsync(http, "/ns/default/infra/c1?option=status");
        var terminated = await TestSandbox.EventuallyAsync(async () => NodeStatus(await ReadAsync(http, "/ns/default/infra/c1?option=status"), "cp-1") == "Terminated", TimeSpan.FromSeconds(10));
        var listedWhenTerminated = NodeIds(await ReadAsync(http, "/ns/default/infra/c1?option=status"));
        var again = await SendAsync(http, HttpMethod.Delete, "/ns/default/infra/c1/node/cp-1");
        var after = await ReadAsync(http, "/ns/default/infra/c1?option=status");

        Assert.Equal((HttpStatusCode.BadRequest, """{"message":"Failed to delete the Node info"}"""), (first.Status, first.Body.GetRawText()));
        Assert.Equal("Terminating", NodeStatus(during, "cp-1"));
        Assert.True(terminated);
        Assert.Equal(["cp-1"], listedWhenTerminated);
        Assert.Empty(TestSandbox.ProcessesUsing(vm.Directory));
        Assert.Equal((HttpStatusCode.OK, "Deleted the Node info"), (again.Status, again.Body.GetProperty("message").GetString()));
        Assert.Empty(NodeIds(after));
    }

    [Fact]
    public async Task ANodeDeleteRepeatedWhileTerminatingSucceedsOnceTheVmIsGone()
    {
        await using var cloud = await TestSandbox.StartAsync(o => o.Timing.NodeTerminationTime = TimeSpan.FromMilliseconds(500));
        using var http = Http(cloud);
        await CreateAsync(http);

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 10 && codes.LastOrDefault() != HttpStatusCode.OK; i++)
            codes.Add((await SendAsync(http, HttpMethod.Delete, "/ns/default/infra/c1/node/cp-1")).Status);

        Assert.Equal(HttpStatusCode.BadRequest, codes[0]);
        Assert.Equal(HttpStatusCode.OK, codes[^1]);
        Assert.Empty(NodeIds(await ReadAsync(http, "/ns/default/infra/c1?option=status")));
    }

    [Fact]
    public async Task ANodeStillCreatingIsNotDeleted()
    {
        await using var cloud = await TestSandbox.StartAsync(o =>
        {
            o.CreationWaitLimit = TimeSpan.FromSeconds(1);
            o.Faults.NeverRunningOnConnections.Add("aws-ap-northeast-1");
        });
        using var http = Http(cloud);
        await CreateAsync(http);

        var delete = await SendAsync(http, HttpMethod.Delete, "/ns/default/infra/c1/node/cp-1");

        Assert.Equal((HttpStatusCode.BadRequest, "Failed to delete the Node info"), (delete.Status, delete.Body.GetProperty("message").GetString()));
        Assert.Equal("Creating", NodeStatus(await ReadAsync(http, "/ns/default/infra/c1?option=status"), "cp-1"));
    }

    [Fact]
    public async Task ARunningNodeOfAnInfraUnderCreateIsNotDeleted()
    {
        await using var cloud = await TestSandbox.StartAsync(o =>
        {
            o.CreationWaitLimit = TimeSpan.FromSeconds(1);
            o.Faults.NeverRunningOnConnections.Add("gcp-europe-west2");
        });
        using var http = Http(cloud);
        await CreateAsync(http, """
            { "name": "w1", "nodeGroupSize": 1, "specId": "gcp+europe-west2+e2-medium",
              "imageId": "https://www.googleapis.com/compute/v1/projects/ubuntu-os-cloud/global/images/ubuntu-2204-jammy-v20250110" }
            """);

        var cpRunning = await TestSandbox.EventuallyAsync(async () => NodeStatus(await ReadAsync(http, "/ns/default/infra/c1?option=status"), "cp-1") == "Running", TimeSpan.FromSeconds(30));

        var delete = await SendAsync(http, HttpMethod.Delete, "/ns/default/infra/c1/node/cp-1");
        var status = await ReadAsync(http, "/ns/default/infra/c1?option=status");

        Assert.True(cpRunning);
        Assert.Equal(HttpStatusCode.BadRequest, delete.Status);
        Assert.Equal("Create", status.GetProperty("status").GetProperty("targetAction").GetString());
        Assert.Equal("Running", NodeStatus(status, "cp-1"));
    }

    [Fact]
    public async Task AnInfraTerminateThatOutlastsItsWaitIs500AndARetryDeletesIt()
    {
        await using var cloud = await TestSandbox.StartAsync(o =>
        {
            o.Timing.NodeTerminationTime = TimeSpan.FromSeconds(1);
            o.Timing.InfraTerminateWait = TimeSpan.FromMilliseconds(200);
        });
        using var http = Http(cloud);
        await CreateAsync(http);

        var first = await SendAsync(http, HttpMethod.Delete, "/ns/default/infra/c1?option=terminate");
        var access = await SendAsync(http, HttpMethod.Get, "/ns/default/infra/c1?option=accessinfo");
        var nodeDelete = await SendAsync(http, HttpMethod.Delete, "/ns/default/infra/c1/node/cp-1");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var again = await SendAsync(http, HttpMethod.Delete, "/ns/default/infra/c1?option=terminate");
        var gone = await SendAsync(http, HttpMethod.Get, "/ns/default/infra/c1?option=status");

        Assert.Equal(HttpStatusCode.InternalServerError, first.Status);
        Assert.Equal("Infra c1 is still Terminating:1 (R:0/1) — termination is in progress. Please retry deletion in a few minutes", first.Body.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.InternalServerError, access.Status);
        Assert.StartsWith("Infra c1 is currently being terminated or in terminate action", access.Body.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, nodeDelete.Status);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(["[Done] Node: cp-1", "[Done] NodeGroup: cp", "[Done] Infra: c1"], again.Body.GetProperty("output").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, gone.Status);
    }

    [Fact]
    public async Task AHealthyRunningNodeCanReadUndefinedForOneRead()
    {
        await using var cloud = await TestSandbox.StartAsync();
        using var http = Http(cloud);
        await CreateAsync(http);
        // Only the one deterministic Undefined read: the random rate (2% by default) would make the next read flaky.
        cloud.Control.Faults = new SandboxFaults { UndefinedStatusReads = 1, UndefinedStatusRate = 0 };

        var undefined = await ReadAsync(http, "/ns/default/infra/c1?option=status");
        var next = await ReadAsync(http, "/ns/default/infra/c1?option=status");

        Assert.Equal("Undefined", NodeStatus(undefined, "cp-1"));
        Assert.Equal("Undefined:1 (R:0/1)", undefined.GetProperty("status").GetProperty("status").GetString());
        Assert.Equal("Running", NodeStatus(next, "cp-1"));
    }

    [Fact]
    public async Task TheCreatingCallsAnswerCanReadAHealthyNodeUndefined()
    {
        await using var cloud = await TestSandbox.StartAsync(o => o.Faults.UndefinedStatusReads = 1);
        using var http = Http(cloud);

        var (status, answer) = await CreateAsync(http);

        // CreateInfra answers with GetInfraInfo, which asks the CSPs like any Infra read: the answer is no surer than a poll.
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Undefined", answer.GetProperty("node").EnumerateArray().Single(n => n.GetProperty("id").GetString() == "cp-1").GetProperty("status").GetString());
        Assert.Equal("Running", NodeStatus(await ReadAsync(http, "/ns/default/infra/c1?option=status"), "cp-1"));
    }

    [Fact]
    public async Task ANodeBeingCreatedNeverReadsUndefined()
    {
        await using var cloud = await TestSandbox.StartAsync(o =>
        {
            o.CreationWaitLimit = TimeSpan.FromMilliseconds(500);
            o.Faults.NeverRunningOnConnections.Add("aws-ap-northeast-1");
            o.Faults.UndefinedStatusRate = 1;
        });
        using var http = Http(cloud);
        await CreateAsync(http);

        Assert.Equal("Creating", NodeStatus(await ReadAsync(http, "/ns/default/infra/c1?option=status"), "cp-1"));
    }

    [Fact]
    public void UndefinedReadsAreOnByDefault() => Assert.True(new SandboxFaults().UndefinedStatusRate > 0);
}
