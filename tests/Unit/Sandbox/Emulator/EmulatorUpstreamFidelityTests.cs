using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ladybug.Sandbox;
using Ladybug.Sandbox.Catalog;
using Ladybug.Sandbox.Emulator;
using Ladybug.Tests.Unit.Engine.Infrastructure.Tumblebug;

namespace Ladybug.Tests.Unit.Sandbox.Emulator;

/// <summary>
/// The emulator against cb-tumblebug v0.13.0's Go code where the hand-written samples were silent: nil slices, status
/// codes of failed creates, policyOnPartialFailure, node-group and namespace errors, naming, options.
/// </summary>
public sealed partial class EmulatorUpstreamFidelityTests : EmulatorHttpTests
{
    // These tests read one Infra several times in a row to compare its views; the 2/s read limit has its own tests.
    protected override void Configure(SandboxOptions options) => options.Timing.InfraReadsPerSecond = 0;

    private const string Aws = "aws+ap-northeast-1+t3.medium";
    private const string AwsImage = "ami-0e07ba22543b43e47";
    private const string Gcp = "gcp+europe-west2+e2-medium";
    private const string GcpImage = "https://www.googleapis.com/compute/v1/projects/ubuntu-os-cloud/global/images/ubuntu-2204-jammy-v20250110";

    private static string Group(string name, string spec, string image, int size = 1, string? connection = null) =>
        $$"""{"name":"{{name}}","nodeGroupSize":{{size}},"specId":"{{spec}}","imageId":"{{image}}"{{(connection is null ? "" : $",\"connectionName\":\"{connection}\"")}}}""";

    private Task<(HttpStatusCode Status, JsonElement Body)> CreateAsync(string name, string policy, params string[] groups) =>
        SendAsync(HttpMethod.Post, "/ns/default/infraDynamic", $$"""{"name":"{{name}}","policyOnPartialFailure":"{{policy}}","nodeGroups":[{{string.Join(",", groups)}}]}""");

    private static string Message(JsonElement body) => body.GetProperty("message").GetString()!;

    [Fact]
    public async Task WithNoVerifiedConnectionTheListIsNull()
    {
        Cloud.Control.Faults = new SandboxFaults { UnverifiedConnections = ["*"] };

        var verified = await Http.GetStringAsync("connConfig?filterVerified=true");
        var all = await SendAsync(HttpMethod.Get, "/connConfig");

        Assert.Equal("""{"connectionconfig":null}""", verified);
        Assert.All(all.Body.GetProperty("connectionconfig").EnumerateArray(), c => Assert.False(c.GetProperty("verified").GetBoolean()));
    }

    [Fact]
    public async Task AllVmsFailedIs400WithTheTimelineAndTheInfraKept()
    {
        Cloud.Control.Faults = new SandboxFaults { FailCreateOnConnections = ["aws-ap-northeast-1"] };

        var created = await CreateAsync("c1", "continue", Group("cp", Aws, AwsImage));
        var status = await SendAsync(HttpMethod.Get, "/ns/default/infra/c1?option=status");

        Assert.Equal(HttpStatusCode.BadRequest, created.Status);
        var message = Message(created.Body);
        Assert.StartsWith("Infra 'c1' creation failed in final provisioning stage.\n\nComplete Error Timeline:\n  1. [", message);
        Assert.Contains("Detail: Infra 'c1' creation failed: all 1 VMs failed to create.\n\nError: VM cp-1: Sandbox fault", message);
        Assert.Equal(("Failed:1 (R:0/1)", "None"), (status.Body.GetProperty("status").GetProperty("status").GetString(), status.Body.GetProperty("status").GetProperty("targetAction").GetString()));
    }

