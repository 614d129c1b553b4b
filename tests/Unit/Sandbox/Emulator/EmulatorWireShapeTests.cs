using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ladybug.Sandbox;
using Ladybug.Tests.Unit.Engine.Infrastructure.Tumblebug;

namespace Ladybug.Tests.Unit.Sandbox.Emulator;

/// <summary>
/// The emulator over raw HTTP against the samples written from the swagger: same keys, same JSON kinds, same
/// status codes and {"message"} errors as Tumblebug — independent of the engine's client.
/// </summary>
public sealed class EmulatorWireShapeTests : EmulatorHttpTests
{
    private static void AssertShape(string sample, JsonElement actual) =>
        Assert.Empty(WireSamples.ShapeDifferences(WireSamples.Json(sample), actual));

    private Task<(HttpStatusCode Status, JsonElement Body)> CreateSampleInfraAsync() =>
        SendAsync(HttpMethod.Post, "/ns/default/infraDynamic", WireSamples.Text("infra-dynamic-request.json"));

    [Fact]
    public async Task ReadinessNamespacesAndConnectionsHaveTumblebugsShapes()
    {
        var ready = await SendAsync(HttpMethod.Get, "/readyz");
        var ns = await SendAsync(HttpMethod.Get, "/ns/default");
        var created = await SendAsync(HttpMethod.Post, "/ns", WireSamples.Text("ns-request.json"));
        var connections = await SendAsync(HttpMethod.Get, "/connConfig?filterVerified=true");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], new[] { ready.Status, ns.Status, created.Status, connections.Status });
        AssertShape("readyz.json", ready.Body);
        AssertShape("ns-info.json", ns.Body);
        AssertShape("ns-info.json", created.Body);
        Assert.Equal("team-a", created.Body.GetProperty("id").GetString());
        AssertShape("conn-config-list.json", connections.Body);
    }

    [Fact]
    public async Task SpecAndImageSearchesAcceptTheSampleRequestsAndAnswerInShape()
    {
        var specs = await SendAsync(HttpMethod.Post, "/ns/system/resources/filterSpecsByRange", WireSamples.Text("filter-specs-request.json"));
        var images = await SendAsync(HttpMethod.Post, "/ns/system/resources/searchImage", WireSamples.Text("search-image-request.json"));

        AssertShape("filter-specs-response.json", specs.Body);
        // "t3" is a substring filter (spec.go:3051-3076 @v0.13.0), so t3a is found too; 2-4 vCPU and 2-16 GiB leave out nano and micro.
        Assert.Equal(["aws+ap-northeast-1+t3.large", "aws+ap-northeast-1+t3.medium", "aws+ap-northeast-1+t3.small", "aws+ap-northeast-1+t3.xlarge",
                      "aws+ap-northeast-1+t3a.large", "aws+ap-northeast-1+t3a.medium", "aws+ap-northeast-1+t3a.small", "aws+ap-northeast-1+t3a.xlarge"],
            specs.Body.GetProperty("spec").EnumerateArray().Select(s => s.GetProperty("id").GetString()).Order());
        AssertShape("search-image-response.json", images.Body);
        Assert.Equal("ami-0e07ba22543b43e47", images.Body.GetProperty("imageList")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task AnInfraCreatedFromTheSampleRequestIsAnsweredInEveryShape()
    {
        var created = await CreateSampleInfraAsync();
        var read = await SendAsync(HttpMethod.Get, "/ns/default/infra/c1");
        var status = await SendAsync(HttpMethod.Get, "/ns/default/infra/c1?option=status");
        await Task.Delay(TimeSpan.FromMilliseconds(600)); // Tumblebug lets a client read an Infra twice at once, then twice a second.
        var access = await SendAsync(HttpMethod.Get, "/ns/default/infra/c1?option=accessinfo&accessInfoOption=showSshKey");
        var added = await SendAsync(HttpMethod.Post, "/ns/default/infra/c1/nodeGroupDynamic", WireSamples.Text("node-group-dynamic-request.json"));
        var deletedNode = await SendAsync(HttpMethod.Delete, "/ns/default/infra/c1/node/w1-2");
        var deleted = await SendAsync(HttpMethod.Delete, "/ns/default/infra/c1?option=terminate");

        Assert.Equal(HttpStatusCode.OK, created.Status);
        AssertShape("infra-info.json", created.Body);
        Assert.Equal("Running:1 (R:1/1)", created.Body.GetProperty("status").GetString());
        AssertShape("infra-info.json", read.Body);
        AssertShape("infra-status.json", status.Body);
        AssertShape("infra-access-info.json", access.Body);
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----",
            access.Body.GetProperty("InfraNodeGroupAccessInfo")[0].GetProperty("NodeAccessInfo")[0].GetProperty("privateKey").GetString());
        AssertShape("infra-info.json", added.Body);
        Assert.Equal(["w1-1", "w1-2"], added.Body.GetProperty("newNodeList").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal("Running:3 (R:3/3)", added.Body.GetProperty("status").GetString());
        // The node is still Terminating after Tumblebug's checks: 400, and it stays listed until the Infra goes.
        Assert.Equal(HttpStatusCode.BadRequest, deletedNode.Status);
        AssertShape("simple-msg.json", deletedNode.Body);
        AssertShape("id-list.json", deleted.Body);
        Assert.Equal(["[Done] Node: cp-1", "[Done] Node: w1-1", "[Done] Node: w1-2", "[Done] NodeGroup: cp", "[Done] NodeGroup: w1", "[Done] Infra: c1"],
            deleted.Body.GetProperty("output").EnumerateArray().Select(n => n.GetString()));
    }

    [Fact]
    public async Task TheSshKeyIsShownOnlyWhenAskedFor()
    {
        await CreateSampleInfraAsync();

        var access = await SendAsync(HttpMethod.Get, "/ns/default/infra/c1?option=accessinfo");

        Assert.False(access.Body.GetProperty("InfraNodeGroupAccessInfo")[0].GetProperty("NodeAccessInfo")[0].TryGetProperty("privateKey", out _));
    }

    [Fact]
    public async Task PartialStatusesAreCountedLikeTumblebug()
    {
        Cloud.Control.Faults = new SandboxFaults { FailCreateOnConnections = ["gcp-europe-west2"] };
        var request = WireSamples.Text("infra-dynamic-request.json").Replace("\"nodeGroups\": [", """
            "nodeGroups": [{ "name": "w1", "nodeGroupSize": 2, "specId": "gcp+europe-west2+e2-medium",
              "imageId": "https://www.googleapis.com/compute/v1/projects/ubuntu-os-cloud/global/images/ubuntu-2204-jammy-v20250110" },
            """);

        var created = await SendAsync(HttpMethod.Post, "/ns/default/infraDynamic", request);

        Assert.Equal("Partial-Failed:2 (R:1/3)", created.Body.GetProperty("status").GetString());
        var failed = created.Body.GetProperty("node").EnumerateArray().First(n => n.GetProperty("id").GetString() == "w1-1");
        Assert.Equal(("Failed", "", "None"), (failed.GetProperty("status").GetString(), failed.GetProperty("publicIP").GetString(), failed.GetProperty("targetAction").GetString()));
    }

    [Theory]
    [InlineData("GET", "/ns/default/infra/nope", null, 500, "The infra nope does not exist.")]
    [InlineData("GET", "/ns/default/infra/nope?option=status", null, 400, "Not found [/ns/default/infra/nope]")]
    [InlineData("DELETE", "/ns/default/infra/nope?option=terminate", null, 500, "The infra nope does not exist.")]
    [InlineData("DELETE", "/ns/default/infra/nope/node/g1-1", null, 400, "Failed to delete the Node info")]
    [InlineData("GET", "/ns/nowhere/infra/nope", null, 404, "Not valid namespace")]
    [InlineData("GET", "/no/such/route", null, 404, "Not Found")]
    [InlineData("POST", "/ns/default/infraDynamic", "{\"name\":\"c9\",\"nodeGroups\":[{\"name\":\"g1\",\"specId\":\"aws+ap-northeast-1+z9.huge\",\"imageId\":\"x\"}]}", 400,
        "Failed to find the spec aws+ap-northeast-1+z9.huge: not found in namespace system.")]
    // t2 is not sold in Jakarta: Tumblebug's spec table has no such row, so the lookup fails (src/core/resource/spec.go:2944-2969 @v0.13.0).
    [InlineData("POST", "/ns/default/infraDynamic", "{\"name\":\"c9\",\"nodeGroups\":[{\"name\":\"g1\",\"specId\":\"aws+ap-southeast-3+t2.medium\",\"imageId\":\"x\"}]}", 400,
        "Failed to find the spec aws+ap-southeast-3+t2.medium: not found in namespace system.")]
    [InlineData("POST", "/ns/default/infraDynamic", "{not json", 400, null)]
    [InlineData("POST", "/ns", "{\"name\":\"default\"}", 500, "CreateNs(); The namespace default already exists.")]
    public async Task ErrorsAreTumblebugsMessageWithItsStatusCode(string method, string path, string? body, int status, string? message)
    {
        var answer = await SendAsync(new HttpMethod(method), path, body);

        Assert.Equal((HttpStatusCode)status, answer.Status);
        Assert.Equal(JsonValueKind.String, answer.Body.GetProperty("message").ValueKind);
        if (message is not null) Assert.Equal(message, answer.Body.GetProperty("message").GetString());
        Assert.Single(answer.Body.EnumerateObject());
    }

    [Fact]
    public async Task ASecondInfraOfTheSameNameIsRefused()
    {
        await CreateSampleInfraAsync();

        var again = await CreateSampleInfraAsync();

        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Equal("The infra c1 already exists.", again.Body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task WithoutCredentialsOnlyTheHealthPathsAnswer()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(Cloud.TumblebugUrl.AbsoluteUri + "/") };

        var denied = await anonymous.GetAsync("connConfig");
        var alive = await anonymous.GetAsync("livez");

        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.Equal("""{"message":"Unauthorized"}""", await denied.Content.ReadAsStringAsync());
        Assert.Equal("""{"message":"CB-Tumblebug is alive"}""", await alive.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheRequestIdIsEchoedAndOneAlreadyUsedIsRefused()
    {
        await using var cloud = await TestSandbox.StartAsync(o =>
        {
            o.CreationWaitLimit = TimeSpan.FromSeconds(2);
            o.Faults.NeverRunningOnConnections.Add("aws-ap-northeast-1");
        });
        using var http = new HttpClient { BaseAddress = new Uri(cloud.TumblebugUrl.AbsoluteUri + "/") };
        http.DefaultRequestHeaders.Authorization = Http.DefaultRequestHeaders.Authorization;
        using var tracked = new HttpRequestMessage(HttpMethod.Post, "ns/default/infraDynamic")
        {
            Content = new StringContent(WireSamples.Text("infra-dynamic-request.json"), Encoding.UTF8, "application/json"),
        };
        tracked.Headers.Add("X-Request-Id", "ladybug-test-1");

        var creating = http.SendAsync(tracked);
        var inFlight = await TestSandbox.EventuallyAsync(async () => (await http.GetAsync("ns/default/infra/c1?option=status")).IsSuccessStatusCode, TimeSpan.FromSeconds(10));
        using var clashing = new HttpRequestMessage(HttpMethod.Get, "ns/default");
        clashing.Headers.Add("X-Request-Id", "ladybug-test-1");
        var clash = await http.SendAsync(clashing);
        var created = await creating;
        using var again = new HttpRequestMessage(HttpMethod.Get, "ns/default");
        again.Headers.Add("X-Request-Id", "ladybug-test-1");
        var reused = await http.SendAsync(again);

        Assert.True(inFlight);
        // A plain error from the request-id middleware: Echo answers 500, while the call runs and for an hour after.
        Assert.Equal(HttpStatusCode.InternalServerError, clash.StatusCode);
        Assert.Equal("""{"message":"Internal Server Error"}""", await clash.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.InternalServerError, reused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal("ladybug-test-1", created.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("Creating:1 (R:0/1)", JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }
}
