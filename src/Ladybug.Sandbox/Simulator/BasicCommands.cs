using System.Globalization;

namespace Ladybug.Sandbox.Simulator;

// The everyday commands of an Ubuntu VM, answered from the VM's identity and virtual filesystem.

internal sealed class HostnameCommand : INodeCommand
{
    public string Name => "hostname";

    public async Task<int> RunAsync(NodeCommandContext context)
    {
        var identity = context.Node.Identity;
        var flag = context.Arguments.FirstOrDefault();
        switch (flag)
        {
            case null or "-s" or "--short" or "-f" or "--fqdn":
                await context.Out.WriteLineAsync(identity.Hostname);
                return 0;
            case "-I" or "--all-ip-addresses" or "-i" or "--ip-address":
                await context.Out.WriteLineAsync($"{identity.PrivateIp} ");
                return 0;
            default:
                await context.Error.WriteLineAsync($"hostname: you must be root to change the host name ({flag} is not simulated)");
                return 1;
        }
    }
}

internal sealed class EchoCommand : INodeCommand
{
    public string Name => "echo";

    public async Task<int> RunAsync(NodeCommandContext context)
    {
        var newline = context.Arguments.FirstOrDefault() != "-n";
        var text = string.Join(' ', newline ? context.Arguments : context.Arguments.Skip(1));
        await context.Out.WriteAsync(newline ? text + "\n" : text);
        return 0;
    }
}

internal sealed class ExitStatusCommand(string name, int status) : INodeCommand
{
    public string Name => name;
    public Task<int> RunAsync(NodeCommandContext context) => Task.FromResult(status);
}

internal sealed class WhoamiCommand : INodeCommand
{
    public string Name => "whoami";

    public async Task<int> RunAsync(NodeCommandContext context)
    {
        await context.Out.WriteLineAsync(context.Node.Identity.User);
        return 0;
    }
}

internal sealed class UnameCommand : INodeCommand
{
    internal const string Kernel = "6.8.0-1021-generic";

    public string Name => "uname";

    public async Task<int> RunAsync(NodeCommandContext context)
    {
        var hostname = context.Node.Identity.Hostname;
        var answer = context.Arguments.FirstOrDefault() switch
        {
            null or "-s" => "Linux",
            "-n" => hostname,
            "-r" => Kernel,
            "-m" or "-p" => "x86_64",
            "-a" => $"Linux {hostname} {Kernel} #1 SMP x86_64 x86_64 x86_64 GNU/Linux",
            _ => null,
        };
        if (answer is null)
        {
            await context.Error.WriteLineAsync($"uname: invalid option -- '{context.Arguments[0].TrimStart('-')}'");
            return 1;
        }
        await context.Out.WriteLineAsync(answer);
        return 0;
    }
}

internal sealed class NprocCommand : INodeCommand
{
    public string Name => "nproc";

    public async Task<int> RunAsync(NodeCommandContext context)
    {
        await context.Out.WriteLineAsync(context.Node.Identity.VCpu.ToString(CultureInfo.InvariantCulture));
        return 0;
    }
}

/// <summary>Reads the VM's virtual filesystem, which steps fill (e.g. /etc/kubernetes/admin.conf after kubeadm init).</summary>
internal sealed class CatCommand : INodeCommand
{
    public string Name => "cat";

    public async Task<int> RunAsync(NodeCommandContext context)
    {
        var status = 0;
        foreach (var path in context.Arguments)
        {
            var text = path.StartsWith('/') ? context.Node.ReadFile(path) : null;
            if (text is null)
            {
                await context.Error.WriteLineAsync($"cat: {path}: No such file or directory");
                status = 1;
                continue;
            }
            await context.Out.WriteAsync(text);
        }
        return status;
    }
}

internal sealed class SleepCommand : INodeCommand
{
    public string Name => "sleep";

    public async Task<int> RunAsync(NodeCommandContext context)
    {
        if (context.Arguments.Count != 1 || !double.TryParse(context.Arguments[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds < 0)
        {
            await context.Error.WriteLineAsync($"sleep: invalid time interval '{string.Join(' ', context.Arguments)}'");
            return 1;
        }
        await Task.Delay(TimeSpan.FromSeconds(seconds), context.CancellationToken);
        return 0;
    }
}
