using System.Text;
using Ladybug.Engine.Infrastructure;
using Renci.SshNet;

namespace Ladybug.Tests.Unit.Sandbox;

/// <summary>SSH.NET sessions into sandbox VMs, the way the engine will open them.</summary>
internal static class SshSessions
{
    public static SshClient Connect(Machine machine, string? privateKey = null)
    {
        var key = new PrivateKeyFile(new MemoryStream(Encoding.UTF8.GetBytes(privateKey ?? machine.PrivateKey!)));
        var client = new SshClient(machine.PublicIp!, machine.SshPort, machine.SshUser, key);
        client.ConnectionInfo.Timeout = TimeSpan.FromSeconds(15);
        client.Connect();
        return client;
    }

    /// <summary>The SHA-256 fingerprint of the host key the VM presents (what the engine pins).</summary>
    public static string HostKeyFingerprint(Machine machine)
    {
        var seen = "";
        using var client = new SshClient(machine.PublicIp!, machine.SshPort, machine.SshUser,
            new PrivateKeyFile(new MemoryStream(Encoding.UTF8.GetBytes(machine.PrivateKey!))));
        client.HostKeyReceived += (_, e) => seen = e.FingerPrintSHA256;
        client.Connect();
        return seen;
    }

    /// <summary>Runs a command, feeding <paramref name="stdin"/> (then EOF) when given.</summary>
    public static async Task<CommandResult> RunAsync(SshClient client, string command, string? stdin = null)
    {
        using var ssh = client.CreateCommand(command);
        var running = ssh.ExecuteAsync();
        if (stdin is not null)
        {
            await using var input = ssh.CreateInputStream();
            await input.WriteAsync(Encoding.UTF8.GetBytes(stdin));
        }
        await running;
        return new CommandResult(ssh.ExitStatus, ssh.Result, ssh.Error);
    }

    public static async Task<CommandResult> RunAsync(Machine machine, string command, string? stdin = null)
    {
        using var client = Connect(machine);
        return await RunAsync(client, command, stdin);
    }
}

internal sealed record CommandResult(int? ExitStatus, string Output, string Error)
{
    public string[] Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
