using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Net.Sockets;
using Ladybug.Sandbox;

namespace Ladybug.Tests.Unit.Sandbox;

/// <summary>
/// Sandboxes for tests: a state directory of their own (so leak checks are exact), thrown away when they stop unless
/// a test keeps it (KeepState), and sub-second delays (Tumblebug's rate limits stay as they are).
/// </summary>
internal static class TestSandbox
{
    public static async Task<SandboxCloud> StartAsync(Action<SandboxOptions>? configure = null, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null)
    {
        var options = new SandboxOptions
        {
            StateDir = Path.Combine(Path.GetTempPath(), $"ladybug-test-sandbox-{Guid.NewGuid():N}"),
            KeepState = false,
            VmCreateDelay = TimeSpan.FromMilliseconds(50),
            CreationWaitLimit = TimeSpan.FromSeconds(30),
            InitializationDelay = TimeSpan.Zero,
            // Tumblebug's 3 checks stay, 100 ms apart instead of 3 s: a VM that takes 400 ms to terminate still outlasts
            // them, so every first node delete fails as with the real 6 s window, and the retry succeeds soon after.
            Timing = new TumblebugTimingOptions
            {
                NodeTerminationTime = TimeSpan.FromMilliseconds(400),
                NodeDeleteCheckInterval = TimeSpan.FromMilliseconds(100),
                InfraTerminatePollInterval = TimeSpan.FromMilliseconds(50),
            },
            // Random Undefined reads would make tests flaky; UndefinedStatusReads shows them deterministically.
            Faults = new SandboxFaults { UndefinedStatusRate = 0 },
            // A stopped VM's node goes Unknown 1.5 s after, instead of kube-controller-manager's 40 s.
            NodeMonitorGracePeriod = TimeSpan.FromMilliseconds(1500),
        };
        configure?.Invoke(options);
        return await SandboxCloud.StartAsync(options, loggerFactory);
    }

    /// <summary>A client of the sandbox's admin API (/sandbox/*) with the emulator's credentials.</summary>
    public static HttpClient AdminClient(SandboxCloud cloud)
    {
        var client = new HttpClient { BaseAddress = cloud.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{cloud.User}:{cloud.Password}")));
        return client;
    }

    /// <summary>Every process whose command line mentions <paramref name="directory"/> (each VM's sshd names its own config there).</summary>
    public static IReadOnlyList<int> ProcessesUsing(string directory)
    {
        var found = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(entry, "cmdline")).Replace('\0', ' ').Contains(directory, StringComparison.Ordinal))
                    found.Add(pid);
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

    /// <summary>The VMs' sshd processes (listeners and sessions) under <paramref name="directory"/>, named now.</summary>
    public static IReadOnlyList<int> SshdsUsing(string directory) =>
        ProcessesUsing(directory).Where(pid => NameOf(pid) == "sshd").ToList();

    /// <summary>The listening sshd of each VM: sshd processes whose parent is not one of them (a session or a probe's pre-auth child is).</summary>
    public static IReadOnlyList<int> ListeningSshdsUsing(string directory)
    {
        var sshds = SshdsUsing(directory);
        return sshds.Where(pid => !sshds.Contains(ParentOf(pid))).ToList();
    }

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
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
