using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Ladybug.Sandbox.Simulator;
using Microsoft.Extensions.Logging;

namespace Ladybug.Sandbox.Machines;

/// <summary>
/// Creates and destroys sandbox VMs. Each is a real <c>/usr/sbin/sshd -D -f &lt;own config&gt;</c> on its own
/// 127.0.x.y address and port with its own host key, its Infra's key for its connection as the only authorized key, and the node
/// simulator as ForceCommand. Every sshd is stopped on delete, on dispose and at process exit; sshds a crashed
/// run left in the state directory are stopped at start. When the state is kept (<see cref="SandboxOptions.KeepState"/>)
/// the directory outlives the sandbox and the next run takes its VMs back (<see cref="RestoreAsync"/>).
/// </summary>
public sealed class SandboxMachines : IAsyncDisposable
{
    private readonly SandboxOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, VirtualMachine> _machines = new(StringComparer.Ordinal);
    private readonly SandboxKeys _keys;
    /// <summary>
    /// Shared by every sandbox in this process: two sandboxes never hand out the same 127.0.x.y, so each VM's fixed
    /// ports (the Kubernetes API's 6443) are its own.
    /// </summary>
    private static readonly LoopbackAddresses _addresses = new();
    private readonly SimulatorHost? _simulator;
    private int _disposed;

    public SandboxMachines(SandboxOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        StateDirectory = Path.GetFullPath(string.IsNullOrWhiteSpace(options.StateDir)
            ? Path.Combine(Path.GetTempPath(), $"ladybug-sandbox-{Environment.ProcessId}-{Guid.NewGuid():N}")
            : options.StateDir);
        KeepsState = options.KeepsState;
        LeftoverSshds.Stop(StateDirectory, logger);
        if (!KeepsState) TryDelete(StateDirectory);
        else SandboxFilePermissions.TightenSecrets(StateDirectory, logger);
        Directory.CreateDirectory(StateDirectory);
        _keys = new SandboxKeys(StateDirectory, options.SshKeygenPath, logger);
        Problem = SandboxPrerequisites.Problem(options);
        _simulator = Problem is null ? new SimulatorHost(StateDirectory, SettingsPath, logger) : null;
        AppDomain.CurrentDomain.ProcessExit += StopAllOnExit;
    }

    public string StateDirectory { get; }
    /// <summary>Whether the state directory outlives this run (and what an earlier run left in it is taken back).</summary>
    public bool KeepsState { get; }
    /// <summary>Null when VMs can run; otherwise what to install.</summary>
    public string? Problem { get; }
    public string SettingsPath => Path.Combine(StateDirectory, "simulator.json");
    public IReadOnlyCollection<VirtualMachine> Machines => _machines.Values.ToList();

    public void WriteSettings(SimulatorSettings settings) => SimulatorFileStore.Write(SettingsPath, settings);

    public string ClusterDirectory(string ns, string infraId) => Path.Combine(InfraDirectory(ns, infraId), "cluster");

    /// <summary>The key pair <paramref name="keyId"/> of namespace <paramref name="ns"/> (<see cref="SandboxKeys"/>).</summary>
    public Task<SshKeyPair> GetKeyAsync(string ns, string keyId, CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        return _keys.GetAsync(ns, keyId, cancellationToken);
    }

    /// <summary>
    /// Lays out a VM: address and port, identity, virtual filesystem, host key, authorized key and sshd config.
    /// <paramref name="identity"/> gives who it is; where it answers is filled in here.
    /// </summary>
    public async Task<VirtualMachine> CreateAsync(NodeIdentity identity, string authorizedKey, CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        var directory = NodeDirectory(identity);
        Directory.CreateDirectory(directory);
        var address = _addresses.Reserve();
        var vm = new VirtualMachine(directory, Placed(identity, address, Sshd.FreePort(address)));
        WriteVirtualFiles(new SimulatedNode(directory, vm.Identity));
        await Sshd.WriteKeysAsync(SshdConfigOf(vm), authorizedKey, _options.SshKeygenPath, cancellationToken);
        await WriteMachineFilesAsync(vm, cancellationToken);
        _machines[directory] = vm;
        return vm;
    }

    /// <summary>
    /// Takes back a VM an earlier run on this state directory made, as it was: its directory (host key, authorized
    /// key, simulator state), its address and its port — unless something else took the port meanwhile, then another.
    /// Its host key stays: clients that knew the VM still know it. Its sshd is not running yet (<see cref="StartAsync"/>).
    /// </summary>
    public async Task<VirtualMachine> RestoreAsync(NodeIdentity saved, CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        var directory = NodeDirectory(saved);
        var missing = new[] { SimulatedNode.IdentityFile, SshdConfig.HostKeyFileName, SshdConfig.AuthorizedKeysFileName }.FirstOrDefault(f => !File.Exists(Path.Combine(directory, f)));
        if (missing is not null)
            throw new InvalidOperationException($"its directory {directory} has no {missing} any more");
        var address = IPAddress.TryParse(saved.PublicIp, out var savedAddress) && _addresses.TryReserve(savedAddress) ? savedAddress : _addresses.Reserve();
        var port = address.Equals(savedAddress) && Sshd.PortIsFree(address, saved.SshPort) ? saved.SshPort : Sshd.FreePort(address);
        var vm = new VirtualMachine(directory, Placed(saved, address, port));
        await WriteMachineFilesAsync(vm, cancellationToken);
        _machines[directory] = vm;
        return vm;
    }

