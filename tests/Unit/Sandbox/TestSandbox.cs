using System.Net;
using System.Net.Sockets;
using Ladybug.Sandbox;

namespace Ladybug.Tests.Unit.Sandbox;

/// <summary>
/// Sandboxes for tests: a state directory of their own (so leak checks are exact), thrown away when they stop unless
/// a test keeps it (KeepState), and sub-second delays.
/// </summary>
internal static class TestSandbox
{
    public static async Task<SandboxCloud> StartAsync(Action<SandboxOptions>? configure = null)
    {
        var options = new SandboxOptions
        {
            StateDir = Path.Combine(Path.GetTempPath(), $"ladybug-test-sandbox-{Guid.NewGuid():N}"),
            KeepState = false,
            VmCreateDelay = TimeSpan.FromMilliseconds(50),
            CreationWaitLimit = TimeSpan.FromSeconds(30),
        };
        configure?.Invoke(options);
        return await SandboxCloud.StartAsync(options);
    }

    /// <summary>Every process whose command line mentions <paramref name="directory"/> (each VM's sshd names its own config there).</summary>
    public static IReadOnlyList<int> ProcessesUsing(string directory) => [.. CommandLinesUsing(directory).Keys];

    /// <summary>
    /// The VMs' listening sshds under <paramref name="directory"/>, one per running VM — not the per-connection children
    /// sshd re-executes with -R (a readiness probe's child may still be around for a moment).
    /// </summary>
    public static IReadOnlyList<int> SshdsUsing(string directory) =>
        [.. CommandLinesUsing(directory).Where(p => NameOf(p.Key) == "sshd" && !p.Value.Contains("-R")).Select(p => p.Key)];

    private static Dictionary<int, string[]> CommandLinesUsing(string directory)
    {
        var found = new Dictionary<int, string[]>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid)) continue;
            try
            {
                var arguments = File.ReadAllText(Path.Combine(entry, "cmdline")).Split('\0');
                if (arguments.Any(a => a.Contains(directory, StringComparison.Ordinal)))
                    found[pid] = arguments;
            }
            catch (IOException)
            {
                // Exited while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return found;
    }

    private static string NameOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>A loopback port nothing listens on (for a moment).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Polls until <paramref name="condition"/> holds; false if it never did within <paramref name="timeout"/>.</summary>
    public static Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan timeout) =>
        EventuallyAsync(() => Task.FromResult(condition()), timeout);

    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(25);
        }
        return true;
    }
}
