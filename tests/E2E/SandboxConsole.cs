using System.Globalization;

namespace Ladybug.Tests.E2E;

/// <summary>
/// The real console on the embedded sandbox cloud (Tumblebug emulator + sshd VMs), one per test class, with
/// latencies short enough that a whole cluster provisions in seconds. The emulator listens on a port chosen here,
/// so tests reach its admin endpoints (<see cref="Sandbox"/>), and its VM directories live in the data directory,
/// so a console started again after a kill stops the sshd processes the dead one left behind.
/// </summary>
public class SandboxConsole : IAsyncLifetime
{
    /// <summary>How long a sandbox VM stays Creating, and the latency added before each simulated bootstrap step.</summary>
    public static readonly TimeSpan DefaultVmCreateDelay = TimeSpan.FromMilliseconds(300);
    public static readonly TimeSpan StepLatency = TimeSpan.FromMilliseconds(100);

    private ConsoleHost? _host;

    public SandboxConsole() : this(DefaultVmCreateDelay)
    {
    }

    protected SandboxConsole(TimeSpan vmCreateDelay) => Settings["Ladybug:Sandbox:VmCreateDelay"] = Format(vmCreateDelay);

    public ConsoleHost Host => _host ?? throw new InvalidOperationException("The console has not started.");
    public Uri BaseAddress => Host.BaseAddress;
    public SandboxAdmin Sandbox { get; private set; } = default!;

    /// <summary>Settings a test class may override before the console starts (e.g. a slower VM creation).</summary>
    public Dictionary<string, string> Settings { get; } = new()
    {
        ["Ladybug:Sandbox:StepLatency"] = Format(StepLatency),
        // Journeys start creating at once; Tumblebug's uninitialized stretch has its own unit tests.
        ["Ladybug:Sandbox:InitializationDelay"] = Format(TimeSpan.Zero),
        // A sandbox VM's sshd is up when the VM is Running: retry fast instead of the production 5 s.
        ["Ladybug:Ssh:RetryDelay"] = Format(TimeSpan.FromMilliseconds(200)),
        ["Ladybug:Ssh:ConnectWindow"] = Format(TimeSpan.FromSeconds(30)),
        ["Ladybug:Tumblebug:PollInterval"] = Format(TimeSpan.FromMilliseconds(100)),
        ["Ladybug:Tumblebug:MaxPollInterval"] = Format(TimeSpan.FromMilliseconds(500)),
        // Tumblebug's 3 checks before a node DELETE gives up stay, 200 ms apart instead of 3 s; a VM still takes longer
        // to terminate (1 s), so the first delete fails as with the real cloud and the engine's retry (200 ms) succeeds.
        ["Ladybug:Sandbox:Timing:NodeTerminationTime"] = Format(TimeSpan.FromSeconds(1)),
        ["Ladybug:Sandbox:Timing:NodeDeleteCheckInterval"] = Format(TimeSpan.FromMilliseconds(200)),
        ["Ladybug:Sandbox:Timing:InfraTerminatePollInterval"] = Format(TimeSpan.FromMilliseconds(200)),
        ["Ladybug:Tumblebug:DeleteRetryDelay"] = Format(TimeSpan.FromMilliseconds(200)),
        ["Ladybug:Engine:LogFlushIntervalMs"] = "20",
        // The emulator's credentials, for its Tumblebug paths (the console) and its admin paths (Sandbox).
        ["Ladybug:Sandbox:User"] = "e2e",
        ["Ladybug:Sandbox:Password"] = "e2e-sandbox-secret",
        ["Ladybug:Bootstrap:WaitReadyTimeout"] = Format(TimeSpan.FromSeconds(60)),
    };

    public async Task InitializeAsync()
    {
        var dataDir = Directory.CreateTempSubdirectory("ladybug-e2e-").FullName;
        var sandboxUrl = new Uri($"http://127.0.0.1:{ConsoleHost.FreePort()}/");
        Settings["Ladybug:Sandbox:Url"] = sandboxUrl.ToString().TrimEnd('/');
        var stateDir = Path.Combine(dataDir, "sandbox");
        Settings["Ladybug:Sandbox:StateDir"] = stateDir;
        _host = await ConsoleHost.StartAsync(Settings, dataDir);
        Sandbox = new SandboxAdmin(sandboxUrl, stateDir, Settings["Ladybug:Sandbox:User"], Settings["Ladybug:Sandbox:Password"]);
    }

    public async Task DisposeAsync()
    {
        Sandbox?.Dispose();
        if (_host is not null) await _host.DisposeAsync();
    }

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
