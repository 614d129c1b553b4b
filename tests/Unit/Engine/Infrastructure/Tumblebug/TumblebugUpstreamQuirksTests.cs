using Ladybug.Tests.Support;
using System.Text.Json;
using Ladybug.Engine.Infrastructure;
using Ladybug.Engine.Infrastructure.Tumblebug;
using Ladybug.Sandbox;
using Ladybug.Tests.Unit.Sandbox;

namespace Ladybug.Tests.Unit.Engine.Infrastructure.Tumblebug;

/// <summary>
/// The client against what real Tumblebug v0.13 does and the hand-written samples did not: nil slices as null, a Failed
/// Infra left behind by a failed create, multi-line error timelines, "NA" spec architectures, an uninitialized server.
/// </summary>
public sealed class TumblebugUpstreamQuirksTests
{
    private const string Ns = "default";

    private static T Read<T>(string sample) =>
        (T)JsonSerializer.Deserialize(WireSamples.Text(sample), typeof(T), TumblebugJsonContext.Default)!;

    private static MachinePoolRequest Pool(string name, string connection, string spec, int count = 1) =>
        new(name, connection, spec, count, "default", null, "22.04");

    private static string NewGroup() => $"c{Guid.NewGuid():N}"[..12];

    [Fact]
    public void NullListsAreReadAsEmpty()
    {
        Assert.Empty(Read<ConnConfigList>("conn-config-list-none-verified.json").ConnectionConfig);
        Assert.Empty(Read<InfraAccessInfo>("infra-access-info-no-groups.json").NodeGroups);
        Assert.Empty(Assert.Single(Read<InfraAccessInfo>("infra-access-info-nil-lists.json").NodeGroups).Nodes);
        Assert.Empty(Read<InfraStatusResponse>("infra-status-failed-preparation.json").Status.Node);
    }

    [Fact]
    public async Task NoVerifiedConnectionIsAnEmptyListNotACrash()
    {
        await using var cloud = await TestSandbox.StartAsync(o => o.Faults.UnverifiedConnections.Add("*"));
        await using var client = TumblebugTestClient.For(cloud);

        var connections = await client.Infrastructure.ListConnectionsAsync(CancellationToken.None);

        Assert.Empty(connections);
    }

    [Fact]
    public async Task AFailedInfraLeftWithoutNodesIsDeletedAndCreatedAgain()
    {
        await using var cloud = await TestSandbox.StartAsync(o => o.Faults.FailPreparationOnConnections.Add("aws-ap-northeast-1"));
        await using var client = TumblebugTestClient.For(cloud);
        var group = NewGroup();
        var pools = new[] { Pool("cp", "aws-ap-northeast-1", "t3.medium") };

        var failure = await Assert.ThrowsAsync<InfrastructureException>(() => client.Infrastructure.CreateMachinesAsync(Ns, group, pools, TestFirewall.Cluster, null, CancellationToken.None));
        cloud.Control.Faults = new SandboxFaults();
        var progress = new ProgressLog();
        var machines = await client.Infrastructure.CreateMachinesAsync(Ns, group, pools, TestFirewall.Cluster, progress, CancellationToken.None);

        Assert.DoesNotContain("Complete Error Timeline", failure.Message);
        Assert.Contains("all NodeGroups failed resource preparation", failure.Message);
        Assert.Contains("Sandbox fault: resource preparation", failure.Message);
        Assert.Equal(["cp-1"], machines.Select(m => m.Id));
        Assert.Contains(progress.Lines, l => l.Contains("Failed without machines", StringComparison.Ordinal));
        Assert.Contains(cloud.Control.Requests, r => r.Method == "DELETE" && r.Path == $"/ns/{Ns}/infra/{group}");
    }

    [Fact]
    public async Task WhenEveryMachineFailsTheReasonIsOneLineNotTheTimeline()
    {
        await using var cloud = await TestSandbox.StartAsync(o => o.Faults.FailCreateOnConnections.Add("aws-ap-northeast-1"));
        await using var client = TumblebugTestClient.For(cloud);

        var failure = await Assert.ThrowsAsync<InfrastructureException>(() =>
            client.Infrastructure.CreateMachinesAsync(Ns, NewGroup(), [Pool("cp", "aws-ap-northeast-1", "t3.medium")], TestFirewall.Cluster, null, CancellationToken.None));

        Assert.DoesNotContain("\n", failure.Message);
        Assert.DoesNotContain("Timeline", failure.Message);
        Assert.Contains("VM cp-1: Sandbox fault: VM creation fails on connection aws-ap-northeast-1", failure.Message);
    }

