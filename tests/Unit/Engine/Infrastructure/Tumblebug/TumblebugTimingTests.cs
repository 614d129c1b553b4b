using Ladybug.Engine.Infrastructure;
using Ladybug.Tests.Support;
using Ladybug.Sandbox;
using Ladybug.Tests.Unit.Sandbox;

namespace Ladybug.Tests.Unit.Engine.Infrastructure.Tumblebug;

/// <summary>
/// The client against Tumblebug v0.13.0's timing as the sandbox reproduces it: deletes that fail while VMs terminate,
/// refusals while an Infra is under Create, the 2/s rate limit on Infra reads, and Undefined reads of healthy VMs.
/// </summary>
public sealed class TumblebugTimingTests
{
    private const string Ns = "default";
    private static readonly MachinePoolRequest ControlPlane = new("cp", "aws-ap-northeast-1", "t3.medium", 1, "default", null, "22.04");
    private static readonly MachinePoolRequest Workers = new("w1", "gcp-europe-west2", "e2-medium", 2, "default", null, "22.04");

    private static readonly Dictionary<string, string?> QuickDeleteRetries = new() { ["DeleteRetryDelay"] = "00:00:00.1" };

    [Fact]
    public async Task RemovingAMachineSucceedsThoughTumblebugsFirstDeleteFailsWhileItTerminates()
    {
        await using var cloud = await TestSandbox.StartAsync(o => o.Timing.NodeTerminationTime = TimeSpan.FromSeconds(1));
        await using var client = TumblebugTestClient.For(cloud, QuickDeleteRetries);
        await client.Infrastructure.CreateMachinesAsync(Ns, "c1", [ControlPlane, Workers], TestFirewall.Cluster, null, CancellationToken.None);
        var doomed = cloud.Machines.Single(m => m.NodeId == "w1-2");

        await client.Infrastructure.DeleteMachineAsync(Ns, "c1", "w1-2", CancellationToken.None);

        var deletes = cloud.Control.Requests.Where(r => r.Method == "DELETE" && r.Path.EndsWith("/node/w1-2", StringComparison.Ordinal)).Select(r => r.StatusCode).ToList();
        Assert.Equal(400, deletes[0]);
        Assert.Equal(200, deletes[^1]);
        Assert.Equal(["cp-1", "w1-1"], (await client.Infrastructure.GetMachinesAsync(Ns, "c1", CancellationToken.None)).Select(m => m.Id));
        Assert.Empty(TestSandbox.ProcessesUsing(doomed.Directory));
    }

    [Fact]
    public async Task DeletingAllSucceedsThoughTumblebugAnswers500WhileNodesTerminate()
    {
        await using var cloud = await TestSandbox.StartAsync(o =>
        {
            o.Timing.NodeTerminationTime = TimeSpan.FromSeconds(1.5);
            o.Timing.InfraTerminateWait = TimeSpan.FromMilliseconds(100);
        });
        await using var client = TumblebugTestClient.For(cloud, QuickDeleteRetries);
        await client.Infrastructure.CreateMachinesAsync(Ns, "c1", [ControlPlane, Workers], TestFirewall.Cluster, null, CancellationToken.None);
        var directories = cloud.Machines.Select(m => m.Directory).ToList();

        await client.Infrastructure.DeleteAllAsync(Ns, "c1", CancellationToken.None);

        var deletes = cloud.Control.Requests.Where(r => r.Method == "DELETE").Select(r => r.StatusCode).ToList();
        Assert.Contains(500, deletes);
        Assert.Equal(200, deletes[^1]);
        Assert.Empty(await client.Infrastructure.GetMachinesAsync(Ns, "c1", CancellationToken.None));
        Assert.All(directories, d => Assert.Empty(TestSandbox.ProcessesUsing(d)));
    }

