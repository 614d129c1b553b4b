using Ladybug.Tests.Support;
using System.Net.Http.Json;
using System.Net.Sockets;
using Ladybug.Engine.Infrastructure;
using Ladybug.Sandbox;
using Ladybug.Sandbox.Machines;
using Ladybug.Tests.Unit.Engine.Infrastructure.Tumblebug;
using Renci.SshNet.Common;

namespace Ladybug.Tests.Unit.Sandbox;

/// <summary>Every fault the sandbox offers, seen through the engine's client and SSH.</summary>
public sealed class SandboxFaultTests
{
    private static readonly MachinePoolRequest Tokyo = new("cp", "aws-ap-northeast-1", "t3.medium", 1, "default", null, "22.04");
    private static readonly MachinePoolRequest London = new("w1", "gcp-europe-west2", "e2-medium", 1, "default", null, "22.04");

    [Fact]
    public async Task VmCreationFailsOnTheGivenConnectionOnly()
    {
        await using var cloud = await TestSandbox.StartAsync(o => o.Faults.FailCreateOnConnections.Add("gcp-europe-west2"));
        await using var client = TumblebugTestClient.For(cloud);

        var error = await Assert.ThrowsAsync<InfrastructureException>(() =>
            client.Infrastructure.CreateMachinesAsync("default", "c1", [Tokyo, London], TestFirewall.Cluster, null, CancellationToken.None));

        Assert.Equal("Machine w1-1 on gcp-europe-west2 is Failed: Sandbox fault: VM creation fails on connection gcp-europe-west2 (Ladybug:Sandbox:Faults:FailCreateOnConnections).", error.Message);
        var machines = await client.Infrastructure.GetMachinesAsync("default", "c1", CancellationToken.None);
        Assert.Equal([("cp-1", "Running"), ("w1-1", "Failed")], machines.Select(m => (m.Id, m.Status)));
    }

    [Fact]
    public async Task AVmThatNeverRunsEndsInATimeoutNamingIt()
    {
        await using var cloud = await TestSandbox.StartAsync(o =>
        {
            o.CreationWaitLimit = TimeSpan.FromMilliseconds(300);
            o.Faults.NeverRunningOnConnections.Add("gcp-europe-west2");
        });
        await using var client = TumblebugTestClient.For(cloud, new Dictionary<string, string?> { ["CreationTimeout"] = "00:00:04" });

        var error = await Assert.ThrowsAsync<InfrastructureException>(() =>
            client.Infrastructure.CreateMachinesAsync("default", "c1", [Tokyo, London], TestFirewall.Cluster, null, CancellationToken.None));

        Assert.Contains("were not ready within", error.Message);
        Assert.Contains("w1-1 is Creating", error.Message);
        Assert.Contains("Ladybug:Tumblebug:CreationTimeout", error.Message);
    }