    [Fact]
    public async Task AnUninitializedTumblebugIsNotReadyYetForHealthAndValidation()
    {
        await using var cloud = await TestSandbox.StartAsync(o => o.InitializationDelay = TimeSpan.FromHours(1));
        await using var client = TumblebugTestClient.For(cloud);
        var check = new InfrastructureSpecCheck(client.Infrastructure);
        var errors = new Ladybug.Engine.Domain.ValidationErrors();

        var health = await client.Infrastructure.CheckAsync(CancellationToken.None);
        await check.CheckPoolsAsync([new Ladybug.Engine.Domain.NodePoolSpec { Connection = "aws-ap-northeast-1", Spec = "t3.medium", Count = 1 }], errors, CancellationToken.None);

        Assert.False(health.Ready);
        Assert.Contains("not initialized yet", health.Message);
        var error = Assert.Single(errors.ByField.SelectMany(e => e.Value));
        Assert.Contains("not ready yet", error);
    }

    [Fact]
    public async Task ASpecWithoutArchitectureStillFindsItsImage()
    {
        await using var cloud = await TestSandbox.StartAsync();
        await using var client = TumblebugTestClient.For(cloud);

        var machines = await client.Infrastructure.CreateMachinesAsync(Ns, NewGroup(), [Pool("cp", "ncp-kr", "c2-g3")], TestFirewall.Cluster, null, CancellationToken.None);

        Assert.Equal("Running", Assert.Single(machines).Status);
    }

    [Fact]
    public async Task WhenTheAnswerToAFailedCreateIsLostTheRequestLedgerTellsWhy()
    {
        await using var cloud = await TestSandbox.StartAsync(o =>
        {
            o.Faults.FailPreparationOnConnections.Add("aws-ap-northeast-1");
            o.Faults.LoseCreateResponses = 1;
        });
        await using var client = TumblebugTestClient.For(cloud);
        var group = NewGroup();

        var failure = await Assert.ThrowsAsync<InfrastructureException>(() =>
            client.Infrastructure.CreateMachinesAsync(Ns, group, [Pool("cp", "aws-ap-northeast-1", "t3.medium")], TestFirewall.Cluster, null, CancellationToken.None));

        Assert.Contains("all NodeGroups failed resource preparation", failure.Message);
        Assert.DoesNotContain("not ready within", failure.Message);
        Assert.Contains(cloud.Control.Requests, r => r.Method == "GET" && r.Path.StartsWith("/request/ladybug-" + group, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnInfraBeingTerminatedHasNoMachinesToUseRatherThanFailingTheRead()
    {
        await using var cloud = await TestSandbox.StartAsync(o =>
        {
            o.Timing.NodeTerminationTime = TimeSpan.FromSeconds(5);
            // This test's own status polls would spend the 2/s read limit, which has its own tests.
            o.Timing.InfraReadsPerSecond = 0;
        });
        await using var client = TumblebugTestClient.For(cloud);
        var group = NewGroup();
        await client.Infrastructure.CreateMachinesAsync(Ns, group, [Pool("cp", "aws-ap-northeast-1", "t3.medium")], TestFirewall.Cluster, null, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri(cloud.TumblebugUrl.AbsoluteUri + "/") };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{cloud.User}:{cloud.Password}")));

        // Someone else deletes the Infra; its VMs take a while to terminate.
        var deleting = http.DeleteAsync($"ns/{Ns}/infra/{group}?option=terminate");
        Assert.True(await TestSandbox.EventuallyAsync(async () =>
            (await http.GetStringAsync($"ns/{Ns}/infra/{group}?option=status")).Contains("\"targetAction\":\"Terminate\"", StringComparison.Ordinal), TimeSpan.FromSeconds(10)));
        var refused = await http.GetAsync($"ns/{Ns}/infra/{group}?option=accessinfo");
        var machines = await client.Infrastructure.GetMachinesAsync(Ns, group, CancellationToken.None);
        (await deleting).Dispose();

        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, refused.StatusCode);
        Assert.Empty(machines);
    }
}