    [Fact]
    public async Task AMachineIsNotDeletedWhileMachinesAreBeingAddedToItsInfra()
    {
        await using var cloud = await TestSandbox.StartAsync(o => o.VmCreateDelay = TimeSpan.FromSeconds(2));
        await using var client = TumblebugTestClient.For(cloud, QuickDeleteRetries);
        await client.Infrastructure.CreateMachinesAsync(Ns, "c1", [ControlPlane, Workers], TestFirewall.Cluster, null, CancellationToken.None);
        cloud.Control.ClearRequests();

        var adding = client.Infrastructure.AddMachinesAsync(Ns, "c1", [new MachinePoolRequest("w2", "azure-koreacentral", "Standard_B2s", 1, "default", null, "22.04")], TestFirewall.Cluster, null, CancellationToken.None);
        // The image search is the last call before nodeGroupDynamic, whose VM then takes 2 s.
        Assert.True(await TestSandbox.EventuallyAsync(() => cloud.Control.Requests.Any(r => r.Path.EndsWith("/searchImage", StringComparison.Ordinal)), TimeSpan.FromSeconds(30)));
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        await client.Infrastructure.DeleteMachineAsync(Ns, "c1", "w1-2", CancellationToken.None);
        await adding;

        var log = cloud.Control.Requests.ToList();
        var added = log.FindIndex(r => r.Method == "POST" && r.Path.EndsWith("/nodeGroupDynamic", StringComparison.Ordinal));
        var firstDelete = log.FindIndex(r => r.Method == "DELETE");
        Assert.InRange(added, 0, firstDelete);
        Assert.Equal(["cp-1", "w1-1", "w2-1"], (await client.Infrastructure.GetMachinesAsync(Ns, "c1", CancellationToken.None)).Select(m => m.Id));
    }

    [Fact]
    public async Task ManyClustersPollingAtOnceGetNo429()
    {
        await using var cloud = await TestSandbox.StartAsync();
        await using var client = TumblebugTestClient.For(cloud);
        var groups = Enumerable.Range(1, 6).Select(i => $"c{i}").ToList();

        var created = await Task.WhenAll(groups.Select(g => client.Infrastructure.CreateMachinesAsync(Ns, g, [ControlPlane], TestFirewall.Cluster, null, CancellationToken.None)));
        var read = await Task.WhenAll(groups.Select(g => client.Infrastructure.GetMachinesAsync(Ns, g, CancellationToken.None)));

        Assert.All(created, machines => Assert.Single(machines));
        Assert.All(read, machines => Assert.Single(machines));
        Assert.DoesNotContain(cloud.Control.Requests, r => r.StatusCode == 429);
    }

