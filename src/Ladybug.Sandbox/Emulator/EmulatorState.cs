using Ladybug.Sandbox.Catalog;
using Ladybug.Sandbox.Machines;

namespace Ladybug.Sandbox.Emulator;

/// <summary>Tumblebug's status words (src/core/model/infra.go).</summary>
internal static class NodeStatus
{
    public const string Creating = "Creating";
    public const string Running = "Running";
    public const string Failed = "Failed";
    public const string Terminated = "Terminated";
    public const string Terminating = "Terminating";
    public const string Undefined = "Undefined";
    public const string None = "None";
    public const string Empty = "Empty";

    /// <summary>Tumblebug's order of precedence when counting the dominant status (ties go to the earlier one).</summary>
    public static readonly string[] Precedence =
        ["Failed", "Suspended", "Running", "Terminated", "Creating", "Suspending", "Resuming", "Rebooting", "Terminating", "Registering", "Reconciling", "Undefined"];
}

/// <summary>
/// Everything the emulator knows. Guarded by <see cref="Sync"/>; whoever changes it calls <see cref="NotifyChanged"/>
/// so a kept state directory gets a fresh emulator.json (<see cref="EmulatorStateStore"/>).
/// </summary>
internal sealed class EmulatorState
{
    public const string DefaultNamespace = "default";
    public const string SystemNamespace = "system";

    private readonly Dictionary<(string Ns, string Connection), (int Index, int NextHost)> _vnets = [];

    public event Action? Changed;

    public void NotifyChanged() => Changed?.Invoke();

    public EmulatorState()
    {
        Namespaces[DefaultNamespace] = new NamespaceRecord(DefaultNamespace, Uids.Next(), "Default namespace");
        Namespaces[SystemNamespace] = new NamespaceRecord(SystemNamespace, Uids.Next(), "System namespace for common resources");
    }

    public Lock Sync { get; } = new();
    public Dictionary<string, NamespaceRecord> Namespaces { get; } = new(StringComparer.Ordinal);
    public Dictionary<(string Ns, string Id), InfraRecord> Infras { get; } = [];
    /// <summary>SecurityGroup templates and the node groups' security groups (SecurityGroups.cs).</summary>
    public SecurityGroupBook SecurityGroups { get; } = new();

    /// <summary>A private address in the shared vNet Tumblebug makes per namespace and connection ("{ns}-shared-{conn}").</summary>
    public string NextPrivateIp(string ns, string connection)
    {
        if (!_vnets.TryGetValue((ns, connection), out var vnet))
            vnet = (_vnets.Count % 250 + 1, 4);
        _vnets[(ns, connection)] = (vnet.Index, vnet.NextHost + 1);
        return $"10.{vnet.Index}.{vnet.NextHost / 256 % 256}.{vnet.NextHost % 256}";
    }

    /// <summary>The shared vNets handed out so far, with the next free host of each.</summary>
    public IEnumerable<VNetRecord> VNets => _vnets.Select(v => new VNetRecord(v.Key.Ns, v.Key.Connection, v.Value.Index, v.Value.NextHost));

    public void RestoreVNet(VNetRecord vnet) => _vnets[(vnet.Namespace, vnet.Connection)] = (vnet.Index, vnet.NextHost);
}

internal sealed record VNetRecord(string Namespace, string Connection, int Index, int NextHost);

internal sealed record NamespaceRecord(string Id, string Uid, string Description);

internal sealed class InfraRecord
{
    public required string Namespace { get; init; }
    public required string Id { get; init; }
    public required string Uid { get; init; }
    public required string Description { get; init; }
    public required IReadOnlyDictionary<string, string> UserLabel { get; init; }
    public required string CreatedTime { get; init; }
    public required string InstallMonAgent { get; init; }
    public List<NodeRecord> Nodes { get; } = [];
    public List<string>? NewNodeList { get; set; }
    public bool Deleted { get; set; }

