using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Ladybug.Sandbox.Machines;
using Ladybug.Sandbox.Simulator;
using Ladybug.Sandbox.Simulator.Kubernetes;
using Ladybug.Sandbox.Simulator.Network;
using Microsoft.Extensions.Logging;

namespace Ladybug.Sandbox.KubeApi;

/// <summary>
/// Serves the Kubernetes API of every simulated cluster: follows each Infra's cluster state (kubernetes.json,
/// network.json, which VMs run) and keeps one <see cref="KubeApiServer"/> per control plane whose API server is up
/// — from the kubeadm init or join that started it until its VM stops, is reset or deleted — and the cluster's
/// objects current, the nodes' health included.
/// </summary>
internal sealed class KubeApiHost : IAsyncDisposable
{
    public const int Port = 6443;
    /// <summary>How often the cluster state is read again; node health turns within this of the grace period.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly SandboxMachines _machines;
    private readonly SandboxOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly Dictionary<string, ClusterState> _clusters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (KubeApiServer Server, string Cluster, Wanted Wanted)> _servers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _unbindable = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    public KubeApiHost(SandboxMachines machines, SandboxOptions options, ILoggerFactory loggerFactory)
    {
        _machines = machines;
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<KubeApiHost>();
        _loop = Task.Run(LoopAsync);
    }

    private sealed class ClusterState(string directory)
    {
        public SimulatedCluster Cluster { get; } = new(directory);
        public ClusterApiStore Store { get; } = new();
        public Dictionary<string, DateTimeOffset> MissingSince { get; } = new(StringComparer.Ordinal);
        public string Version { get; set; } = "";
        public string CaPem { get; set; } = "";
        /// <summary>What the objects were last built from; while it holds and no node awaits its grace period, nothing is rebuilt.</summary>
        public string Built { get; set; } = "";
        public bool AwaitingGrace { get; set; }
        /// <summary>The node list last published for kubectl on the control planes (<see cref="ServedNodes"/>).</summary>
        public string PublishedNodes { get; set; } = "";
    }

    /// <summary>The cluster's documents' write times and its VMs' addresses and power, in one string.</summary>
    private static string Fingerprint(ClusterState state, IEnumerable<VirtualMachine> vms) => string.Join('|',
        new[] { KubernetesCluster.Document, NetworkDocument.Document }.Select(d => File.GetLastWriteTimeUtc(Path.Combine(state.Cluster.Directory, d + ".json")).Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Concat(vms.OrderBy(vm => vm.Identity.Id, StringComparer.Ordinal).Select(vm => $"{vm.Identity.Id}@{vm.Identity.PublicIp}:{vm.StoppedAt?.Ticks}")));

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(PollInterval);
        do
        {
            try
            {
                await ReconcileAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !_stopping.IsCancellationRequested)
            {
                _logger.LogWarning(ex, "The sandbox's Kubernetes API could not follow the simulated clusters");
            }
        }
        while (await WaitAsync(timer));
    }