    [Fact]
    public async Task APartialFailureIs200WithCreationErrorsAndSystemMessages()
    {
        Cloud.Control.Faults = new SandboxFaults { FailCreateOnConnections = ["gcp-europe-west2"] };

        var created = await CreateAsync("c1", "continue", Group("cp", Aws, AwsImage), Group("w1", Gcp, GcpImage));

        Assert.Equal(HttpStatusCode.OK, created.Status);
        var errors = created.Body.GetProperty("creationErrors");
        Assert.Equal((2, 1, 1, "continue"), (errors.GetProperty("totalNodeCount").GetInt32(), errors.GetProperty("successfulNodeCount").GetInt32(),
            errors.GetProperty("failedNodeCount").GetInt32(), errors.GetProperty("failureHandlingStrategy").GetString()));
        Assert.Equal("w1-1", errors.GetProperty("nodeCreationErrors")[0].GetProperty("nodeName").GetString());
        Assert.False(errors.TryGetProperty("nodeObjectCreationErrors", out _));
        Assert.Equal("VM creation failed for 1 out of 2 VMs", created.Body.GetProperty("systemMessage")[0].GetString());
    }

    [Fact]
    public async Task RollbackRemovesTheInfraAndRefineRemovesTheFailedNodes()
    {
        Cloud.Control.Faults = new SandboxFaults { FailCreateOnConnections = ["gcp-europe-west2"] };

        var rolledBack = await CreateAsync("c1", "rollback", Group("cp", Aws, AwsImage), Group("w1", Gcp, GcpImage));
        var gone = await SendAsync(HttpMethod.Get, "/ns/default/infra/c1?option=status");
        var refined = await CreateAsync("c2", "refine", Group("cp", Aws, AwsImage), Group("w1", Gcp, GcpImage));

        Assert.Equal(HttpStatusCode.BadRequest, rolledBack.Status);
        Assert.Contains("Detail: VM creation failed, Infra rolled back: [VM w1-1: ", Message(rolledBack.Body));
        Assert.Equal(HttpStatusCode.BadRequest, gone.Status);
        Assert.Equal(HttpStatusCode.OK, refined.Status);
        Assert.Equal(["cp-1"], refined.Body.GetProperty("node").EnumerateArray().Select(n => n.GetProperty("id").GetString()));
        Assert.Equal("refine", refined.Body.GetProperty("creationErrors").GetProperty("failureHandlingStrategy").GetString());
    }

