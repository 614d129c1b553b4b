using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Ladybug.Sandbox;

namespace Ladybug.Tests.E2E;

/// <summary>
/// The sandbox cloud's own controls, as a test sees them from outside the console: faults changed while it runs,
/// and the VMs it holds with their sshd processes.
/// </summary>
public sealed class SandboxAdmin(Uri address, string stateDirectory, string user, string password) : IDisposable
{
    private readonly HttpClient _http = new()
    {
        BaseAddress = address,
        Timeout = TimeSpan.FromSeconds(10),
        // The admin API asks for the emulator's own Basic credentials, like its Tumblebug paths.
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"))) },
    };

    public async Task<IReadOnlyList<SandboxMachineInfo>> MachinesAsync() =>
        await _http.GetFromJsonAsync<List<SandboxMachineInfo>>("sandbox/machines") ?? [];

    public async Task SetFaultsAsync(SandboxFaults faults) =>
        (await _http.PutAsJsonAsync("sandbox/faults", faults)).EnsureSuccessStatusCode();

    public Task ClearFaultsAsync() => SetFaultsAsync(new SandboxFaults());

    /// <summary>The VMs of one cluster (the console names its Tumblebug infra after the cluster).</summary>
    public async Task<IReadOnlyList<SandboxMachineInfo>> MachinesOfAsync(string cluster, string ns = "default") =>
        (await MachinesAsync()).Where(m => m.Namespace == ns && m.InfraId == cluster).ToList();

    /// <summary>
    /// The live sshd processes serving a cluster's VMs, found in /proc by their config path, so an sshd the sandbox
    /// lost track of still counts.
    /// </summary>
    public IReadOnlyList<int> SshdProcessesOf(string cluster, string ns = "default")
    {
        var infraDirectory = Path.Combine(stateDirectory, "infras", ns, cluster) + "/";
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string commandLine;
            try { commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' '); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            if (commandLine.Contains("sshd", StringComparison.Ordinal) && commandLine.Contains(infraDirectory, StringComparison.Ordinal))
                found.Add(pid);
        }
        return found;
    }

    /// <summary>Powers a VM off or on behind Tumblebug's back (the sandbox's admin API), as from the cloud's own console.</summary>
    public async Task PowerAsync(SandboxMachineInfo machine, bool on) =>
        (await _http.PostAsync($"sandbox/machines/{machine.InfraId}/{machine.NodeId}/{(on ? "start" : "stop")}?ns={machine.Namespace}", null)).EnsureSuccessStatusCode();

    public void Dispose() => _http.Dispose();
}
