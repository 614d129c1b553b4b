using Ladybug.Tests.Support;
using Ladybug.Engine.Infrastructure;
using Ladybug.Sandbox;
using Ladybug.Tests.Unit.Sandbox;

namespace Ladybug.Tests.Unit.Engine.Infrastructure.Tumblebug;

/// <summary>One sandbox for the class; each test works in its own Infra.</summary>
public sealed class SandboxCloudFixture : IAsyncLifetime
{
    public SandboxCloud Cloud { get; private set; } = null!;
    internal TumblebugTestClient Client { get; private set; } = null!;
    public IInfrastructure Infrastructure => Client.Infrastructure;

    public async Task InitializeAsync()
    {
        Cloud = await TestSandbox.StartAsync();
        Client = TumblebugTestClient.For(Cloud);
    }

    public async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        await Cloud.DisposeAsync();
    }
}

/// <summary>The Tumblebug client against the emulator over real HTTP, call by call.</summary>
public sealed class TumblebugInfrastructureTests(SandboxCloudFixture fixture) : IClassFixture<SandboxCloudFixture>
{
    private const string Ns = "default";
    private IInfrastructure Infrastructure => fixture.Infrastructure;

    private static MachinePoolRequest Pool(string name, string connection, string spec, int count = 1, string ubuntu = "22.04") =>
        new(name, connection, spec, count, "default", null, ubuntu);

    private static string NewGroup() => $"c{Guid.NewGuid():N}"[..12];

    [Fact]
    public async Task CheckReportsTheEmulatorReady()
    {
        var health = await Infrastructure.CheckAsync(CancellationToken.None);

        Assert.True(health.Ready, health.Message);
        Assert.Equal(fixture.Cloud.TumblebugUrl.AbsoluteUri, health.Endpoint);
        Assert.Null(health.Message);
    }

    [Fact]
    public async Task ConnectionsCarryCspRegionZoneAndCoordinates()
    {
        var connections = await Infrastructure.ListConnectionsAsync(CancellationToken.None);

        Assert.True(connections.Select(c => c.Csp).Distinct().Count() >= 8);
        Assert.True(connections.Count >= 20);
        var tokyo = Assert.Single(connections, c => c.Name == "aws-ap-northeast-1");
        Assert.Equal(("aws", "ap-northeast-1", "ap-northeast-1a", "Japan (Tokyo)", 35.41, 139.42),
            (tokyo.Csp, tokyo.Region, tokyo.Zone, tokyo.Location, tokyo.Latitude, tokyo.Longitude));
        var london = Assert.Single(connections, c => c.Name == "gcp-europe-west2");
        Assert.Equal((51.5099, -0.1181), (london.Latitude, london.Longitude));
        var korea = Assert.Single(connections, c => c.Name == "azure-koreacentral");
        Assert.Equal(("azure", "", 37.5665, 126.978), (korea.Csp, korea.Zone, korea.Latitude, korea.Longitude));
    }

    [Fact]
    public async Task SpecsAreThoseOfTheConnectionWithVcpuAndMemory()
    {
        var specs = await Infrastructure.ListSpecsAsync("gcp-europe-west2", CancellationToken.None);

        Assert.NotEmpty(specs);
        Assert.All(specs, s => Assert.Equal("gcp-europe-west2", s.Connection));
        var medium = Assert.Single(specs, s => s.Name == "e2-medium");
        Assert.Equal(("gcp+europe-west2+e2-medium", 2, 4.0), (medium.Id, medium.VCpu, medium.MemoryGiB));
        Assert.Contains(specs, s => s.VCpu < 2);
    }

