using System.Text.Json;

namespace Ladybug.Sandbox.Simulator;

/// <summary>
/// node.json in a VM's directory: who this VM is. The sandbox writes it when it creates the VM; every simulator
/// run (one per SSH command) reads it.
/// </summary>
public sealed record NodeIdentity
{
    public string Id { get; init; } = "";
    public string Uid { get; init; } = "";
    public string Hostname { get; init; } = "";
    public string Namespace { get; init; } = "";
    public string InfraId { get; init; } = "";
    public string NodeGroupId { get; init; } = "";
    public string Connection { get; init; } = "";
    public string Csp { get; init; } = "";
    public string Region { get; init; } = "";
    public string Zone { get; init; } = "";
    public string PublicIp { get; init; } = "";
    public string PrivateIp { get; init; } = "";
    public int SshPort { get; init; }
    /// <summary>The login user (the OS user running the sandbox: sshd can only log in as that user).</summary>
    public string User { get; init; } = "";
    public string Spec { get; init; } = "";
    public int VCpu { get; init; }
    public double MemoryGiB { get; init; }
    /// <summary>"22.04".</summary>
    public string UbuntuRelease { get; init; } = "";
    /// <summary>Shared by every VM of the Infra: the simulated cluster's state.</summary>
    public string ClusterDirectory { get; init; } = "";
    /// <summary>simulator.json: settings that change while the sandbox runs.</summary>
    public string SettingsPath { get; init; } = "";
}

/// <summary>simulator.json in the state directory, rewritten whenever the sandbox's faults change.</summary>
public sealed record SimulatorSettings
{
    public TimeSpan StepLatency { get; init; }
    /// <summary>Per step name, overriding <see cref="StepLatency"/>.</summary>
    public Dictionary<string, TimeSpan> StepLatencies { get; init; } = [];
    public List<StepFault> FailSteps { get; init; } = [];
    public List<StepFault> DropConnections { get; init; } = [];
    public List<StepFault> RestartNetworkd { get; init; } = [];
    public double AptLockSeconds { get; init; }

    public static SimulatorSettings From(SandboxOptions options, SandboxFaults faults) => new()
    {
        StepLatency = options.StepLatency,
        StepLatencies = new Dictionary<string, TimeSpan>(options.StepLatencies, StringComparer.Ordinal),
        FailSteps = faults.FailSteps,
        DropConnections = faults.DropConnections,
        RestartNetworkd = faults.RestartNetworkd,
        AptLockSeconds = faults.AptLockSeconds,
    };

    public TimeSpan LatencyOf(string step) => StepLatencies.TryGetValue(step, out var latency) ? latency : StepLatency;
}

/// <summary>JSON files shared between the sandbox and simulator processes: atomic writes, locked read-modify-write.</summary>
public static class SimulatorFileStore
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static T? Read<T>(string path) where T : class =>
        File.Exists(path) ? JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json) : null;

    /// <summary>
    /// Writes to a temporary file and renames it, so a reader never sees half a document. Owner-only (600): documents
    /// such as kubernetes.json hold a cluster's CA key, and the sandbox and its simulator run as one user.
    /// </summary>
    public static void Write<T>(string path, T value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, file))
            JsonSerializer.Serialize(stream, value, Json);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads, changes and writes a document while holding an exclusive lock that other processes respect.</summary>
    public static T Update<T>(string path, Func<T, T> change) where T : class, new()
    {
        using var held = Lock(path);
        var updated = change(Read<T>(path) ?? new T());
        Write(path, updated);
        return updated;
    }

    /// <summary>An exclusive advisory lock on "{path}.lock" (flock on Linux), retried for up to 30 s.</summary>
    public static IDisposable Lock(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                return new FileStream($"{path}.lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(5);
            }
        }
    }
}