    [Fact]
    public async Task SshIsRefusedWhileTheVmBootsThenAccepted()
    {
        await using var cloud = await TestSandbox.StartAsync(o => o.Faults.SshRefusedSeconds = 2);
        await using var client = TumblebugTestClient.For(cloud);
        var machine = Assert.Single(await client.Infrastructure.CreateMachinesAsync("default", "c1", [Tokyo], TestFirewall.Cluster, null, CancellationToken.None));

        var refused = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var probe = new TcpClient();
            await probe.ConnectAsync(machine.PublicIp!, machine.SshPort);
        });
        var accepted = await TestSandbox.EventuallyAsync(() =>
        {
            try
            {
                using var ssh = SshSessions.Connect(machine);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30));

        Assert.Equal("Running", machine.Status);
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.True(accepted);
    }

    [Fact]
    public async Task TheConnectionDropsMidStreamOnceThenWorks()
    {
        await using var cloud = await TestSandbox.StartAsync(o => o.Faults.DropConnections.Add(new StepFault { Step = "facts", AfterLines = 2 }));
        await using var client = TumblebugTestClient.For(cloud);
        var machine = Assert.Single(await client.Infrastructure.CreateMachinesAsync("default", "c1", [Tokyo], TestFirewall.Cluster, null, CancellationToken.None));

        using var first = SshSessions.Connect(machine);
        CommandResult? dropped = null;
        var broken = await Record.ExceptionAsync(async () => dropped = await SshSessions.RunAsync(first, "bash -s", "# ladybug-step: facts\n"));
        var again = await SshSessions.RunAsync(machine, "bash -s", "# ladybug-step: facts\n");

        Assert.True(broken is SshConnectionException || dropped?.ExitStatus is null, $"expected a dropped connection, got {broken?.GetType().Name ?? $"exit {dropped?.ExitStatus}"}");
        Assert.Equal(0, again.ExitStatus);
        Assert.Equal(9, again.Lines.Length);
    }

    [Fact]
    public async Task AStepFailsOnPurposeOnTheGivenNodeOnce()
    {
        await using var cloud = await TestSandbox.StartAsync(o => o.Faults.FailSteps.Add(new StepFault { Step = "facts", Node = "cp-1", ExitCode = 3 }));
        await using var client = TumblebugTestClient.For(cloud);
        var machine = Assert.Single(await client.Infrastructure.CreateMachinesAsync("default", "c1", [Tokyo], TestFirewall.Cluster, null, CancellationToken.None));

        var failed = await SshSessions.RunAsync(machine, "sudo bash -s", "# ladybug-step: facts\n");
        var retried = await SshSessions.RunAsync(machine, "sudo bash -s", "# ladybug-step: facts\n");

        Assert.Equal(3, failed.ExitStatus);
        Assert.Contains("'facts' fails on cp-1 on purpose", failed.Error);
        Assert.Equal(0, retried.ExitStatus);
    }

    [Fact]
    public async Task FaultsCanBeChangedWhileTheSandboxRuns()
    {
        await using var cloud = await TestSandbox.StartAsync();
        await using var client = TumblebugTestClient.For(cloud);
        using var admin = TestSandbox.AdminClient(cloud);

        var put = await admin.PutAsJsonAsync("sandbox/faults", new SandboxFaults { FailCreateOnConnections = ["aws-ap-northeast-1"] });
        var error = await Assert.ThrowsAsync<InfrastructureException>(() =>
            client.Infrastructure.CreateMachinesAsync("default", "c1", [Tokyo], TestFirewall.Cluster, null, CancellationToken.None));

        put.EnsureSuccessStatusCode();
        Assert.Equal(["aws-ap-northeast-1"], (await admin.GetFromJsonAsync<SandboxFaults>("sandbox/faults"))!.FailCreateOnConnections);
        Assert.Contains("VM creation fails on connection aws-ap-northeast-1", error.Message);
    }

    [Fact]
    public async Task WithoutSshdTheSandboxSaysWhatToInstall()
    {
        const string expected = "The sandbox cloud runs every VM as an OpenSSH server, but /nonexistent/sshd was not found. Install it with: sudo apt-get install openssh-server";
        await using var cloud = await TestSandbox.StartAsync(o => o.SshdPath = "/nonexistent/sshd");
        await using var client = TumblebugTestClient.For(cloud);

        var health = await client.Infrastructure.CheckAsync(CancellationToken.None);
        var readinessAsked = cloud.Control.Requests.Count(r => r.Path == "/readyz");
        var error = await Assert.ThrowsAsync<InfrastructureException>(() =>
            client.Infrastructure.CreateMachinesAsync("default", "c1", [Tokyo], TestFirewall.Cluster, null, CancellationToken.None));

        Assert.Equal(expected, SandboxPrerequisites.Problem(new SandboxOptions { SshdPath = "/nonexistent/sshd" }));
        Assert.Equal(expected, cloud.Problem);
        Assert.False(health.Ready);
        Assert.Equal(1, readinessAsked);
        Assert.Contains(expected, health.Message);
        Assert.Contains(expected, error.Message);
    }
}
