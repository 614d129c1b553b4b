using Ladybug.Tests.Support;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Ladybug.Engine.Infrastructure;
using Ladybug.Sandbox;
using Ladybug.Sandbox.Simulator;
using Ladybug.Tests.Unit.Engine.Infrastructure.Tumblebug;

namespace Ladybug.Tests.Unit.Sandbox;

/// <summary>
/// A sandbox on a kept state directory (the console's) is a cloud that outlives its host: stopped and started again,
/// it answers with the same Infras, addresses, ports, keys and host keys, and still never leaks an sshd.
/// </summary>
public sealed class SandboxRestartTests : IDisposable
{
    private const string Ns = "default";
    private static readonly MachinePoolRequest[] Pools =
        [new("cp", "aws-ap-northeast-1", "t3.medium", 1, "default", null, "22.04"), new("w1", "azure-westeurope", "Standard_B2s", 2, "default", null, "22.04")];

    private readonly string _stateDir = Path.Combine(Path.GetTempPath(), $"ladybug-test-kept-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_stateDir)) Directory.Delete(_stateDir, recursive: true);
    }

    private Task<SandboxCloud> StartAsync(Action<SandboxOptions>? configure = null) => TestSandbox.StartAsync(o =>
    {
        o.StateDir = _stateDir;
        o.KeepState = true;
        configure?.Invoke(o);
    });

    private static async Task<IReadOnlyList<Machine>> CreateAsync(SandboxCloud cloud, string infra = "c1", MachinePoolRequest[]? pools = null)
    {
        await using var client = TumblebugTestClient.For(cloud);
        return await client.Infrastructure.CreateMachinesAsync(Ns, infra, pools ?? Pools, TestFirewall.Cluster, null, CancellationToken.None);
    }

    private static async Task<IReadOnlyList<Machine>> GetAsync(SandboxCloud cloud, string infra = "c1")
    {
        await using var client = TumblebugTestClient.For(cloud);
        return [.. (await client.Infrastructure.GetMachinesAsync(Ns, infra, CancellationToken.None)).OrderBy(m => m.Id, StringComparer.Ordinal)];
    }

    private static HttpClient Http(SandboxCloud cloud)
    {
        var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{cloud.User}:{cloud.Password}")));
        return http;
    }

