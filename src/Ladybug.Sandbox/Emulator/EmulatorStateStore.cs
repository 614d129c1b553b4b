using System.Globalization;
using System.Text.Json;
using Ladybug.Sandbox.Catalog;
using Ladybug.Sandbox.Simulator;
using Microsoft.Extensions.Logging;

namespace Ladybug.Sandbox.Emulator;

/// <summary>
/// emulator.json in a kept state directory: the emulator's namespaces, vNets, Infras and nodes with each VM's
/// identity (address, SSH port, user), so the cloud is still there when its host starts again. Written atomically
/// (temporary file, then rename) shortly after every change, and once more when the sandbox stops.
/// </summary>
internal sealed class EmulatorStateStore : IAsyncDisposable
{
    public const string FileName = "emulator.json";
    private const int FormatVersion = 1;
    /// <summary>Changes come in bursts (a create call adds every node, then each settles): one write per burst.</summary>
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(100);

    private static readonly JsonSerializerOptions ReadOptions = new(SimulatorFileStore.Json)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private Task _saving = Task.CompletedTask;
    private bool _scheduled;

    private EmulatorStateStore(string path, EmulatorState state, IReadOnlyDictionary<NodeRecord, NodeIdentity> savedMachines, ILogger logger)
    {
        FilePath = path;
        State = state;
        SavedMachines = savedMachines;
        _logger = logger;
        State.Changed += MarkChanged;
    }

    public string FilePath { get; }
    public EmulatorState State { get; }
    /// <summary>The VMs the loaded nodes had when they were saved, for the provisioner to bring back.</summary>
    public IReadOnlyDictionary<NodeRecord, NodeIdentity> SavedMachines { get; }

    /// <summary>
    /// Loads what a previous run saved in <paramref name="stateDirectory"/>; nothing saved means an empty cloud. A file
    /// that cannot be read is logged, moved aside as emulator.json.corrupt-&lt;time&gt; and the cloud starts empty.
    /// </summary>
    public static EmulatorStateStore Open(string stateDirectory, CloudCatalog catalog, ILogger logger)
    {
        var path = Path.Combine(stateDirectory, FileName);
        if (!File.Exists(path)) return new EmulatorStateStore(path, new EmulatorState(), new Dictionary<NodeRecord, NodeIdentity>(), logger);
        try
        {
            var snapshot = JsonSerializer.Deserialize<Snapshot>(File.ReadAllText(path), ReadOptions)
                ?? throw new InvalidDataException("the file holds no state");
            var (state, machines) = Restore(snapshot, catalog);
            logger.LogInformation("Sandbox cloud state loaded from {Path}: {Infras} Infras, {Nodes} nodes",
                path, state.Infras.Count, state.Infras.Values.Sum(i => i.Nodes.Count));
            return new EmulatorStateStore(path, state, machines, logger);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            var aside = $"{path}.corrupt-{DateTime.UtcNow.ToString("yyyyMMddTHHmmssfffZ", CultureInfo.InvariantCulture)}";
            logger.LogError(ex, "The sandbox cloud state {Path} cannot be read ({Reason}); it is moved to {Aside} and the cloud starts empty", path, ex.Message, aside);
            MoveAside(path, aside, logger);
            return new EmulatorStateStore(path, new EmulatorState(), new Dictionary<NodeRecord, NodeIdentity>(), logger);
        }
    }

    /// <summary>Writes the state now, after any write already under way.</summary>
    public async Task FlushAsync()
    {
        Task saving;
        lock (_lock) saving = _saving;
        await saving;
        Save();
    }

    public async ValueTask DisposeAsync()
    {
        State.Changed -= MarkChanged;
        await FlushAsync();
    }

    private void MarkChanged()
    {
        lock (_lock)
        {
            if (_scheduled) return;
            _scheduled = true;
            _saving = _saving.ContinueWith(_ => SaveSoonAsync(), TaskScheduler.Default).Unwrap();
        }
    }