    private async Task<bool> WaitAsync(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(_stopping.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var byCluster = _machines.Machines.GroupBy(vm => vm.Identity.ClusterDirectory, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var wanted = new Dictionary<string, Wanted>(StringComparer.Ordinal);

        foreach (var (directory, vms) in byCluster)
        {
            if (!Directory.Exists(directory)) continue;
            if (!_clusters.TryGetValue(directory, out var state))
                _clusters[directory] = state = new ClusterState(directory);
            var fingerprint = Fingerprint(state, vms);
            if (fingerprint == state.Built && !state.AwaitingGrace)
            {
                foreach (var (address, server) in _servers.Where(s => s.Value.Cluster == directory))
                    wanted[address] = server.Wanted;
                continue;
            }
            var cluster = state.Cluster.Read<KubernetesCluster>(KubernetesCluster.Document);
            state.Built = fingerprint;
            if (!cluster.IsInitialized) continue;
            if (state.CaPem != cluster.CaCertificatePem)
            {
                // Another kubeadm init (after a reset) is another cluster: its endpoints start over.
                foreach (var stale in _servers.Where(s => s.Value.Cluster == directory).Select(s => s.Key).ToList())
                    await StopServerAsync(stale);
                state.CaPem = cluster.CaCertificatePem;
            }
            state.Version = cluster.Version;
            var network = state.Cluster.Read<NetworkDocument>(NetworkDocument.Document);
            var vmsById = vms.ToDictionary(vm => vm.Identity.Id, StringComparer.Ordinal);
            var health = cluster.Nodes.Values.OrderBy(n => n.Name, StringComparer.Ordinal).Select(node => Health(state, node, vmsById.GetValueOrDefault(node.Machine), now)).ToList();
            state.AwaitingGrace = health.Any(h => h.DownSince is not null && !h.Unreachable);
            state.Store.Replace(KubeObjects.All(cluster, health, (node, condition, status) => state.Store.Since(node, condition, status, now)));
            state.PublishedNodes = ServedNodes.Publish(directory, state.Store.List(KubeObjects.Nodes, null).Items, state.PublishedNodes);

            foreach (var node in cluster.Nodes.Values.Where(n => n.Role == KubernetesStep.ControlPlane && n.Joined))
            {
                // A stopped VM keeps its address; what is sent there goes unanswered (see Admits), it is not refused.
                if (!vmsById.TryGetValue(node.Machine, out var vm)) continue;
                var listens = network.Nodes.GetValueOrDefault(vm.Identity.Id) is not { } published
                    || published.Listeners.Any(l => l.Process == NodeNetwork.ApiServer && l.Port == Port);
                if (listens) wanted[vm.Identity.PublicIp] = new Wanted(state, cluster, node, vm);
            }
        }

        foreach (var gone in _servers.Keys.Where(a => !wanted.ContainsKey(a) || _servers[a].Cluster != wanted[a].State.Cluster.Directory).ToList())
            await StopServerAsync(gone);
        // The static pod restarted with other certificates (a renewal, or the sandbox's ageing): the new process serves them.
        foreach (var restarted in _servers.Where(s => wanted.TryGetValue(s.Key, out var w) && Served(s.Value.Wanted) != Served(w)).Select(s => s.Key).ToList())
            await StopServerAsync(restarted);
        foreach (var (address, want) in wanted.Where(w => !_servers.ContainsKey(w.Key)))
            await StartServerAsync(address, want, cancellationToken);
        foreach (var directory in _clusters.Keys.Where(d => !byCluster.ContainsKey(d)).ToList())
        {
            _clusters[directory].Store.CloseWatches();
            _clusters.Remove(directory);
        }
    }

    /// <summary>
    /// Whether the node's kubelet has been silent for longer than the node monitor grace period: its VM stopped
    /// (or is gone) and the node lifecycle controller has noticed (kube-controller-manager --node-monitor-grace-period,
    /// default 40 s: kubernetes pkg/controller/nodelifecycle/config/v1alpha1/defaults.go
    /// RecommendedDefaultNodeLifecycleControllerConfiguration; <see cref="SandboxOptions.NodeMonitorGracePeriod"/>).
    /// </summary>
    private NodeHealth Health(ClusterState state, KubeNode node, VirtualMachine? vm, DateTimeOffset now)
    {
        DateTimeOffset? down;
        if (vm is null)
        {
            if (!state.MissingSince.TryGetValue(node.Name, out var missing)) state.MissingSince[node.Name] = missing = now;
            down = missing;
        }
        else
        {
            state.MissingSince.Remove(node.Name);
            down = vm.StoppedAt;
        }
        var unreachable = down is { } since && now - since >= _options.NodeMonitorGracePeriod;
        return new NodeHealth(node, vm?.Identity, down, unreachable);
    }

    private static CertificateDates Served(Wanted want) => ApiServerCertificates.ServedDates(want.Cluster, want.Node);

    /// <summary>A control plane whose API server should answer on its VM's public address.</summary>
    private sealed record Wanted(ClusterState State, KubernetesCluster Cluster, KubeNode Node, VirtualMachine Vm);

    private async Task StartServerAsync(string address, Wanted want, CancellationToken cancellationToken)
    {
        var (state, cluster, node, vm) = want;
        var endpoint = new IPEndPoint(IPAddress.Parse(address), Port);
        if (_unbindable.TryGetValue(address, out var retry) && _time.GetUtcNow() < retry) return;
        try
        {
            using var ca = X509Certificate2.CreateFromPem(cluster.CaCertificatePem);
            var caCopy = X509CertificateLoader.LoadCertificate(ca.RawData);
            var serving = ApiServerCertificates.Serving(cluster, node);
            var api = new KubeApiEndpoints(state.Store, () => state.Version, node.InternalIp.Length > 0 ? node.InternalIp : address, _time);
            var server = await KubeApiServer.StartAsync(endpoint, serving, caCopy, api, source => Admits(state, vm, source), () => vm.StoppedAt is null ? vm.Boots : null, _loggerFactory, cancellationToken);
            _servers[address] = (server, state.Cluster.Directory, want);
            _unbindable.Remove(address);
            _logger.LogInformation("Kubernetes API of {Node} ({Cluster}) answers on https://{Endpoint}", node.Name, cluster.Name, endpoint);
        }
        catch (Exception ex) when (ex is IOException or SocketException || ex.InnerException is SocketException)
        {
            // Another sandbox on this machine (another process) holds the address's 6443: say so once, then try again now and then.
            var first = _unbindable.TryAdd(address, default);
            _unbindable[address] = _time.GetUtcNow() + TimeSpan.FromSeconds(10);
            if (first)
                _logger.LogWarning("The Kubernetes API of {Node} cannot listen on {Endpoint}: {Reason}", node.Name, endpoint, ex.Message);
        }
    }

    /// <summary>
    /// A connection from the console host to the VM's public address is answered when the VM runs and its security
    /// group has an inbound rule that allows tcp/6443 from the connection's source address (the cloud's filtering, as
    /// <see cref="NetworkPaths"/> models it between VMs); a VM no cloud published has no security group to model.
    /// </summary>
    private static bool Admits(ClusterState state, VirtualMachine vm, IPAddress source)
    {
        if (vm.StoppedAt is not null) return false;
        var node = state.Cluster.Read<NetworkDocument>(NetworkDocument.Document).Nodes.GetValueOrDefault(vm.Identity.Id);
        var ip = source.IsIPv4MappedToIPv6 ? source.MapToIPv4() : source;
        return node is null || node.Inbound.Any(r => r.Allows("tcp", Port, ip.ToString()));
    }

    private async Task StopServerAsync(string address)
    {
        if (!_servers.Remove(address, out var entry)) return;
        await entry.Server.DisposeAsync();
        _logger.LogInformation("Kubernetes API on {Address}:{Port} stopped", address, Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        foreach (var state in _clusters.Values) state.Store.CloseWatches();
        foreach (var address in _servers.Keys.ToList()) await StopServerAsync(address);
        _stopping.Dispose();
    }
}
