using Ladybug.Tests.Support;
using Ladybug.Engine.Infrastructure;
using Ladybug.Sandbox;
using Ladybug.Tests.Unit.Sandbox;

namespace Ladybug.Tests.Unit.Engine.Infrastructure.Tumblebug;

/// <summary>Retries for idempotent calls only; creating calls are sent once and, when their answer is lost, looked up.</summary>
public sealed class TumblebugResilienceTests
{
    private static readonly MachinePoolRequest ControlPlane = new("cp", "aws-ap-northeast-1", "t3.medium", 1, "default", null, "22.04");

    private static Task<SandboxCloud> SandboxWith(Action<SandboxFaults> faults) => TestSandbox.StartAsync(o => faults(o.Faults));

    [Fact]
    public async Task AReadIsRetriedAfterServiceUnavailable()
    {
        await using var cloud = await SandboxWith(f => f.FailRequests.Add(new RequestFault { Method = "GET", PathContains = "/connConfig", StatusCode = 503, Count = 2 }));
        await using var client = TumblebugTestClient.For(cloud);

        var connections = await client.Infrastructure.ListConnectionsAsync(CancellationToken.None);

        Assert.NotEmpty(connections);
        Assert.Equal([503, 503, 200], cloud.Control.Requests.Where(r => r.Path == "/connConfig").Select(r => r.StatusCode));
    }

    [Fact]
    public async Task AReadIsRetriedAfterTooManyRequests()
    {
        await using var cloud = await SandboxWith(f => f.FailRequests.Add(new RequestFault { Method = "GET", PathContains = "/connConfig", StatusCode = 429, Count = 1 }));
        await using var client = TumblebugTestClient.For(cloud);

        await client.Infrastructure.ListConnectionsAsync(CancellationToken.None);

        Assert.Equal([429, 200], cloud.Control.Requests.Where(r => r.Path == "/connConfig").Select(r => r.StatusCode));
    }

    [Fact]
    public async Task RetriesStopAtTheLimitWithTumblebugsMessage()
    {
        await using var cloud = await SandboxWith(f => f.FailRequests.Add(new RequestFault { Method = "GET", PathContains = "/connConfig", StatusCode = 500, Count = 10 }));
        await using var client = TumblebugTestClient.For(cloud, new Dictionary<string, string?> { ["MaxRetries"] = "2" });

        var error = await Assert.ThrowsAsync<InfrastructureException>(() => client.Infrastructure.ListConnectionsAsync(CancellationToken.None));

        Assert.Equal(3, cloud.Control.Requests.Count(r => r.Path == "/connConfig"));
        Assert.StartsWith("Tumblebug could not list the cloud connections: Sandbox fault: GET /connConfig answered 500 on purpose", error.Message);
        Assert.False(error.NotFound);
    }

    [Fact]
    public async Task ADeleteIsRetriedAfterAServerError()
    {
        await using var cloud = await SandboxWith(f => f.FailRequests.Add(new RequestFault { Method = "DELETE", PathContains = "/infra/c1", StatusCode = 502, Count = 1 }));
        await using var client = TumblebugTestClient.For(cloud);
        await client.Infrastructure.CreateMachinesAsync("default", "c1", [ControlPlane], TestFirewall.Cluster, null, CancellationToken.None);

        await client.Infrastructure.DeleteAllAsync("default", "c1", CancellationToken.None);

        Assert.Equal([502, 200], cloud.Control.Requests.Where(r => r.Method == "DELETE" && r.Path.Contains("/infra/c1")).Select(r => r.StatusCode));
        Assert.Empty(await client.Infrastructure.GetMachinesAsync("default", "c1", CancellationToken.None));
    }

    [Fact]
    public async Task ACreatingCallIsNeverRetriedBlindly()
    {
        await using var cloud = await SandboxWith(f => f.FailRequests.Add(new RequestFault { Method = "POST", PathContains = "/infraDynamic", StatusCode = 503, Count = 1 }));
        await using var client = TumblebugTestClient.For(cloud);

        var error = await Assert.ThrowsAsync<InfrastructureException>(() =>
            client.Infrastructure.CreateMachinesAsync("default", "c1", [ControlPlane], TestFirewall.Cluster, null, CancellationToken.None));

        Assert.Single(cloud.Control.Requests, r => r.Method == "POST" && r.Path == "/ns/default/infraDynamic");
        Assert.Contains("could not create the machines of 'c1'", error.Message);
        Assert.Contains("(503)", error.Message);
    }