    [Fact]
    public async Task WhenEveryNodeGroupFailsPreparationTheInfraStaysFailedUnderCreateWithoutNodes()
    {
        Cloud.Control.Faults = new SandboxFaults { FailPreparationOnConnections = ["aws-ap-northeast-1"] };

        var created = await CreateAsync("c1", "continue", Group("cp", Aws, AwsImage));
        Cloud.Control.Faults = new SandboxFaults();
        await Task.Delay(200);
        var status = await SendAsync(HttpMethod.Get, "/ns/default/infra/c1?option=status");
        var read = await SendAsync(HttpMethod.Get, "/ns/default/infra/c1");
        var access = await Http.GetStringAsync("ns/default/infra/c1?option=accessinfo");

        Assert.Equal(HttpStatusCode.BadRequest, created.Status);
        Assert.StartsWith("Infra 'c1' creation failed - all NodeGroups failed resource preparation.\n\nComplete Error Timeline:\n", Message(created.Body));
        var s = status.Body.GetProperty("status");
        Assert.Equal(("Failed", "Create", 0), (s.GetProperty("status").GetString(), s.GetProperty("targetAction").GetString(), s.GetProperty("node").GetArrayLength()));
        Assert.Equal(0, read.Body.GetProperty("node").GetArrayLength());
        Assert.Contains("Infra creation aborted: All NodeGroups failed resource preparation", read.Body.GetProperty("systemMessage").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("""{"InfraId":"c1","InfraNodeGroupAccessInfo":null}""", access);
    }

    [Fact]
    public void AGroupWhoseNodesAreAllTerminatedHasNullNodeAccessInfo()
    {
        var catalog = new CloudCatalog();
        var spec = catalog.FindSpec(Aws)!;
        var infra = new InfraRecord
        {
            Namespace = "default", Id = "c1", Uid = Uids.Next(), Description = "", UserLabel = new Dictionary<string, string>(), CreatedTime = "", InstallMonAgent = "no",
        };
        infra.Nodes.Add(new NodeRecord
        {
            Id = "cp-1", Uid = Uids.Next(), NodeGroupId = "cp", Description = "", UserLabel = new Dictionary<string, string>(), Region = spec.Region, Spec = spec,
            Image = catalog.FindImage(spec.Region, AwsImage)!, RootDiskType = "default", RootDiskSize = 0, PrivateIp = "10.1.0.4", CreatedTime = "", SshKeyId = "c1-aws-ap-northeast-1",
            Status = NodeStatus.Terminated,
        });

        var json = JsonSerializer.Serialize(WireViews.Access(infra, _ => "key", showKey: true), TumblebugWire.Json);

        Assert.Equal("""{"InfraId":"c1","InfraNodeGroupAccessInfo":[{"NodeGroupId":"cp","BastionNodeId":"","NodeAccessInfo":null}]}""", json);
    }

    [Fact]
    public async Task NodeGroupErrorsAre500AndUnknownOptionsReadTheInfra()
    {
        await CreateAsync("c1", "continue", Group("cp", Aws, AwsImage));

        var again = await SendAsync(HttpMethod.Post, "/ns/default/infra/c1/nodeGroupDynamic", Group("cp", Aws, AwsImage));
        var missing = await SendAsync(HttpMethod.Post, "/ns/default/infra/nope/nodeGroupDynamic", Group("w1", Aws, AwsImage));
        var simple = await SendAsync(HttpMethod.Get, "/ns/default/infra/c1?option=simple");
        var ids = await Http.GetStringAsync("ns/default/infra/c1?option=id");

        Assert.Equal((HttpStatusCode.InternalServerError, "The name for NodeGroup (prefix of VM Id) cp already exists."), (again.Status, Message(again.Body)));
        Assert.Equal(HttpStatusCode.InternalServerError, missing.Status);
        Assert.Equal((HttpStatusCode.OK, "c1"), (simple.Status, simple.Body.GetProperty("id").GetString()));
        Assert.Equal("""{"output":["cp-1"]}""", ids);
    }

    [Fact]
    public async Task NamesAreCaseInsensitiveWithPlusAndNodesAreLowerCased()
    {
        var created = await CreateAsync("Web+1", "continue", Group("CP", Aws, AwsImage));
        var bad = await CreateAsync("web_1", "continue", Group("cp", Aws, AwsImage));

        Assert.Equal(HttpStatusCode.OK, created.Status);
        var node = created.Body.GetProperty("node")[0];
        Assert.Equal(("cp-1", "cp"), (node.GetProperty("id").GetString(), node.GetProperty("nodeGroupId").GetString()));
        Assert.Equal((HttpStatusCode.BadRequest, "web_1: The name must follow these rules: 1. The first character must be a letter (case-insensitive). 2. All following characters can be a dash, letter (case-insensitive), digit, or +. 3. The last character cannot be a dash."),
            (bad.Status, Message(bad.Body)));
    }

    [Fact]
    public async Task AConnectionNameOverridesTheSpecsConnection()
    {
        var created = await CreateAsync("c1", "continue", Group("cp", Aws, AwsImage, connection: "aws-us-east-1"));

        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal("aws-us-east-1", created.Body.GetProperty("node")[0].GetProperty("connectionName").GetString());
    }

    [Theory]
    // The override is taken as is and the spec's CSP name reaches the CSP on the overriding connection, which refuses
    // it: the node is Failed with the CSP's error and, all nodes failed, infraDynamic answers 400 (CspSpecRefusal).
    [InlineData("aws+ap-northeast-1+t2.medium", AwsImage, "aws-eu-north-1", "Unsupported: The requested configuration is currently not supported.")]
    [InlineData("gcp+europe-west2+n1-standard-2", GcpImage, "gcp-europe-west8", "Machine type with name 'n1-standard-2' does not exist in zone 'europe-west8-a'.")]
    public async Task AnOverridingConnectionWhoseRegionDoesNotSellTheSpecFailsTheNodeAtTheCsp(string spec, string image, string connection, string refusal)
    {
        var created = await CreateAsync("c1", "continue", Group("cp", spec, image, connection: connection));
        var node = (await SendAsync(HttpMethod.Get, "/ns/default/infra/c1")).Body.GetProperty("node")[0];

        Assert.Equal(HttpStatusCode.BadRequest, created.Status);
        Assert.Contains("all 1 VMs failed to create", Message(created.Body));
        Assert.Contains(refusal, Message(created.Body));
        Assert.Equal(("Failed", connection), (node.GetProperty("status").GetString(), node.GetProperty("connectionName").GetString()));
        Assert.Contains(refusal, node.GetProperty("systemMessage").GetString());
    }

    [Fact]
    public async Task EmptyAccessFieldsAreOmitted()
    {
        await CreateAsync("c1", "continue", Group("cp", Aws, AwsImage));

        var node = (await SendAsync(HttpMethod.Get, "/ns/default/infra/c1?option=accessinfo")).Body
            .GetProperty("InfraNodeGroupAccessInfo")[0].GetProperty("NodeAccessInfo")[0];

        Assert.False(node.TryGetProperty("privateKey", out _));
        Assert.False(node.TryGetProperty("nodeUserPassword", out _));
    }

    [Fact]
    public async Task UntilInitializedReadyzSaysSoAndTheCloudOffersNothing()
    {
        await using var cloud = await TestSandbox.StartAsync(o => o.InitializationDelay = TimeSpan.FromHours(1));
        using var http = new HttpClient { BaseAddress = new Uri(cloud.TumblebugUrl.AbsoluteUri + "/") };
        http.DefaultRequestHeaders.Authorization = Http.DefaultRequestHeaders.Authorization;

        var ready = await http.GetAsync("readyz");
        var connections = await http.GetStringAsync("connConfig?filterVerified=true");
        var specs = await http.PostAsync("ns/system/resources/filterSpecsByRange",
            new StringContent("""{"connectionName":"aws-ap-northeast-1"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("""{"message":"CB-Tumblebug is ready but not initialized (waiting for init.py)","ready":true,"initialized":false}""",
            await ready.Content.ReadAsStringAsync());
        Assert.Equal("""{"connectionconfig":null}""", connections);
        Assert.Equal(0, JsonDocument.Parse(await specs.Content.ReadAsStringAsync()).RootElement.GetProperty("spec").GetArrayLength());
    }

    [Fact]
    public async Task ANaSpecLeavesTheArchitectureToTheRequestMatchedWithNa()
    {
        const string search = """{"matchedSpecId":"ncp+kr+c2-g3","osType":"ubuntu 22.04","osArchitecture":ARCH}""";

        var specs = await SendAsync(HttpMethod.Post, "/ns/system/resources/filterSpecsByRange", """{"connectionName":"ncp-kr"}""");
        var asNa = await SendAsync(HttpMethod.Post, "/ns/system/resources/searchImage", search.Replace("ARCH", "\"NA\""));
        var asX86 = await SendAsync(HttpMethod.Post, "/ns/system/resources/searchImage", search.Replace("ARCH", "\"x86_64\""));
        var awsAsArm = await SendAsync(HttpMethod.Post, "/ns/system/resources/searchImage",
            """{"matchedSpecId":"aws+ap-northeast-1+t3.medium","osType":"ubuntu 22.04","osArchitecture":"arm64"}""");

        Assert.All(specs.Body.GetProperty("spec").EnumerateArray(), s => Assert.Equal("NA", s.GetProperty("architecture").GetString()));
        Assert.Equal(0, asNa.Body.GetProperty("imageCount").GetInt32());
        Assert.Equal(1, asX86.Body.GetProperty("imageCount").GetInt32());
        Assert.Equal(1, awsAsArm.Body.GetProperty("imageCount").GetInt32()); // the spec's x86_64 wins over the request
    }

    [Fact]
    public async Task EachInfraHasItsOwnKeyPerConnectionAndItLogsIntoThatInfrasVmsOnly()
    {
        Assert.Equal(HttpStatusCode.OK, (await CreateAsync("k1", "continue", Group("cp", Aws, AwsImage))).Status);
        Assert.Equal(HttpStatusCode.OK, (await CreateAsync("k2", "continue", Group("cp", Aws, AwsImage))).Status);
        // Added later: the same connection finds k1's key, another connection gets a key of its own.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/ns/default/infra/k1/nodeGroupDynamic", Group("w", Aws, AwsImage))).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/ns/default/infra/k1/nodeGroupDynamic", Group("g", Gcp, GcpImage))).Status);

        var nodes = new Dictionary<string, (string KeyId, string CspKeyId, string PrivateKey, string Ip, int Port, string User)>();
        foreach (var infra in new[] { "k1", "k2" })
        {
            var read = (await SendAsync(HttpMethod.Get, $"/ns/default/infra/{infra}")).Body;
            var access = (await SendAsync(HttpMethod.Get, $"/ns/default/infra/{infra}?option=accessinfo&accessInfoOption=showSshKey")).Body;
            foreach (var node in read.GetProperty("node").EnumerateArray())
            {
                var id = node.GetProperty("id").GetString()!;
                var entry = access.GetProperty("InfraNodeGroupAccessInfo").EnumerateArray().SelectMany(g => g.GetProperty("NodeAccessInfo").EnumerateArray())
                    .Single(n => n.GetProperty("nodeId").GetString() == id);
                nodes[$"{infra}/{id}"] = (node.GetProperty("sshKeyId").GetString()!, node.GetProperty("cspSshKeyId").GetString()!,
                    entry.GetProperty("privateKey").GetString()!, entry.GetProperty("publicIP").GetString()!, entry.GetProperty("sshPort").GetInt32(),
                    entry.GetProperty("nodeUserName").GetString()!);
            }
        }

        Assert.Equal(
            [("k1/cp-1", "k1-aws-ap-northeast-1"), ("k1/g-1", "k1-gcp-europe-west2"), ("k1/w-1", "k1-aws-ap-northeast-1"), ("k2/cp-1", "k2-aws-ap-northeast-1")],
            nodes.OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => (n.Key, n.Value.KeyId)));
        Assert.All(nodes.Values, n => Assert.True(Uids.IsWellFormed(n.CspKeyId), n.CspKeyId));
        Assert.Equal((nodes["k1/cp-1"].CspKeyId, nodes["k1/cp-1"].PrivateKey), (nodes["k1/w-1"].CspKeyId, nodes["k1/w-1"].PrivateKey));
        Assert.Equal(3, nodes.Values.Select(n => n.PrivateKey).Distinct().Count());
        Assert.Equal(3, nodes.Values.Select(n => n.CspKeyId).Distinct().Count());

        Assert.True(CanLogIn(nodes["k1/w-1"], nodes["k1/cp-1"].PrivateKey));
        Assert.True(CanLogIn(nodes["k2/cp-1"], nodes["k2/cp-1"].PrivateKey));
        Assert.False(CanLogIn(nodes["k2/cp-1"], nodes["k1/cp-1"].PrivateKey));
        Assert.False(CanLogIn(nodes["k1/cp-1"], nodes["k2/cp-1"].PrivateKey));
        Assert.False(CanLogIn(nodes["k1/g-1"], nodes["k1/cp-1"].PrivateKey));
    }

    private static bool CanLogIn((string KeyId, string CspKeyId, string PrivateKey, string Ip, int Port, string User) vm, string privateKey)
    {
        using var client = new Renci.SshNet.SshClient(vm.Ip, vm.Port, vm.User,
            new Renci.SshNet.PrivateKeyFile(new MemoryStream(Encoding.UTF8.GetBytes(privateKey))));
        client.ConnectionInfo.Timeout = TimeSpan.FromSeconds(15);
        try
        {
            client.Connect();
            return client.IsConnected;
        }
        catch (Renci.SshNet.Common.SshAuthenticationException)
        {
            return false;
        }
    }
}
