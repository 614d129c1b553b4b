using System.Net.Http.Json;
using Ladybug.Sandbox;

namespace Ladybug.Tests.E2E;

/// <summary>
/// The sandbox cloud's own controls, as a test sees them from outside the console: faults changed while it runs,
/// and the VMs it holds with their sshd processes.
/// </summary>
public sealed class SandboxAdmin(Uri address) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };

    public async Task<IReadOnlyList<SandboxMachineInfo>> MachinesAsync() =>
        await _http.GetFromJsonAsync<List<SandboxMachineInfo>>("sandbox/machines") ?? [];

    public async Task SetFaultsAsync(SandboxFaults faults) =>
        (await _http.PutAsJsonAsync("sandbox/faults", faults)).EnsureSuccessStatusCode();

    public Task ClearFaultsAsync() => SetFaultsAsync(new SandboxFaults());

    /// <summary>Whether an sshd the sandbox started is still a live process on this machine.</summary>
    public static bool SshdRunning(int processId) =>
        File.Exists($"/proc/{processId}/cmdline") && File.ReadAllText($"/proc/{processId}/cmdline").Contains("sshd", StringComparison.Ordinal);

    public void Dispose() => _http.Dispose();
}