    [Fact]
    public async Task ALostCreateAnswerContinuesFromWhatExists()
    {
        await using var cloud = await SandboxWith(f => f.LoseCreateResponses = 1);
        await using var client = TumblebugTestClient.For(cloud);
        var progress = new ProgressLog();

        var machines = await client.Infrastructure.CreateMachinesAsync("default", "c1",
            [ControlPlane, new MachinePoolRequest("w1", "nhn-kr1", "u2.c2m4", 2, "default", null, "22.04")], TestFirewall.Cluster, progress, CancellationToken.None);

        Assert.Equal(["cp-1", "w1-1", "w1-2"], machines.Select(m => m.Id));
        Assert.All(machines, m => Assert.Equal("Running", m.Status));
        Assert.Single(cloud.Control.Requests, r => r.Method == "POST" && r.Path == "/ns/default/infraDynamic");
        Assert.Contains(progress.Lines, l => l.Contains("Tumblebug has the machines anyway; continuing from what exists"));
    }

    [Fact]
    public async Task ALostAddAnswerContinuesFromWhatExists()
    {
        await using var cloud = await TestSandbox.StartAsync();
        await using var client = TumblebugTestClient.For(cloud);
        await client.Infrastructure.CreateMachinesAsync("default", "c1", [ControlPlane], TestFirewall.Cluster, null, CancellationToken.None);
        cloud.Control.Faults = new SandboxFaults { LoseCreateResponses = 1 };

        var added = await client.Infrastructure.AddMachinesAsync("default", "c1",
            [new MachinePoolRequest("w1", "gcp-us-central1", "e2-medium", 1, "default", 30, "24.04")], TestFirewall.Cluster, null, CancellationToken.None);

        Assert.Equal("w1-1", Assert.Single(added).Id);
        Assert.Single(cloud.Control.Requests, r => r.Method == "POST" && r.Path == "/ns/default/infra/c1/nodeGroupDynamic");
    }

    [Fact]
    public async Task AnswersThatAnInfraDoesNotExistNeverOpenTheCircuit()
    {
        // Every create first asks whether its Infra exists: a 500 "does not exist". 120 of them (the breaker looks at 100
        // calls or more) must leave Tumblebug usable.
        await using var cloud = await TestSandbox.StartAsync(o => o.Timing.InfraReadsPerSecond = 0);
        await using var client = TumblebugTestClient.For(cloud, new Dictionary<string, string?> { ["InfraReadsPerSecond"] = "0" });

        for (var i = 0; i < 120; i++)
            Assert.Empty(await client.Infrastructure.GetMachinesAsync("default", $"missing{i}", CancellationToken.None));

        Assert.NotEmpty(await client.Infrastructure.ListConnectionsAsync(CancellationToken.None));
        Assert.Equal(120, cloud.Control.Requests.Count(r => r.StatusCode == 500));
    }

    [Fact]
    public async Task WaitingOutlastsAStatusReadThatFailsEvenAfterRetries()
    {
        // The create call's answer reads the node Undefined, so the wait after it polls at once and meets the first
        // status read's two failing attempts (the existence check is a full read). The watch during the call polls only
        // after a minute, so it never takes them first however slow the machine is; the wait's next poll comes at the
        // creation deadline (the interval is longer than what is left), and that one succeeds.
        await using var cloud = await TestSandbox.StartAsync(o =>
        {
            o.VmCreateDelay = TimeSpan.Zero;
            o.Faults.UndefinedStatusReads = 1;
            o.Faults.FailRequests.Add(new RequestFault { Method = "GET", PathContains = "option=status", StatusCode = 500, Count = 2 });
        });
        await using var client = TumblebugTestClient.For(cloud, new Dictionary<string, string?> { ["MaxRetries"] = "1", ["PollInterval"] = "00:01:00", ["CreationTimeout"] = "00:00:15" });
        var progress = new ProgressLog();

        var machines = await client.Infrastructure.CreateMachinesAsync("default", "c1", [ControlPlane], TestFirewall.Cluster, progress, CancellationToken.None);

        Assert.Equal("Running", Assert.Single(machines).Status);
        Assert.Equal(2, cloud.Control.Requests.Count(r => r.Query.Contains("option=status") && r.StatusCode == 500));
        Assert.Contains(progress.Lines, l => l.StartsWith("Tumblebug could not read the status of 'c1'") && l.EndsWith("Still waiting."));
    }
}