    /// <summary>Infra-level messages (model.InfraInfo.SystemMessage); null until Tumblebug appends one.</summary>
    public List<string>? SystemMessage { get; set; }

    /// <summary>
    /// What the stored Infra object says when it has no nodes: GetInfraStatus keeps a Preparing/Creating/Failed status
    /// and the stored targetAction as they are (src/core/infra/manageInfo.go:1231-1245 @v0.13.0). Null: "Empty"/"None".
    /// </summary>
    public string? StoredStatus { get; set; }
    public string? StoredTargetAction { get; set; }
    /// <summary>A DELETE ?option=terminate put the Infra under Terminate (<see cref="NodeTermination"/>).</summary>
    public bool Terminating { get; set; }
}

internal sealed class NodeRecord
{
    public required string Id { get; init; }
    public required string Uid { get; init; }
    public required string NodeGroupId { get; init; }
    public required string Description { get; init; }
    public required IReadOnlyDictionary<string, string> UserLabel { get; init; }
    public required CatalogRegion Region { get; init; }
    public required CatalogSpec Spec { get; init; }
    public required CatalogImage Image { get; init; }
    public required string RootDiskType { get; init; }
    public required int RootDiskSize { get; init; }
    public required string PrivateIp { get; init; }
    public required string CreatedTime { get; init; }
    /// <summary>The Tumblebug key the node's VM is created with (<see cref="SshKeys.IdFor"/>).</summary>
    public required string SshKeyId { get; init; }
    /// <summary>The key's name at the CSP, known once the VM exists (VM KeyPairIId.SystemId, cb-tumblebug src/core/infra/provisioning.go:4874 @v0.13.0).</summary>
    public string CspSshKeyId { get; set; } = "";

    public string Status { get; set; } = NodeStatus.Creating;
    public string TargetStatus { get; set; } = NodeStatus.Running;
    public string TargetAction { get; set; } = "Create";
    public string SystemMessage { get; set; } = "";
    public VirtualMachine? Machine { get; set; }
    /// <summary>The last Infra read reported this Running node Undefined (<see cref="UndefinedStatus"/>).</summary>
    public bool ReportsUndefined { get; set; }
    /// <summary>The status Tumblebug reports: <see cref="Status"/>, unless the last read found it Undefined.</summary>
    public string ReportedStatus => ReportsUndefined && Status == NodeStatus.Running ? NodeStatus.Undefined : Status;

    /// <summary>Cancelled when the node is deleted; stops its creation.</summary>
    public CancellationTokenSource Lifecycle { get; } = new();
    /// <summary>The creation task (set when launched).</summary>
    public Task Creation { get; set; } = Task.CompletedTask;
    /// <summary>Completes once the node reached a final state (Running, Failed) or was deleted.</summary>
    public TaskCompletionSource Settled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string ConnectionName => Region.ConnectionName;
    public string VNetId(string ns) => $"{ns}-shared-{ConnectionName}";
}

/// <summary>
/// Tumblebug v0.13 gives each Infra its own key per connection, "{infraId}-{conn}" with "-{zone}" when the node group
/// names a zone, "for credential isolation" (cb-tumblebug src/core/infra/provisioning.go:4144-4151,
/// src/core/resource/common.go:3188-3196 @v0.13.0); every node group of that Infra and connection uses it.
/// </summary>
internal static class SshKeys
{
    public static string IdFor(string infraId, string connection, string? zone) =>
        string.IsNullOrEmpty(zone) ? $"{infraId}-{connection}" : $"{infraId}-{connection}-{zone}";
}

/// <summary>Tumblebug-style ids: 20 characters of base32hex, like xid.</summary>
internal static class Uids
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuv";

    public static string Next() => string.Create(20, 0, (span, _) =>
    {
        for (var i = 0; i < span.Length; i++) span[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
    });

    public static bool IsWellFormed(string uid) => uid.Length == 20 && uid.All(Alphabet.Contains);
}
