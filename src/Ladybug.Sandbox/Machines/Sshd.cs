using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Ladybug.Sandbox.Machines;

/// <summary>
/// One OpenSSH sshd on a loopback address, living in its own directory: host key, authorized keys, config with a
/// ForceCommand, pid file and log. Sandbox VMs are these (their ForceCommand is the node simulator); tests that need a
/// plain shell behind SSH use the same with a shell as ForceCommand.
/// </summary>
public sealed record SshdConfig(string Directory, IPAddress Address, int Port, string User, string ForceCommand, string Comment)
{
    public const string PidFileName = "sshd.pid";
    public const string ConfigFileName = "sshd_config";
    public const string HostKeyFileName = "ssh_host_ed25519_key";
    public const string AuthorizedKeysFileName = "authorized_keys";

    public string ConfigPath => Path.Combine(Directory, ConfigFileName);
    public string HostKeyPath => Path.Combine(Directory, HostKeyFileName);
    public string AuthorizedKeysPath => Path.Combine(Directory, AuthorizedKeysFileName);
    public string LogPath => Path.Combine(Directory, "sshd.log");

    /// <summary>
    /// The login user's home for sessions on this server. sshd runs every command through the user's shell, and bash
    /// started by sshd reads <c>~/.bashrc</c>: the console user's own (on the build machine, a <c>pyenv init</c> of about
    /// 100 processes) cost 120 ms on every SSH command. A VM's root has its own, empty home.
    /// </summary>
    public string HomePath => Path.Combine(Directory, "home");

    public string Render() => string.Join('\n',
        $"# {Comment}",
        $"ListenAddress {Address}",
        $"Port {Port.ToString(CultureInfo.InvariantCulture)}",
        $"HostKey {HostKeyPath}",
        $"PidFile {Path.Combine(Directory, PidFileName)}",
        $"AuthorizedKeysFile {AuthorizedKeysPath}",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PubkeyAuthentication yes",
        "UsePAM no",
        "StrictModes no",
        "PermitRootLogin prohibit-password",
        $"AllowUsers {User}",
        "AllowTcpForwarding no",
        "AllowAgentForwarding no",
        "X11Forwarding no",
        "PermitTunnel no",
        "PrintMotd no",
        "UseDNS no",
        "MaxStartups 200",
        "MaxSessions 64",
        "LogLevel INFO",
        $"SetEnv HOME={HomePath}",
        $"ForceCommand {ForceCommand}",
        "");
}

/// <summary>Making, starting and stopping <see cref="SshdConfig"/> servers.</summary>
public static class Sshd
{
    /// <summary>Writes the config, the authorized key and a fresh ed25519 host key.</summary>
    public static async Task WriteAsync(SshdConfig config, string authorizedKey, string sshKeygenPath, CancellationToken cancellationToken)
    {
        await WriteKeysAsync(config, authorizedKey, sshKeygenPath, cancellationToken);
        await WriteConfigAsync(config, cancellationToken);
    }

    /// <summary>Writes the authorized key and a fresh ed25519 host key: once per server, as a new machine gets them.</summary>
    public static async Task WriteKeysAsync(SshdConfig config, string authorizedKey, string sshKeygenPath, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(config.Directory);
        await File.WriteAllTextAsync(config.AuthorizedKeysPath, authorizedKey.Trim() + "\n", cancellationToken);
        File.Delete(config.HostKeyPath);
        File.Delete(config.HostKeyPath + ".pub");
        await ProcessRunner.RunAsync(sshKeygenPath, ["-q", "-t", "ed25519", "-N", "", "-C", config.Comment, "-f", config.HostKeyPath], cancellationToken);
    }

    /// <summary>(Re)writes the config alone — for a server that moved to another port or comes back after a restart, keeping its keys.</summary>
    public static async Task WriteConfigAsync(SshdConfig config, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(config.Directory);
        Directory.CreateDirectory(config.HomePath);
        await File.WriteAllTextAsync(config.ConfigPath, config.Render(), cancellationToken);
    }

