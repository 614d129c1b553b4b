using Ladybug.Tests.Support;
using System.Security.Cryptography;
using Ladybug.Engine.Infrastructure;
using Ladybug.Tests.Unit.Engine.Infrastructure.Tumblebug;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Ladybug.Tests.Unit.Sandbox;

/// <summary>Two VMs (Tokyo and London) shared by the class, reached over real SSH.</summary>
public sealed class SandboxVmFixture : IAsyncLifetime
{
    private readonly SandboxCloudFixture _cloud = new();

    public IReadOnlyList<Machine> Machines { get; private set; } = [];
    public Machine Tokyo => Machines[0];
    public Machine London => Machines[1];

    public async Task InitializeAsync()
    {
        await _cloud.InitializeAsync();
        Machines = await _cloud.Infrastructure.CreateMachinesAsync("default", "vms",
            [new("cp", "aws-ap-northeast-1", "t3.medium", 1, "default", null, "22.04"), new("w1", "gcp-europe-west2", "e2-medium", 1, "default", null, "24.04")], TestFirewall.Cluster,
            null, CancellationToken.None);
    }

    public Task DisposeAsync() => _cloud.DisposeAsync();
}

public sealed class SandboxVmTests(SandboxVmFixture vms) : IClassFixture<SandboxVmFixture>
{
    [Fact]
    public async Task TheInfrasKeyOpensASessionAnsweredByTheNodeSimulator()
    {
        var hostname = await SshSessions.RunAsync(vms.Tokyo, "hostname");
        var addresses = await SshSessions.RunAsync(vms.Tokyo, "hostname -I");

        Assert.Equal(0, hostname.ExitStatus);
        Assert.Matches("^[0-9a-v]{20}\n$", hostname.Output);
        Assert.Equal($"{vms.Tokyo.PrivateIp} \n", addresses.Output);
    }

    [Fact]
    public void AnotherKeyIsRefused()
    {
        using var stranger = RSA.Create(2048);

        Assert.Throws<SshAuthenticationException>(() => SshSessions.Connect(vms.Tokyo, stranger.ExportRSAPrivateKeyPem()));
    }

    [Fact]
    public void EachVmHasItsOwnHostKey()
    {
        var tokyo = SshSessions.HostKeyFingerprint(vms.Tokyo);
        var london = SshSessions.HostKeyFingerprint(vms.London);

        Assert.NotEqual("", tokyo);
        Assert.NotEqual(tokyo, london);
        Assert.NotEqual((vms.Tokyo.PublicIp, vms.Tokyo.SshPort), (vms.London.PublicIp, vms.London.SshPort));
    }

    [Fact]
    public async Task AScriptWithAStepMarkerIsRunByThatStepsHandler()
    {
        const string script = "#!/usr/bin/env bash\nset -euo pipefail\n# ladybug-step: facts\nhostname | tr a-z A-Z\n";

        var facts = await SshSessions.RunAsync(vms.London, "sudo bash -s -- --verbose", script);

        Assert.Equal(0, facts.ExitStatus);
        Assert.Contains("csp=gcp", facts.Lines);
        Assert.Contains("region=europe-west2", facts.Lines);
        Assert.Contains("zone=europe-west2-a", facts.Lines);
        Assert.Contains($"privateIp={vms.London.PrivateIp}", facts.Lines);
        Assert.Contains("os=Ubuntu 24.04.1 LTS", facts.Lines);
    }

    [Fact]
    public async Task UnknownCommandsFailLikeAShell()
    {
        var result = await SshSessions.RunAsync(vms.Tokyo, "kubeadm version");

        Assert.Equal(127, result.ExitStatus);
        Assert.Equal("bash: kubeadm: command not found\n", result.Error);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task AnUnknownStepFailsWith127()
    {
        var result = await SshSessions.RunAsync(vms.Tokyo, "sudo bash -s", "# ladybug-step: no-such-step\n");

        Assert.Equal(127, result.ExitStatus);
        Assert.Contains("no handler for step 'no-such-step'", result.Error);
    }

    [Fact]
    public async Task AnUnmarkedScriptRunsItsSimpleCommandsAndStopsAtAFailureUnderSetE()
    {
        var result = await SshSessions.RunAsync(vms.Tokyo, "bash -s", "set -e\necho first\nfalse\necho never\n");

        Assert.Equal(1, result.ExitStatus);
        Assert.Equal(["first"], result.Lines);
    }

    [Fact]
    public async Task FilesOfTheVirtualFilesystemAreRead()
    {
        var result = await SshSessions.RunAsync(vms.Tokyo, "cat /etc/os-release /etc/kubernetes/admin.conf");

        Assert.Equal(1, result.ExitStatus);
        Assert.Contains("VERSION_ID=\"22.04\"", result.Lines);
        Assert.Equal("cat: /etc/kubernetes/admin.conf: No such file or directory\n", result.Error);
    }
}