    private async Task SaveSoonAsync()
    {
        await Task.Delay(Debounce);
        lock (_lock) _scheduled = false;
        Save();
    }

    private void Save()
    {
        try
        {
            Snapshot snapshot;
            lock (State.Sync) snapshot = Capture(State);
            SimulatorFileStore.Write(FilePath, snapshot);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            _logger.LogError(ex, "The sandbox cloud state could not be saved to {Path}", FilePath);
        }
    }

    private static void MoveAside(string path, string aside, ILogger logger)
    {
        try
        {
            File.Move(path, aside);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogError("{Path} could not be moved aside either ({Reason}); it will be overwritten", path, ex.Message);
        }
    }

    private static Snapshot Capture(EmulatorState state) => new(
        FormatVersion,
        [.. state.Namespaces.Values],
        [.. state.VNets],
        [.. state.Infras.Values.Select(infra => new InfraSnapshot(
            infra.Namespace, infra.Id, infra.Uid, infra.Description, new Dictionary<string, string>(infra.UserLabel), infra.CreatedTime,
            infra.InstallMonAgent, infra.NewNodeList is null ? null : [.. infra.NewNodeList],
            [.. infra.Nodes.Select(node => new NodeSnapshot(
                node.Id, node.Uid, node.NodeGroupId, node.Description, new Dictionary<string, string>(node.UserLabel),
                node.ConnectionName, node.Spec.Id, node.Image.Id, node.RootDiskType, node.RootDiskSize, node.PrivateIp, node.CreatedTime,
                node.Status, node.TargetStatus, node.TargetAction, node.SystemMessage, node.Machine?.Identity, node.SshKeyId, node.CspSshKeyId))],
            infra.SystemMessage is null ? null : [.. infra.SystemMessage], infra.StoredStatus, infra.StoredTargetAction))],
        [.. state.SecurityGroups.Templates.Select(t => new SecurityGroupTemplateSnapshot(t.Key.Ns, t.Value))],
        [.. state.SecurityGroups.Groups.Values]);

    private static (EmulatorState State, Dictionary<NodeRecord, NodeIdentity> Machines) Restore(Snapshot snapshot, CloudCatalog catalog)
    {
        if (snapshot.Version != FormatVersion)
            throw new InvalidDataException($"it has format version {snapshot.Version}; this sandbox reads version {FormatVersion}");
        var state = new EmulatorState();
        foreach (var ns in snapshot.Namespaces) state.Namespaces[Named(ns.Id, "namespace")] = ns;
        foreach (var vnet in snapshot.VNets) state.RestoreVNet(vnet);
        foreach (var saved in snapshot.SecurityGroupTemplates ?? []) state.SecurityGroups.Templates[(saved.Namespace, saved.Template.Id)] = saved.Template;
        foreach (var group in snapshot.SecurityGroups ?? []) state.SecurityGroups.Groups[(group.Namespace, group.Id)] = group;
        var machines = new Dictionary<NodeRecord, NodeIdentity>();
        foreach (var saved in snapshot.Infras)
        {
            if (!state.Namespaces.ContainsKey(saved.Namespace))
                throw new InvalidDataException($"Infra {saved.Id} is in namespace {saved.Namespace}, which the file does not list");
            var infra = new InfraRecord
            {
                Namespace = saved.Namespace,
                Id = Named(saved.Id, "infra"),
                Uid = saved.Uid,
                Description = saved.Description,
                UserLabel = saved.Label,
                CreatedTime = saved.CreatedTime,
                InstallMonAgent = saved.InstallMonAgent,
                NewNodeList = saved.NewNodeList,
                SystemMessage = saved.SystemMessage,
                StoredStatus = saved.StoredStatus,
                StoredTargetAction = saved.StoredTargetAction,
            };
            foreach (var node in saved.Nodes)
            {
                var restored = Restore(node, catalog, infra.Namespace, infra.Id);
                infra.Nodes.Add(restored);
                if (node.Machine is null) continue;
                // The VM's directory is found from these: they must be the node's own.
                if ((node.Machine.Namespace, node.Machine.InfraId, node.Machine.Uid) != (infra.Namespace, infra.Id, restored.Uid))
                    throw new InvalidDataException($"node {node.Id} of Infra {infra.Id} has the VM of {node.Machine.Namespace}/{node.Machine.InfraId}/{node.Machine.Uid}");
                machines[restored] = node.Machine;
            }
            if (!state.Infras.TryAdd((infra.Namespace, infra.Id), infra))
                throw new InvalidDataException($"Infra {saved.Id} of namespace {saved.Namespace} appears twice");
        }
        return (state, machines);
    }

