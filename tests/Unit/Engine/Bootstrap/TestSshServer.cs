using System.Diagnostics;
using System.Net;
using Ladybug.Sandbox.Machines;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ladybug.Tests.Unit.Engine.Bootstrap;

/// <summary>
/// A sandbox-style sshd (<see cref="Sshd"/>, as the sandbox VMs run) whose ForceCommand is a plain shell instead of the
/// node simulator: it drops a leading "sudo " and runs the rest, so <c>sudo bash -s -- args</c> runs bash with the
/// script on stdin. The remote shell's tests need real bash (loops, sleeps, signals), not simulated steps.
/// </summary>
public sealed class TestSshServer : IAsyncDisposable
{
    private const string SshdPath = "/usr/sbin/sshd";
    private const string SshKeygenPath = "/usr/bin/ssh-keygen";
    private readonly SshdConfig _config;
    private Process? _process;

    private TestSshServer(SshdConfig config, string clientPrivateKey, string hostKeyFingerprint)
    {
        _config = config;
        ClientPrivateKey = clientPrivateKey;
        HostKeyFingerprint = hostKeyFingerprint;
    }

    public string Directory => _config.Directory;
    public int Port => _config.Port;
    public string User => _config.User;
    public string ClientPrivateKey { get; }
    /// <summary>The host key's fingerprint as ssh-keygen prints it ("SHA256:...").</summary>
    public string HostKeyFingerprint { get; }

    /// <summary>Prepares keys and config; <paramref name="start"/> false leaves sshd stopped (a VM still booting).</summary>
    public static async Task<TestSshServer> CreateAsync(bool start = true)
    {
        if (SandboxPrerequisites.Problem(new Ladybug.Sandbox.SandboxOptions()) is { } problem)
            throw new InvalidOperationException(problem);
        var directory = System.IO.Directory.CreateTempSubdirectory("ladybug-sshd-").FullName;
        var forceCommand = Path.Combine(directory, "force-command.sh");
        await File.WriteAllTextAsync(forceCommand, """
            #!/bin/sh
            cmd="$SSH_ORIGINAL_COMMAND"
            case "$cmd" in "sudo "*) cmd="${cmd#sudo }" ;; esac
            exec /bin/sh -c "$cmd"

            """.Replace("\r\n", "\n"));

        // Tumblebug hands out PEM RSA keys; test with the same kind.
        var clientKey = Path.Combine(directory, "client_key");
        await RunAsync(SshKeygenPath, "-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "", "-f", clientKey);
        var config = new SshdConfig(directory, IPAddress.Loopback, Sshd.FreePort(IPAddress.Loopback), Environment.UserName, $"/bin/sh {forceCommand}", "ladybug-test-sshd");
        await Sshd.WriteAsync(config, await File.ReadAllTextAsync(clientKey + ".pub"), SshKeygenPath, CancellationToken.None);
        var fingerprint = (await RunAsync(SshKeygenPath, "-l", "-E", "sha256", "-f", config.HostKeyPath + ".pub")).Split(' ')[1];

        var server = new TestSshServer(config, await File.ReadAllTextAsync(clientKey), fingerprint);
        if (start) await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        var logStart = Sshd.LogLength(_config);
        _process = await Sshd.StartAsync(SshdPath, _config, NullLogger.Instance, CancellationToken.None)
            ?? throw new InvalidOperationException($"sshd did not start: {await Sshd.FailureAsync(_config, logStart, CancellationToken.None)}");
    }

    /// <summary>Stops sshd and every session under it, as a reboot would.</summary>
    public async Task StopAsync()
    {
        if (_process is { } running) await Sshd.StopAsync(running);
        _process = null;
    }

    private static async Task<string> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {stderr}");
        return stdout;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