    /// <summary>
    /// Starts <c>sshd -D</c> and returns it once it accepts connections, or null when it exited first (its log says
    /// why: <see cref="FailureAsync"/>). Throws when it neither accepts nor exits within 15 s.
    /// </summary>
    public static async Task<Process?> StartAsync(string sshdPath, SshdConfig config, ILogger logger, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(sshdPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // -r: no re-exec of sshd for each connection (OpenSSH ≤ 9.7 sshd.c, case 'r': rexec_flag = 0). The re-exec
        // (fresh ASLR per connection) is invisible to an SSH client but cost ~15 of ~65 ms of CPU per connection here,
        // paid 51 times at once when every node of a cluster connects. OpenSSH ≥ 9.8 always execs sshd-session and
        // only logs "-r option is deprecated" (to the -E log).
        foreach (var argument in new[] { "-D", "-r", "-f", config.ConfigPath, "-E", config.LogPath })
            start.ArgumentList.Add(argument);
        var sshd = Process.Start(start) ?? throw new InvalidOperationException($"{sshdPath} could not be started.");
        sshd.StandardInput.Close();
        sshd.OutputDataReceived += (_, _) => { };
        sshd.ErrorDataReceived += (_, e) => { if (!string.IsNullOrWhiteSpace(e.Data)) logger.LogWarning("sshd {Config}: {Line}", config.Comment, e.Data); };
        sshd.BeginOutputReadLine();
        sshd.BeginErrorReadLine();
        try
        {
            if (await WaitUntilAcceptingAsync(config, sshd, cancellationToken)) return sshd;
        }
        catch
        {
            await StopAsync(sshd);
            throw;
        }
        sshd.Dispose();
        return null;
    }

    /// <summary>How much the log holds now: take it before <see cref="StartAsync"/>, hand it to <see cref="FailureAsync"/>.</summary>
    public static long LogLength(SshdConfig config) => File.Exists(config.LogPath) ? new FileInfo(config.LogPath).Length : 0;

    /// <summary>
    /// Why an sshd did not start: the lines its log got after <paramref name="logStart"/> (sshd appends, and a kept or
    /// restarted server's log still holds earlier runs), or that it exited without a word.
    /// </summary>
    public static async Task<string> FailureAsync(SshdConfig config, long logStart, CancellationToken cancellationToken)
    {
        if (!File.Exists(config.LogPath)) return "sshd exited at once";
        await using var stream = new FileStream(config.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(logStart, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return (await reader.ReadToEndAsync(cancellationToken)).Trim() is { Length: > 0 } lines ? lines : "sshd exited at once";
    }

    /// <summary>Stops the sshd and every session under it.</summary>
    public static async Task StopAsync(Process sshd)
    {
        try
        {
            if (!sshd.HasExited)
            {
                sshd.Kill(entireProcessTree: true);
                await sshd.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            sshd.Dispose();
        }
    }

    /// <summary>A port on <paramref name="address"/> that nothing listens on (for a moment).</summary>
    public static int FreePort(IPAddress address)
    {
        using var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    /// <summary>Whether <paramref name="port"/> on <paramref name="address"/> can be listened on now (a server coming back to its old port).</summary>
    public static bool PortIsFree(IPAddress address, int port)
    {
        if (port is <= 0 or > IPEndPoint.MaxPort) return false;
        using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<bool> WaitUntilAcceptingAsync(SshdConfig config, Process sshd, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (sshd.HasExited) return false;
            try
            {
                using var probe = new TcpClient();
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(TimeSpan.FromMilliseconds(500));
                await probe.ConnectAsync(config.Address, config.Port, attempt.Token);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(20, cancellationToken);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
        }
        throw new InvalidOperationException($"sshd {config.Comment} at {config.Address}:{config.Port} did not accept connections within 15 s.");
    }
}