    [Fact]
    public async Task OnceTumblebugAnswersEveryMachineRunningOnlyTheirSshAccessIsRead()
    {
        await using var cloud = await TestSandbox.StartAsync();
        // No progress poll while the call runs: whatever single-Infra read comes after it is the client's waiting.
        await using var client = TumblebugTestClient.For(cloud, new Dictionary<string, string?> { ["PollInterval"] = "00:01:00", ["MaxPollInterval"] = "00:01:00" });

        var machines = await client.Infrastructure.CreateMachinesAsync(Ns, "c1", [ControlPlane, Workers], TestFirewall.Cluster, null, CancellationToken.None);

        Assert.Equal(3, machines.Count);
        var create = cloud.Control.Requests.Single(r => r.Method == "POST" && r.Path == $"/ns/{Ns}/infraDynamic");
        var readsAfter = cloud.Control.Requests.Where(r => r.Method == "GET" && r.Path == $"/ns/{Ns}/infra/c1" && r.Received >= create.Answered).ToList();
        Assert.Contains("option=accessinfo", Assert.Single(readsAfter).Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMachineTheCreatingAnswerReadsUndefinedIsPolledUntilRunning()
    {
        // The answer's read is the only Undefined one: the client must not take it for a failure, nor for Running.
        await using var cloud = await TestSandbox.StartAsync(o => o.Faults.UndefinedStatusReads = 1);
        await using var client = TumblebugTestClient.For(cloud, new Dictionary<string, string?> { ["PollInterval"] = "00:01:00", ["MaxPollInterval"] = "00:01:00" });
        var progress = new ProgressLog();

        var machines = await client.Infrastructure.CreateMachinesAsync(Ns, "c1", [ControlPlane], TestFirewall.Cluster, progress, CancellationToken.None);

        Assert.Equal("Running", Assert.Single(machines).Status);
        Assert.Contains(progress.Lines, l => l.StartsWith("cp-1: Undefined", StringComparison.Ordinal));
        Assert.Contains(cloud.Control.Requests, r => r.Method == "GET" && r.Query.Contains("option=status", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheProgressWatchSpacesItsReadsOutWhileACreationRuns()
    {
        // 30 (fake) seconds of a creating call watched from a first interval of 1 s: at a steady interval that is 30
        // status reads; growing by half up to 10 s it is 6 (at 1, 2.5, 4.75, 8.1, 13.2 and 20.8 s). No rate limit on either
        // side, so only the watch decides how often it reads.
        await using var cloud = await TestSandbox.StartAsync(o =>
        {
            o.Faults.NeverRunningOnConnections.Add(ControlPlane.Connection);
            o.Timing.InfraReadsPerSecond = 0;
        });
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var client = TumblebugTestClient.For(cloud, new Dictionary<string, string?>
        {
            ["PollInterval"] = "00:00:01",
            ["MaxPollInterval"] = "00:00:10",
            ["InfraReadsPerSecond"] = "0",
            ["CreationTimeout"] = "01:00:00",
        }, clock);
        using var stop = new CancellationTokenSource();

        var creating = client.Infrastructure.CreateMachinesAsync(Ns, "c1", [ControlPlane], TestFirewall.Cluster, null, stop.Token);
        // The sandbox records a call once answered, and the creating call is not: the image search is the client's last call before it.
        Assert.True(await TestSandbox.EventuallyAsync(() => cloud.Control.Requests.Any(r => r.Path.EndsWith("/searchImage", StringComparison.Ordinal))
            || creating.IsCompleted, TimeSpan.FromSeconds(30)));
        await Task.Delay(200);
        for (var second = 0; second < 30; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(50);
        }
        var reads = cloud.Control.Requests.Count(r => r.Method == "GET" && r.Query.Contains("option=status", StringComparison.Ordinal));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => creating);

        Assert.InRange(reads, 1, 6);
    }

    [Fact]
    public async Task ManyCallsAtOnceStayUnderTumblebugsLimitOfFiftyASecond()
    {
        await using var cloud = await TestSandbox.StartAsync();
        await using var client = TumblebugTestClient.For(cloud);

        // Spec searches are POSTs, which are not retried: a 429 would fail the caller (cluster validation, say).
        var specs = await Task.WhenAll(Enumerable.Range(0, 80).Select(_ => client.Infrastructure.ListSpecsAsync("aws-ap-northeast-1", CancellationToken.None)));

        Assert.All(specs, s => Assert.NotEmpty(s));
        Assert.DoesNotContain(cloud.Control.Requests, r => r.StatusCode == 429);
    }

    [Fact]
    public async Task AMachineReadUndefinedOnceStillCompletesItsCreation()
    {
        await using var cloud = await TestSandbox.StartAsync(o => o.Faults.UndefinedStatusReads = 2);
        await using var client = TumblebugTestClient.For(cloud);
        var progress = new ProgressLog();

        var machines = await client.Infrastructure.CreateMachinesAsync(Ns, "c1", [ControlPlane], TestFirewall.Cluster, progress, CancellationToken.None);

        Assert.Equal("cp-1", Assert.Single(machines).Id);
        // Read Undefined at least once (as the first status seen, or after Creating), and the creation still completed.
        Assert.Contains(progress.Lines, l => l.StartsWith("cp-1: ", StringComparison.Ordinal)
            && (l.StartsWith("cp-1: Undefined", StringComparison.Ordinal) || l.Contains("→ Undefined", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AMachineThatStaysUndefinedFailsItsCreation()
    {
        await using var cloud = await TestSandbox.StartAsync(o => o.Faults.UndefinedStatusReads = 1000);
        await using var client = TumblebugTestClient.For(cloud, new Dictionary<string, string?> { ["UndefinedPollsBeforeFailure"] = "3" });

        var error = await Assert.ThrowsAsync<InfrastructureException>(() =>
            client.Infrastructure.CreateMachinesAsync(Ns, "c1", [ControlPlane], TestFirewall.Cluster, null, CancellationToken.None));

        Assert.StartsWith("Machine cp-1 on aws-ap-northeast-1 was Undefined in 3 status reads in a row", error.Message);
    }
}