    /// <summary>
    /// On a kept state directory, before VMs are taken back: removes the Infra and VM directories the loaded state
    /// does not name (deleted, still being created when the last run stopped, or lost with an unreadable state file).
    /// </summary>
    public void RemoveDirectoriesExcept(IEnumerable<(string Ns, string InfraId)> infras, IEnumerable<NodeIdentity> vms)
    {
        var keptInfras = infras.Select(i => InfraDirectory(i.Ns, i.InfraId)).ToHashSet(StringComparer.Ordinal);
        var keptVms = vms.Select(NodeDirectory).ToHashSet(StringComparer.Ordinal);
        var root = Path.Combine(StateDirectory, "infras");
        if (!Directory.Exists(root)) return;
        foreach (var infra in Directory.EnumerateDirectories(root).SelectMany(Directory.EnumerateDirectories).ToList())
        {
            if (!keptInfras.Contains(infra))
            {
                TryDelete(infra);
                continue;
            }
            var nodes = Path.Combine(infra, "nodes");
            if (!Directory.Exists(nodes)) continue;
            foreach (var vm in Directory.EnumerateDirectories(nodes).Where(d => !keptVms.Contains(d)).ToList())
                TryDelete(vm);
        }
    }

    /// <summary>Starts the VM's sshd and returns once it accepts connections. A port taken meanwhile is replaced.</summary>
    public async Task StartAsync(VirtualMachine vm, CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        for (var attempt = 1; ; attempt++)
        {
            var config = SshdConfigOf(vm);
            // sshd appends to its log; only this attempt's lines say why it did not start.
            var logStart = Sshd.LogLength(config);
            var sshd = await Sshd.StartAsync(_options.SshdPath, config, _logger, cancellationToken);
            if (sshd is not null)
            {
                vm.Sshd = sshd;
                if (Volatile.Read(ref _disposed) != 0) { await StopSshdAsync(vm); throw new ObjectDisposedException(nameof(SandboxMachines)); }
                return;
            }
            var reason = await Sshd.FailureAsync(config, logStart, cancellationToken);
            if (attempt >= 5 || !reason.Contains("Address already in use", StringComparison.Ordinal))
                throw new InvalidOperationException($"sshd for {vm.Identity.Id} at {vm.Address}:{vm.Port} did not start: {reason}");
            vm.Identity = vm.Identity with { SshPort = Sshd.FreePort(vm.Address) };
            await WriteMachineFilesAsync(vm, cancellationToken);
        }
    }

    /// <summary>
    /// Stops a running VM as a power-off from the cloud's console would: its sshd and every session under it end, and
    /// whatever else ran on it (the simulated kubelet and API server) stops with it. Its directory and address stay.
    /// </summary>
    public async Task StopAsync(VirtualMachine vm)
    {
        ThrowIfUnusable();
        await StopSshdAsync(vm);
        vm.StoppedAt ??= DateTimeOffset.UtcNow;
    }

    /// <summary>Boots a VM <see cref="StopAsync"/> stopped: its sshd comes back (on another port if its own was taken meanwhile).</summary>
    public async Task PowerOnAsync(VirtualMachine vm, CancellationToken cancellationToken)
    {
        if (vm.StoppedAt is null) return;
        await StartAsync(vm, cancellationToken);
        vm.Boots++;
        vm.StoppedAt = null;
    }

    /// <summary>Stops the VM's sshd (and every session under it) and removes its directory.</summary>
    public async Task DestroyAsync(VirtualMachine vm)
    {
        _machines.TryRemove(vm.Directory, out _);
        await StopSshdAsync(vm);
        _addresses.Release(vm.Address);
        TryDelete(vm.Directory);
    }