    [Fact]
    public async Task CreatingMakesOneNodeGroupPerPoolAndReturnsRunningMachinesWithAccess()
    {
        var group = NewGroup();
        var progress = new ProgressLog();

        var machines = await Infrastructure.CreateMachinesAsync(Ns, group,
            [Pool("cp", "aws-ap-northeast-1", "t3.medium"), Pool("w1", "gcp-europe-west2", "gcp+europe-west2+e2-medium", 2)], TestFirewall.Cluster,
            progress, CancellationToken.None);

        Assert.Equal(["cp-1", "w1-1", "w1-2"], machines.Select(m => m.Id));
        Assert.All(machines, m =>
        {
            Assert.Equal("Running", m.Status);
            Assert.StartsWith("127.0.", m.PublicIp);
            Assert.StartsWith("10.", m.PrivateIp);
            Assert.InRange(m.SshPort, 1024, 65535);
            Assert.Equal(Environment.UserName, m.SshUser);
            Assert.Contains("PRIVATE KEY", m.PrivateKey);
        });
        var cp = machines[0];
        Assert.Equal(("cp", "aws-ap-northeast-1", "aws", "ap-northeast-1", "ap-northeast-1a", 35.41, "aws+ap-northeast-1+t3.medium"),
            (cp.PoolName, cp.Connection, cp.Csp, cp.Region, cp.Zone, cp.Latitude, cp.Spec));
        Assert.Equal("europe-west2-a", machines[1].Zone);
        Assert.Equal(machines.Select(m => m.PublicIp).Distinct().Count(), machines.Count);
        Assert.Contains(progress.Lines, l => l.Contains("Asking Tumblebug for 1 × t3.medium on aws-ap-northeast-1"));

        var creates = fixture.Cloud.Control.Requests.Where(r => r.Method == "POST" && r.Path == $"/ns/{Ns}/infraDynamic" && r.StatusCode == 200).ToList();
        Assert.Contains(creates, r => r.RequestId?.StartsWith($"ladybug-{group}-", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task CreatingAgainContinuesFromWhatExistsWithoutCreatingTwice()
    {
        var group = NewGroup();
        var pools = new[] { Pool("cp", "aws-ap-northeast-1", "t3.medium") };
        var first = await Infrastructure.CreateMachinesAsync(Ns, group, pools, TestFirewall.Cluster, null, CancellationToken.None);
        var progress = new ProgressLog();

        var again = await Infrastructure.CreateMachinesAsync(Ns, group, pools, TestFirewall.Cluster, progress, CancellationToken.None);

        Assert.Equal(first.Select(m => (m.Id, m.PublicIp, m.SshPort)), again.Select(m => (m.Id, m.PublicIp, m.SshPort)));
        Assert.Single(fixture.Cloud.Control.Requests, r => r.Method == "POST" && r.RequestId?.StartsWith($"ladybug-{group}-", StringComparison.Ordinal) == true);
        Assert.Contains(progress.Lines, l => l.Contains("already exists; continuing from what exists"));
    }

    [Fact]
    public async Task AddingMachinesAddsNodeGroupsAndReturnsOnlyTheNewMachines()
    {
        var group = NewGroup();
        await Infrastructure.CreateMachinesAsync(Ns, group, [Pool("cp", "aws-ap-northeast-1", "t3.medium")], TestFirewall.Cluster, null, CancellationToken.None);

        var added = await Infrastructure.AddMachinesAsync(Ns, group, [Pool("w2", "azure-koreacentral", "Standard_B2s", 2, "24.04")], TestFirewall.Cluster, null, CancellationToken.None);

        Assert.Equal(["w2-1", "w2-2"], added.Select(m => m.Id));
        Assert.All(added, m => Assert.Equal(("azure", "koreacentral", "Running"), (m.Csp, m.Region, m.Status)));
        var all = await Infrastructure.GetMachinesAsync(Ns, group, CancellationToken.None);
        Assert.Equal(["cp-1", "w2-1", "w2-2"], all.Select(m => m.Id));
        Assert.Contains(fixture.Cloud.Control.Requests, r => r.Method == "POST" && r.Path == $"/ns/{Ns}/infra/{group}/nodeGroupDynamic" && r.StatusCode == 200);
    }

    [Fact]
    public async Task AddingMachinesToAMissingGroupIsANotFoundError()
    {
        var error = await Assert.ThrowsAsync<InfrastructureException>(() =>
            Infrastructure.AddMachinesAsync(Ns, NewGroup(), [Pool("w1", "aws-ap-northeast-1", "t3.medium")], TestFirewall.Cluster, null, CancellationToken.None));

        Assert.True(error.NotFound);
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public async Task MachinesOfAnUnknownGroupAreNone()
    {
        Assert.Empty(await Infrastructure.GetMachinesAsync(Ns, NewGroup(), CancellationToken.None));
    }

    [Fact]
    public async Task DeletingAMachineRemovesItAndStopsItsSshdAndIsSafeToRepeat()
    {
        var group = NewGroup();
        var machines = await Infrastructure.CreateMachinesAsync(Ns, group, [Pool("w1", "alibaba-ap-northeast-1", "ecs.c7.large", 2)], TestFirewall.Cluster, null, CancellationToken.None);
        var doomed = fixture.Cloud.Machines.Single(m => m.InfraId == group && m.NodeId == "w1-2");

        await Infrastructure.DeleteMachineAsync(Ns, group, "w1-2", CancellationToken.None);
        await Infrastructure.DeleteMachineAsync(Ns, group, "w1-2", CancellationToken.None);

        Assert.Equal(["w1-1"], (await Infrastructure.GetMachinesAsync(Ns, group, CancellationToken.None)).Select(m => m.Id));
        Assert.Empty(TestSandbox.ProcessesUsing(doomed.Directory));
        Assert.Equal(2, machines.Count);
    }

    [Fact]
    public async Task DeletingAllTerminatesEveryMachineAndIsSafeToRepeat()
    {
        var group = NewGroup();
        await Infrastructure.CreateMachinesAsync(Ns, group, [Pool("cp", "tencent-ap-seoul", "S5.MEDIUM4"), Pool("w1", "ibm-jp-tok", "cx2-2x4")], TestFirewall.Cluster, null, CancellationToken.None);
        var directories = fixture.Cloud.Machines.Where(m => m.InfraId == group).Select(m => m.Directory).ToList();

        await Infrastructure.DeleteAllAsync(Ns, group, CancellationToken.None);
        await Infrastructure.DeleteAllAsync(Ns, group, CancellationToken.None);

        Assert.Equal(2, directories.Count);
        Assert.Empty(await Infrastructure.GetMachinesAsync(Ns, group, CancellationToken.None));
        Assert.All(directories, d => Assert.Empty(TestSandbox.ProcessesUsing(d)));
    }

    [Fact]
    public async Task AMissingNamespaceIsCreated()
    {
        var ns = $"team-{Guid.NewGuid():N}"[..13];

        var machines = await Infrastructure.CreateMachinesAsync(ns, NewGroup(), [Pool("cp", "openstack-regionone", "m1.medium")], TestFirewall.Cluster, null, CancellationToken.None);

        Assert.Equal("openstack", Assert.Single(machines).Csp);
    }

    [Fact]
    public async Task AnUnknownSpecIsAReadableError()
    {
        var error = await Assert.ThrowsAsync<InfrastructureException>(() =>
            Infrastructure.CreateMachinesAsync(Ns, NewGroup(), [Pool("cp", "aws-ap-northeast-1", "z9.huge")], TestFirewall.Cluster, null, CancellationToken.None));

        Assert.Equal("Spec 'z9.huge' is not offered on connection 'aws-ap-northeast-1'.", error.Message);
    }

    [Theory]
    // The spec exists elsewhere (Tokyo) but not in the chosen connection's region: the engine picks specs from the
    // connection's own list, so it never sends Tumblebug an override the CSP would refuse (CspSpecRefusal).
    [InlineData("aws-eu-north-1", "t2.medium")]
    [InlineData("aws-eu-north-1", "aws+ap-northeast-1+t2.medium")]
    [InlineData("gcp-europe-west8", "n1-standard-2")]
    [InlineData("azure-chilecentral", "Standard_D2s_v3")]
    public async Task ASpecTheConnectionsRegionDoesNotSellIsRefusedBeforeAnyCreate(string connection, string spec)
    {
        var group = NewGroup();

        var error = await Assert.ThrowsAsync<InfrastructureException>(() =>
            Infrastructure.CreateMachinesAsync(Ns, group, [Pool("cp", connection, spec)], TestFirewall.Cluster, null, CancellationToken.None));

        Assert.Equal($"Spec '{spec}' is not offered on connection '{connection}'.", error.Message);
        Assert.Empty(await Infrastructure.GetMachinesAsync(Ns, group, CancellationToken.None));
    }

    [Fact]
    public async Task AnUbuntuReleaseTheCloudLacksIsAReadableError()
    {
        var error = await Assert.ThrowsAsync<InfrastructureException>(() =>
            Infrastructure.CreateMachinesAsync(Ns, NewGroup(), [Pool("cp", "ncp-kr", "c2-g3", ubuntu: "16.04")], TestFirewall.Cluster, null, CancellationToken.None));

        Assert.Contains("no Ubuntu 16.04 image for c2-g3 on connection 'ncp-kr'", error.Message);
    }

    [Fact]
    public async Task TumblebugsErrorMessagesReachTheEngineWithoutJson()
    {
        var error = await Assert.ThrowsAsync<InfrastructureException>(() =>
            Infrastructure.CreateMachinesAsync("Not_Valid", NewGroup(), [Pool("cp", "aws-ap-northeast-1", "t3.medium")], TestFirewall.Cluster, null, CancellationToken.None));

        Assert.Contains("Not_Valid: The name must follow these rules", error.Message);
        Assert.DoesNotContain("{", error.Message);
    }

    [Fact]
    public async Task AWrongPasswordIsAReadableError()
    {
        await using var client = TumblebugTestClient.For(fixture.Cloud.TumblebugUrl.AbsoluteUri, "default", "wrong");

        var error = await Assert.ThrowsAsync<InfrastructureException>(() => client.Infrastructure.ListConnectionsAsync(CancellationToken.None));

        Assert.Contains("refused the user name or password (401)", error.Message);
        Assert.Contains("Ladybug:Tumblebug:User and Password", error.Message);
    }

    [Fact]
    public async Task AnUnreachableTumblebugIsReportedNotThrownByCheck()
    {
        var port = TestSandbox.FreePort();
        await using var client = TumblebugTestClient.For($"http://127.0.0.1:{port}/tumblebug", "default", "default",
            new Dictionary<string, string?> { ["MaxRetries"] = "1" });

        var health = await client.Infrastructure.CheckAsync(CancellationToken.None);
        var error = await Assert.ThrowsAsync<InfrastructureException>(() => client.Infrastructure.ListConnectionsAsync(CancellationToken.None));

        Assert.False(health.Ready);
        Assert.False(health.IsSandbox);
        Assert.Contains($"127.0.0.1:{port}", health.Message);
        Assert.Contains("cannot be reached", error.Message);
    }
}
