using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Ladybug.Tests.Unit.Engine.Bootstrap;

/// <summary>
/// A real OpenSSH sshd on 127.0.0.1 for testing the remote shell, nothing more: its ForceCommand
/// drops the leading "sudo " and runs the rest, so <c>sudo bash -s -- args</c> runs bash with the
/// script on stdin. (The sandbox cloud's VMs are the product's version of this; these tests need
/// only a plain shell.)
/// </summary>
public sealed class TestSshServer : IAsyncDisposable
{
    private const string Sshd = "/usr/sbin/sshd";
    private Process? _process;

    public string Directory { get; }
    public int Port { get; }
    public string User { get; } = Environment.UserName;
    public string ClientPrivateKey { get; }
    /// <summary>The host key's fingerprint as ssh-keygen prints it ("SHA256:...").</summary>
    public string HostKeyFingerprint { get; }

    private TestSshServer(string directory, int port, string clientPrivateKey, string hostKeyFingerprint)
    {
        Directory = directory;
        Port = port;
        ClientPrivateKey = clientPrivateKey;
        HostKeyFingerprint = hostKeyFingerprint;
    }

    /// <summary>Prepares keys and config; <paramref name="start"/> false leaves sshd stopped (a VM still booting).</summary>
    public static async Task<TestSshServer> CreateAsync(bool start = true)
    {
        if (!File.Exists(Sshd))
            throw new InvalidOperationException($"{Sshd} is missing: install openssh-server (test.sh does).");
        var directory = Path.Combine(Path.GetTempPath(), "ladybug-sshd-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(directory);
        await RunAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", Path.Combine(directory, "host_key"));
        // Tumblebug hands out PEM RSA keys; test with the same kind.
        await RunAsync("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "", "-f", Path.Combine(directory, "client_key"));
        File.Copy(Path.Combine(directory, "client_key.pub"), Path.Combine(directory, "authorized_keys"));
        var fingerprint = (await RunAsync("ssh-keygen", "-l", "-E", "sha256", "-f", Path.Combine(directory, "host_key.pub"))).Split(' ')[1];

        var forceCommand = Path.Combine(directory, "force-command.sh");
        await File.WriteAllTextAsync(forceCommand, """
            #!/bin/sh
            cmd="$SSH_ORIGINAL_COMMAND"
            case "$cmd" in "sudo "*) cmd="${cmd#sudo }" ;; esac
            exec /bin/sh -c "$cmd"

            """.Replace("\r\n", "\n"));
        await RunAsync("chmod", "0755", forceCommand);

        var port = FreePort();
        await File.WriteAllTextAsync(Path.Combine(directory, "sshd_config"), $"""
            ListenAddress 127.0.0.1
            Port {port}
            HostKey {directory}/host_key
            PidFile {directory}/sshd.pid
            AuthorizedKeysFile {directory}/authorized_keys
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PubkeyAuthentication yes
            PermitRootLogin prohibit-password
            UsePAM no
            StrictModes no
            ForceCommand {forceCommand}

            """);
        var server = new TestSshServer(directory, port, await File.ReadAllTextAsync(Path.Combine(directory, "client_key")), fingerprint);
        if (start) server.Start();
        return server;
    }

    public void Start()
    {
        if (Environment.UserName == "root")
            System.IO.Directory.CreateDirectory("/run/sshd");
        var info = new ProcessStartInfo(Sshd) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["-D", "-e", "-f", Path.Combine(Directory, "sshd_config")])
            info.ArgumentList.Add(arg);
        _process = Process.Start(info) ?? throw new InvalidOperationException("sshd did not start.");
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        WaitUntilListening();
    }

    private void WaitUntilListening()
    {
        for (var i = 0; i < 200; i++)
        {
            if (_process!.HasExited)
                throw new InvalidOperationException($"sshd exited with code {_process.ExitCode}.");
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(25);
            }
        }
        throw new InvalidOperationException("sshd did not listen within 5 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