    /// <summary>GET /ns/{ns}/infra/{id} as the emulator writes it.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> GetInfraJsonAsync(SandboxCloud cloud, string infra = "c1")
    {
        using var http = Http(cloud);
        while (true)
        {
            using var response = await http.GetAsync($"{cloud.TumblebugUrl.AbsoluteUri}/ns/{Ns}/infra/{infra}");
            // Tumblebug's rate limit counts the client's reads too: wait for a turn.
            if (response.StatusCode != HttpStatusCode.TooManyRequests) return (response.StatusCode, await response.Content.ReadAsStringAsync());
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task SecurityGroupTemplatesAndTheVmsRulesSurviveARestart()
    {
        IReadOnlyList<SandboxMachineInfo> before;
        await using (var first = await StartAsync())
        {
            await CreateAsync(first);
            before = first.Machines;
        }
        await using var second = await StartAsync();
        using var http = Http(second);
        using var template = await http.GetAsync($"{second.TumblebugUrl.AbsoluteUri}/ns/{Ns}/template/securityGroup/ladybug-c1");

        Assert.Equal(HttpStatusCode.OK, template.StatusCode);
        Assert.Equal(before.Select(m => (m.NodeId, m.SecurityGroup, string.Join(", ", m.Inbound ?? []))),
            second.Machines.Select(m => (m.NodeId, m.SecurityGroup, string.Join(", ", m.Inbound ?? []))));
        Assert.All(second.Machines, m => Assert.Contains("6443/tcp from 0.0.0.0/0", m.Inbound ?? []));
    }

    [Fact]
    public async Task ARestartAnswersTheSameInfraWithTheSameAddressesPortsAndKeys()
    {
        IReadOnlyList<Machine> created;
        (HttpStatusCode Status, string Body) infraBefore;
        await using (var first = await StartAsync())
        {
            created = [.. (await CreateAsync(first)).OrderBy(m => m.Id, StringComparer.Ordinal)];
            infraBefore = await GetInfraJsonAsync(first);
        }

        await using var second = await StartAsync();
        var restored = await GetAsync(second);
        var infraAfter = await GetInfraJsonAsync(second);

        Assert.Equal(["cp-1", "w1-1", "w1-2"], restored.Select(m => m.Id));
        Assert.Equal(created, restored);
        Assert.All(restored, m => Assert.Equal("Running", m.Status));
        Assert.Equal(HttpStatusCode.OK, infraAfter.Status);
        Assert.Equal(infraBefore, infraAfter);
    }

    [Fact]
    public async Task TheInfrasKeyStillOpensASessionAfterARestartWithTheSameHostKeyAndTheVmsFiles()
    {
        Machine before;
        string hostKeyBefore;
        string clusterFile;
        await using (var first = await StartAsync())
        {
            before = (await CreateAsync(first)).Single(m => m.Id == "cp-1");
            hostKeyBefore = SshSessions.HostKeyFingerprint(before);
            var vm = SimulatedNode.Load(first.Machines.Single(m => m.NodeId == "cp-1").Directory);
            vm.WriteFile("/etc/ladybug/written-before-restart", "still here\n");
            clusterFile = Path.Combine(vm.Identity.ClusterDirectory, "restart.json");
            new SimulatedCluster(vm.Identity.ClusterDirectory).Update<Dictionary<string, string>>("restart", joined => { joined["cp-1"] = "joined"; return joined; });
        }

        await using var second = await StartAsync();
        var after = (await GetAsync(second)).Single(m => m.Id == "cp-1");
        var file = await SshSessions.RunAsync(after, "cat /etc/ladybug/written-before-restart");

        Assert.Equal((before.PublicIp, before.SshPort), (after.PublicIp, after.SshPort));
        Assert.Equal(hostKeyBefore, SshSessions.HostKeyFingerprint(after));
        Assert.Equal((0, "still here\n"), (file.ExitStatus, file.Output));
        Assert.True(File.Exists(clusterFile), "the Infra's shared simulator state was removed");
    }

    [Fact]
    public async Task DeletingAfterARestartStopsTheVmsAndWhatIsDeletedStaysGone()
    {
        await using (var first = await StartAsync())
            await CreateAsync(first);

        await using (var second = await StartAsync())
        {
            await using var client = TumblebugTestClient.For(second);
            await client.Infrastructure.DeleteMachineAsync(Ns, "c1", "w1-2", CancellationToken.None);
            Assert.Equal(2, TestSandbox.ListeningSshdsUsing(_stateDir).Count);
        }

        await using (var third = await StartAsync())
        {
            Assert.Equal(["cp-1", "w1-1"], (await GetAsync(third)).Select(m => m.Id));
            await using var client = TumblebugTestClient.For(third);
            await client.Infrastructure.DeleteAllAsync(Ns, "c1", CancellationToken.None);
            Assert.Empty(TestSandbox.ProcessesUsing(_stateDir));
        }

        await using var fourth = await StartAsync();
        Assert.Empty(await GetAsync(fourth));
        Assert.Empty(fourth.Machines);
        Assert.Empty(TestSandbox.ProcessesUsing(_stateDir));
        Assert.False(Directory.Exists(Path.Combine(_stateDir, "infras", Ns, "c1")), "the deleted Infra's directory is still there");
    }

    [Fact]
    public async Task NoSshdOutlivesEitherRunOnAKeptStateDirectory()
    {
        IReadOnlyList<int> firstRun;
        await using (var first = await StartAsync())
        {
            await CreateAsync(first);
            firstRun = TestSandbox.ListeningSshdsUsing(_stateDir);
        }
        var afterFirst = TestSandbox.ProcessesUsing(_stateDir);

        var second = await StartAsync();
        var secondRun = TestSandbox.ListeningSshdsUsing(_stateDir);
        var listed = second.Machines.Select(m => m.SshdProcessId).ToList();
        await second.DisposeAsync();

        Assert.Equal(3, firstRun.Count);
        Assert.Empty(afterFirst);
        Assert.Equal(3, secondRun.Count);
        Assert.Empty(firstRun.Intersect(secondRun));
        Assert.Equal(secondRun.Order(), listed.OfType<int>().Order());
        Assert.Empty(TestSandbox.ProcessesUsing(_stateDir));
        Assert.True(File.Exists(Path.Combine(_stateDir, "emulator.json")), "the kept state was removed");
    }

    [Fact]
    public async Task AVmWhosePortWasTakenMeanwhileComesBackOnAnotherPortAndSaysSo()
    {
        Machine before;
        await using (var first = await StartAsync())
            before = (await CreateAsync(first)).Single(m => m.Id == "cp-1");
        using var squatter = new TcpListener(IPAddress.Parse(before.PublicIp!), before.SshPort);
        squatter.Start();

        await using var second = await StartAsync();
        var after = (await GetAsync(second)).Single(m => m.Id == "cp-1");
        var hostname = await SshSessions.RunAsync(after, "hostname");
        var infra = await GetInfraJsonAsync(second);

        Assert.Equal(before.PublicIp, after.PublicIp);
        Assert.NotEqual(before.SshPort, after.SshPort);
        Assert.Equal(0, hostname.ExitStatus);
        Assert.Contains($"{before.PublicIp}:{before.SshPort} was taken meanwhile; the VM now answers SSH on {after.PublicIp}:{after.SshPort}", infra.Body);
    }

    [Fact]
    public async Task NodesStillCreatingWhenTheSandboxStoppedAreCreatedAfterTheRestart()
    {
        await using (var first = await StartAsync(o => (o.VmCreateDelay, o.CreationWaitLimit) = (TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(100))))
        {
            var (status, body) = await PostInfraAsync(first);
            Assert.Equal((HttpStatusCode.OK, "Creating:1 (R:0/1)"), (status, System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("status").GetString()));
        }

        await using var second = await StartAsync();
        Assert.True(await TestSandbox.EventuallyAsync(async () => (await GetAsync(second)) is [{ Status: "Running" }], TimeSpan.FromSeconds(30)),
            "the node that was Creating never became Running after the restart");
        var hostname = await SshSessions.RunAsync((await GetAsync(second)).Single(), "hostname");

        Assert.Equal(0, hostname.ExitStatus);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("{\"version\":1}")]
    [InlineData("{\"version\":1,\"namespaces\":[],\"vNets\":[],\"infras\":[{\"namespace\":\"default\",\"id\":\"c1\"}]}")]
    [InlineData("{\"version\":99,\"namespaces\":[],\"vNets\":[],\"infras\":[]}")]
    [InlineData("""{"version":1,"namespaces":[],"vNets":[],"infras":[{"namespace":"default","id":"../../escape","uid":"u","description":"","label":{},"createdTime":"","installMonAgent":"no","newNodeList":null,"nodes":[]}]}""")]
    public async Task AnUnreadableStateFileIsMovedAsideAndTheCloudStartsEmpty(string content)
    {
        Directory.CreateDirectory(Path.Combine(_stateDir, "infras", Ns, "c1", "nodes", "0123456789abcdefghij"));
        await File.WriteAllTextAsync(Path.Combine(_stateDir, "emulator.json"), content);

        await using var cloud = await StartAsync();
        var empty = await GetAsync(cloud);
        var created = await CreateAsync(cloud, "c2", Pools[..1]);

        var aside = Assert.Single(Directory.GetFiles(_stateDir, "emulator.json.corrupt-*"));
        Assert.Equal(content, await File.ReadAllTextAsync(aside));
        Assert.Empty(empty);
        Assert.False(Directory.Exists(Path.Combine(_stateDir, "infras", Ns, "c1")), "a VM directory no state names was kept");
        Assert.Equal("Running", Assert.Single(created).Status);
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostInfraAsync(SandboxCloud cloud)
    {
        using var http = Http(cloud);
        using var response = await http.PostAsync($"{cloud.TumblebugUrl.AbsoluteUri}/ns/{Ns}/infraDynamic",
            new StringContent(WireSamples.Text("infra-dynamic-request.json"), Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