    /// <summary>Removes what is left of an Infra (its simulated cluster) once its VMs are destroyed.</summary>
    public void DeleteInfraDirectory(string ns, string infraId) => TryDelete(InfraDirectory(ns, infraId));

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        AppDomain.CurrentDomain.ProcessExit -= StopAllOnExit;
        await Task.WhenAll(_machines.Values.Select(StopSshdAsync));
        foreach (var vm in _machines.Values) _addresses.Release(vm.Address);
        _machines.Clear();
        if (_simulator is not null) await _simulator.DisposeAsync();
        if (!KeepsState) TryDelete(StateDirectory);
    }

    /// <summary>Where a VM answers and who logs in, on top of who it is.</summary>
    private NodeIdentity Placed(NodeIdentity identity, IPAddress address, int port) => identity with
    {
        PublicIp = address.ToString(),
        SshPort = port,
        User = Environment.UserName,
        ClusterDirectory = ClusterDirectory(identity.Namespace, identity.InfraId),
        SettingsPath = SettingsPath,
    };

    /// <summary>node.json for the simulator and sshd_config for sshd, from the VM's identity (rewritten when it moves).</summary>
    private async Task WriteMachineFilesAsync(VirtualMachine vm, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(vm.Identity.ClusterDirectory);
        SimulatorFileStore.Write(Path.Combine(vm.Directory, SimulatedNode.IdentityFile), vm.Identity);
        await Sshd.WriteConfigAsync(SshdConfigOf(vm), cancellationToken);
    }

    private static async Task StopSshdAsync(VirtualMachine vm)
    {
        var sshd = vm.Sshd;
        vm.Sshd = null;
        if (sshd is not null) await Sshd.StopAsync(sshd);
    }

    /// <summary>Last resort when the host process exits without disposing the sandbox (Ctrl+C, SIGTERM).</summary>
    private void StopAllOnExit(object? sender, EventArgs e)
    {
        foreach (var vm in _machines.Values)
        {
            try
            {
                vm.Sshd?.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    private static void WriteVirtualFiles(SimulatedNode node)
    {
        var identity = node.Identity;
        var (point, codename) = identity.UbuntuRelease switch
        {
            "18.04" => ("18.04.6", "bionic"),
            "20.04" => ("20.04.6", "focal"),
            "24.04" => ("24.04.1", "noble"),
            _ => ("22.04.5", "jammy"),
        };
        node.WriteFile("/etc/hostname", identity.Hostname + "\n");
        node.WriteFile("/etc/hosts", $"127.0.0.1 localhost\n{identity.PrivateIp} {identity.Hostname}\n");
        node.WriteFile("/etc/os-release", string.Join('\n',
            $"PRETTY_NAME=\"Ubuntu {point} LTS\"",
            "NAME=\"Ubuntu\"",
            $"VERSION_ID=\"{identity.UbuntuRelease}\"",
            $"VERSION=\"{point} LTS ({Catalog.CloudCatalog.Codename(identity.UbuntuRelease)})\"",
            $"VERSION_CODENAME={codename}",
            "ID=ubuntu",
            "ID_LIKE=debian",
            $"UBUNTU_CODENAME={codename}",
            ""));
    }

    private SshdConfig SshdConfigOf(VirtualMachine vm) => new(vm.Directory, vm.Address, vm.Port, vm.Identity.User,
        $"{_simulator!.Command} --node-dir {SimulatorHost.ShellQuote(vm.Directory)}",
        $"ladybug-sandbox-{vm.Identity.Id} (Infra {vm.Identity.InfraId} in {vm.Identity.Namespace})");

    /// <summary>{state}/infras/{ns}/{infra}; names that would lead elsewhere (from a tampered state file) are refused.</summary>
    private string InfraDirectory(string ns, string infraId)
    {
        var root = Path.Combine(StateDirectory, "infras");
        var directory = Path.GetFullPath(Path.Combine(root, ns, infraId));
        return Path.GetDirectoryName(Path.GetDirectoryName(directory)) == root
            ? directory
            : throw new ArgumentException($"Namespace '{ns}' and Infra '{infraId}' do not name a directory of the sandbox.");
    }

    private string NodeDirectory(NodeIdentity identity)
    {
        var nodes = Path.Combine(InfraDirectory(identity.Namespace, identity.InfraId), "nodes");
        var directory = Path.GetFullPath(Path.Combine(nodes, identity.Uid));
        return Path.GetDirectoryName(directory) == nodes ? directory : throw new ArgumentException($"Node uid '{identity.Uid}' does not name a directory of the sandbox.");
    }

    private void ThrowIfUnusable()
    {
        if (Problem is not null) throw new InvalidOperationException(Problem);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
    }

    private void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("Could not remove {Directory}: {Reason}", directory, ex.Message);
        }
    }

    /// <summary>Hands out 127.0.x.y addresses, starting at a random x so sandboxes running side by side rarely meet.</summary>
    private sealed class LoopbackAddresses
    {
        private readonly Lock _lock = new();
        private readonly HashSet<int> _used = [];
        private int _next = Random.Shared.Next(1, 250) * 256 + 1;

        public IPAddress Reserve()
        {
            lock (_lock)
            {
                for (var tries = 0; tries < 254 * 254; tries++)
                {
                    var candidate = _next;
                    _next = candidate % 256 == 254 ? (candidate / 256 % 254 + 1) * 256 + 1 : candidate + 1;
                    if (_used.Add(candidate))
                        return new IPAddress([127, 0, (byte)(candidate / 256), (byte)(candidate % 256)]);
                }
                throw new InvalidOperationException("The sandbox has used every 127.0.x.y address.");
            }
        }

        /// <summary>Takes a given 127.0.x.y (a VM brought back from a kept state directory); false when it is not free or not one of ours.</summary>
        public bool TryReserve(IPAddress address)
        {
            var bytes = address.GetAddressBytes();
            if (bytes is not [127, 0, >= 1 and <= 254, >= 1 and <= 254]) return false;
            lock (_lock) return _used.Add(bytes[2] * 256 + bytes[3]);
        }

        public void Release(IPAddress address)
        {
            var bytes = address.GetAddressBytes();
            lock (_lock) _used.Remove(bytes[2] * 256 + bytes[3]);
        }
    }
}