    private static NodeRecord Restore(NodeSnapshot node, CloudCatalog catalog, string ns, string infraId)
    {
        var spec = catalog.FindSpec(node.SpecId);
        // The connection may differ from the spec's: a request's connectionName overrides it.
        var region = catalog.FindConnection(node.ConnectionName);
        if (spec is null || region is null)
            throw new InvalidDataException($"node {node.Id} of Infra {infraId} has spec {node.SpecId} on {node.ConnectionName}, which the sandbox catalog does not offer");
        var image = catalog.FindImage(spec.Region, node.ImageId)
            ?? throw new InvalidDataException($"node {node.Id} of Infra {infraId} has image {node.ImageId}, which the sandbox catalog does not offer in {node.ConnectionName}");
        if (!Uids.IsWellFormed(node.Uid))
            throw new InvalidDataException($"node {node.Id} of Infra {infraId} has the malformed uid '{node.Uid}'");
        return new NodeRecord
        {
            Id = node.Id,
            Uid = node.Uid,
            NodeGroupId = node.NodeGroupId,
            Description = node.Description,
            UserLabel = node.Label,
            Region = region,
            Spec = spec,
            Image = image,
            RootDiskType = node.RootDiskType,
            RootDiskSize = node.RootDiskSize,
            PrivateIp = node.PrivateIp,
            CreatedTime = node.CreatedTime,
            Status = node.Status,
            TargetStatus = node.TargetStatus,
            TargetAction = node.TargetAction,
            SystemMessage = node.SystemMessage,
            // Nodes saved before keys were per Infra were made with their namespace's shared key, and keep it.
            SshKeyId = node.SshKeyId ?? $"{ns}-shared-{node.ConnectionName}",
            CspSshKeyId = node.CspSshKeyId ?? "",
        };
    }

    /// <summary>Ids name directories: a file edited by hand must not lead outside the state directory.</summary>
    private static string Named(string id, string what) =>
        TumblebugEmulatorApi.NamingProblem(id, what) is { } problem ? throw new InvalidDataException(problem) : id;

    private sealed record Snapshot(int Version, List<NamespaceRecord> Namespaces, List<VNetRecord> VNets, List<InfraSnapshot> Infras,
        List<SecurityGroupTemplateSnapshot>? SecurityGroupTemplates = null, List<SecurityGroupRecord>? SecurityGroups = null);

    private sealed record SecurityGroupTemplateSnapshot(string Namespace, SecurityGroupTemplateInfo Template);

    private sealed record InfraSnapshot(
        string Namespace, string Id, string Uid, string Description, Dictionary<string, string> Label, string CreatedTime,
        string InstallMonAgent, List<string>? NewNodeList, List<NodeSnapshot> Nodes,
        List<string>? SystemMessage = null, string? StoredStatus = null, string? StoredTargetAction = null);

    private sealed record NodeSnapshot(
        string Id, string Uid, string NodeGroupId, string Description, Dictionary<string, string> Label,
        string ConnectionName, string SpecId, string ImageId, string RootDiskType, int RootDiskSize, string PrivateIp, string CreatedTime,
        string Status, string TargetStatus, string TargetAction, string SystemMessage, NodeIdentity? Machine,
        string? SshKeyId = null, string? CspSshKeyId = null);
}
