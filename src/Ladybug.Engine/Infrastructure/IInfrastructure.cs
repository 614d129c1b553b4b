namespace Ladybug.Engine.Infrastructure;

/// <summary>
/// Getting machines (Cluster API's "infrastructure" half). The engine knows only this contract;
/// the Tumblebug v0.13 adapter implements it, and an MCI-era adapter could be added beside it.
/// Every call is safe to repeat: creating calls look up what exists before acting.
/// </summary>
public interface IInfrastructure
{
    /// <summary>Whether the broker answers (its readiness endpoint), with a readable reason when not.</summary>
    Task<InfrastructureHealth> CheckAsync(CancellationToken cancellationToken);

    /// <summary>Cloud connections with their CSP, region, zone and coordinates.</summary>
    Task<IReadOnlyList<CloudConnection>> ListConnectionsAsync(CancellationToken cancellationToken);

    /// <summary>VM specs offered on one connection, with vCPU and memory.</summary>
    Task<IReadOnlyList<MachineSpec>> ListSpecsAsync(string connection, CancellationToken cancellationToken);

    /// <summary>
    /// Creates one group of machines per pool under <paramref name="groupId"/> (a Tumblebug Infra), every machine
    /// behind <paramref name="firewall"/>, and waits until every machine is Running. If the group already exists,
    /// continues from what exists. Returns every machine of the group, as <see cref="GetMachinesAsync"/> would.
    /// </summary>
    Task<IReadOnlyList<Machine>> CreateMachinesAsync(string ns, string groupId, IReadOnlyList<MachinePoolRequest> pools,
        ClusterFirewall firewall, IProgress<string>? progress, CancellationToken cancellationToken) =>
        CreateMachinesAsync(ns, groupId, pools, firewall, CreateCallRecord.Untracked, progress, cancellationToken);

    /// <summary>
    /// <see cref="CreateMachinesAsync(string, string, IReadOnlyList{MachinePoolRequest}, ClusterFirewall, IProgress{string}, CancellationToken)"/>,
    /// keeping the id of the creating call in <paramref name="createCall"/>: when the group exists already, the call
    /// recorded there is asked about first.
    /// </summary>
    Task<IReadOnlyList<Machine>> CreateMachinesAsync(string ns, string groupId, IReadOnlyList<MachinePoolRequest> pools,
        ClusterFirewall firewall, CreateCallRecord createCall, IProgress<string>? progress, CancellationToken cancellationToken);

    /// <summary>Adds pools to an existing group, behind <paramref name="firewall"/>, and waits until the new machines are Running.</summary>
    Task<IReadOnlyList<Machine>> AddMachinesAsync(string ns, string groupId, IReadOnlyList<MachinePoolRequest> pools,
        ClusterFirewall firewall, IProgress<string>? progress, CancellationToken cancellationToken);

    /// <summary>Every machine of the group with its access info (IPs, SSH port, user, private key); empty when the group does not exist.</summary>
    Task<IReadOnlyList<Machine>> GetMachinesAsync(string ns, string groupId, CancellationToken cancellationToken);

    /// <summary>Deletes one machine. A machine that is already gone is not an error.</summary>
    Task DeleteMachineAsync(string ns, string groupId, string machineId, CancellationToken cancellationToken);

    /// <summary>Terminates and deletes every machine of the group and any per-cluster resources. A group already gone is not an error.</summary>
    Task DeleteAllAsync(string ns, string groupId, CancellationToken cancellationToken);
}

/// <summary>
/// Where the caller keeps the broker's id of the call that creates a group. The id is recorded before the call goes
/// out, so that a run resumed after the engine restarted asks the broker what became of that call instead of guessing
/// from the group's state.
/// </summary>
public sealed class CreateCallRecord(string? lastCallId, Func<string, CancellationToken, Task> record)
{
    /// <summary>Nothing kept: a run that finds the group asks nothing about earlier calls.</summary>
    public static CreateCallRecord Untracked => new(null, (_, _) => Task.CompletedTask);

    /// <summary>The id recorded last, by this run or one before it.</summary>
    public string? LastCallId { get; private set; } = lastCallId;

    public async Task RecordAsync(string callId, CancellationToken cancellationToken)
    {
        await record(callId, cancellationToken);
        LastCallId = callId;
    }
}

public sealed record InfrastructureHealth(bool Ready, string Endpoint, bool IsSandbox, string? Message);

/// <summary>A Tumblebug connection config: one CSP credential in one region (and zone).</summary>
public sealed record CloudConnection(
    string Name,
    string Csp,
    string Region,
    string Zone,
    string Location,
    double? Latitude,
    double? Longitude);

/// <summary>A VM spec. <paramref name="Id"/> is the broker's spec id (Tumblebug: "aws+ap-northeast-1+t3.medium"), <paramref name="Name"/> the CSP's name ("t3.medium").</summary>
public sealed record MachineSpec(
    string Id,
    string Name,
    string Connection,
    int VCpu,
    double MemoryGiB,
    double? CostPerHour)
{
    /// <summary>A pool may name its spec by id or by the CSP's name, in any case.</summary>
    public bool Matches(string spec) =>
        Id.Equals(spec.Trim(), StringComparison.OrdinalIgnoreCase) || Name.Equals(spec.Trim(), StringComparison.OrdinalIgnoreCase);
}

/// <summary>What one pool asks of the cloud. <paramref name="UbuntuRelease"/> comes from the version catalog (e.g. "22.04").</summary>
public sealed record MachinePoolRequest(
    string PoolName,
    string Connection,
    string Spec,
    int Count,
    string RootDiskType,
    int? RootDiskSizeGb,
    string UbuntuRelease);

/// <summary>A machine as the cloud reports it. <see cref="PrivateKey"/> is plaintext: seal it before storing.</summary>
public sealed record Machine(
    string Id,
    string PoolName,
    string Connection,
    string Csp,
    string Region,
    string Zone,
    double? Latitude,
    double? Longitude,
    string Status,
    string? PublicIp,
    string? PrivateIp,
    int SshPort,
    string SshUser,
    string? PrivateKey,
    string Spec);

/// <summary>The cloud said no, in words a person can read (never raw JSON).</summary>
public sealed class InfrastructureException(string message, bool notFound = false, Exception? inner = null) : Exception(message, inner)
{
    public bool NotFound { get; } = notFound;
}
