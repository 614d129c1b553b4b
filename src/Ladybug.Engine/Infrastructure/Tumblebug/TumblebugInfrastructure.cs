using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ladybug.Engine.Infrastructure.Tumblebug;

/// <summary>
/// <see cref="IInfrastructure"/> over CB-Tumblebug v0.13. A cluster's machines are one Infra whose node groups are
/// the cluster's pools ("cp", "w1"…), so node ids are "cp-1", "w1-2"… Queries live here; creating and waiting live
/// in the .Provisioning part.
/// </summary>
public sealed partial class TumblebugInfrastructure(
    ITumblebugApi api,
    ITumblebugEndpoint endpoint,
    IOptions<TumblebugOptions> options,
    TimeProvider time,
    ILogger<TumblebugInfrastructure> logger) : IInfrastructure
{
    /// <summary>Tumblebug keeps specs and images in this namespace.</summary>
    public const string SystemNamespace = "system";

    /// <summary>Tumblebug's default user when a node reports none.</summary>
    private const string DefaultSshUser = "cb-user";

    private TumblebugOptions Options => options.Value;

    public async Task<InfrastructureHealth> CheckAsync(CancellationToken cancellationToken)
    {
        TumblebugAddress address;
        try
        {
            address = await endpoint.ResolveAsync(cancellationToken);
        }
        catch (InfrastructureException ex)
        {
            return new InfrastructureHealth(false, Options.Url ?? "", Options.UsesSandbox, ex.Message);
        }
        try
        {
            var ready = await api.GetReadyzAsync(cancellationToken);
            // ready:true, initialized:false means init.py has not loaded credentials, specs and images yet: nothing
            // can be created (cb-tumblebug src/interface/rest/server/common/utility.go:166-191 @v0.13.0).
            var message = !ready.Ready ? $"Tumblebug is not ready: {ready.Message}"
                : !ready.Initialized ? $"Tumblebug is up but not initialized yet (its init.py has not loaded credentials, specs and images): {ready.Message}"
                : null;
            return new InfrastructureHealth(message is null, address.BaseUrl.AbsoluteUri, address.IsSandbox, message);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = TumblebugErrors.Translate(ex, "report whether it is ready", address.BaseUrl);
            return new InfrastructureHealth(false, address.BaseUrl.AbsoluteUri, address.IsSandbox, reason.Message);
        }
    }

    public async Task<IReadOnlyList<CloudConnection>> ListConnectionsAsync(CancellationToken cancellationToken)
    {
        var list = await CallAsync("list the cloud connections", api.ListConnectionsAsync, cancellationToken);
        return list.ConnectionConfig
            .Select(ToConnection)
            .OrderBy(c => c.Csp, StringComparer.Ordinal).ThenBy(c => c.Region, StringComparer.Ordinal)
            .ToList();
    }

    public async Task<IReadOnlyList<MachineSpec>> ListSpecsAsync(string connection, CancellationToken cancellationToken) =>
        (await ListSpecInfosAsync(connection, cancellationToken))
            .Select(ToSpec)
            .OrderBy(s => s.VCpu).ThenBy(s => s.MemoryGiB).ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();

    public async Task<IReadOnlyList<Machine>> GetMachinesAsync(string ns, string groupId, CancellationToken cancellationToken) =>
        await GetMachinesAsync(ns, groupId, pools: null, cancellationToken);

    /// <summary>
    /// Tumblebug refuses access info (500) while the Infra is Terminated or under Terminate (cb-tumblebug
    /// src/core/infra/manageInfo.go:700-708 @v0.13.0): its machines are going away, so there is none to use.
    /// </summary>
    private static bool IsTerminating(string status, string targetAction) =>
        targetAction.Equals("Terminate", StringComparison.OrdinalIgnoreCase) || status.StartsWith("Terminated", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a delete started since the Infra was read, which is why its access info was refused.</summary>
    private async Task<bool> TerminatingNowAsync(string ns, string groupId, CancellationToken cancellationToken)
    {
        try
        {
            var status = (await api.GetInfraStatusAsync(ns, groupId, cancellationToken)).Status;
            return IsTerminating(status.Status, status.TargetAction);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogDebug(ex, "Status read of {Group} after its access info was refused failed", groupId);
            return false;
        }
    }

    private async Task<List<SpecInfo>> ListSpecInfosAsync(string connection, CancellationToken cancellationToken)
    {
        var filter = new FilterSpecsByRangeRequest { ConnectionName = connection };
        var found = await CallAsync($"list the VM specs of connection '{connection}'",
            ct => api.FilterSpecsByRangeAsync(SystemNamespace, filter, ct), cancellationToken);
        return found.Spec.Where(s => s.ConnectionName.Equals(connection, StringComparison.OrdinalIgnoreCase)).ToList();
    }

    /// <param name="known">A full read of the Infra made a moment ago, which spares reading it again.</param>
    private async Task<IReadOnlyList<Machine>> GetMachinesAsync(string ns, string groupId, IReadOnlyCollection<string>? pools, CancellationToken cancellationToken,
        InfraInfo? known = null)
    {
        // Two reads: the status lacks each node's connection, region and spec, so it cannot stand in for the full read.
        var infra = known ?? await FindInfraAsync(ns, groupId, cancellationToken);
        if (infra is null || IsTerminating(infra.Status, infra.TargetAction)) return [];
        InfraAccessInfo access;
        try
        {
            access = await CallAsync($"read the SSH access of '{groupId}'", ct => api.GetInfraAccessInfoAsync(ns, groupId, ct), cancellationToken);
        }
        catch (InfrastructureException)
        {
            if (await TerminatingNowAsync(ns, groupId, cancellationToken)) return [];
            throw;
        }
        var accessByNode = access.NodeGroups.SelectMany(g => g.Nodes).ToDictionary(n => n.NodeId, StringComparer.Ordinal);
        return infra.Node
            .Where(n => pools is null || pools.Contains(n.NodeGroupId))
            // A VM Tumblebug is terminating stays listed until a delete confirms it gone; it is no machine to use.
            .Where(n => !IsGoingAway(n.Status))
            .Select(n => ToMachine(n, accessByNode.GetValueOrDefault(n.Id)))
            .OrderBy(m => m.PoolName, StringComparer.Ordinal).ThenBy(m => NodeIndex(m.Id))
            .ToList();
    }

    /// <summary>
    /// The Infra, or null when Tumblebug does not know it. One read: its 500 "does not exist" is not retried
    /// (<see cref="TumblebugErrors.SaysInfraIsMissingAsync"/>), and every read counts against Tumblebug's rate limit.
    /// </summary>
    private async Task<InfraInfo?> FindInfraAsync(string ns, string groupId, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync($"read Infra '{groupId}'", ct => api.GetInfraAsync(ns, groupId, ct), cancellationToken);
        }
        catch (InfrastructureException ex) when (ex.NotFound)
        {
            return null;
        }
    }

    /// <summary>Every call goes through here, so every failure reaches the engine as one readable <see cref="InfrastructureException"/>.</summary>
    private async Task<T> CallAsync<T>(string action, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken);
        }
        catch (Exception ex) when (ex is not InfrastructureException && !cancellationToken.IsCancellationRequested)
        {
            throw await TranslateAsync(ex, action, cancellationToken);
        }
    }

    private async Task<InfrastructureException> TranslateAsync(Exception exception, string action, CancellationToken cancellationToken)
    {
        Uri? where = null;
        try
        {
            where = (await endpoint.ResolveAsync(cancellationToken)).BaseUrl;
        }
        catch (InfrastructureException unusable)
        {
            return unusable;
        }
        return TumblebugErrors.Translate(exception, action, where);
    }

    private static CloudConnection ToConnection(ConnConfig c) => new(
        c.ConfigName,
        c.ProviderName,
        FirstNonEmpty(c.RegionZoneInfo.AssignedRegion, c.RegionDetail.RegionId),
        c.RegionZoneInfo.AssignedZone,
        c.RegionDetail.Location?.Display ?? "",
        c.RegionDetail.Location?.Latitude,
        c.RegionDetail.Location?.Longitude);

    private static MachineSpec ToSpec(SpecInfo s) =>
        new(s.Id, s.CspSpecName, s.ConnectionName, s.VCpu, s.MemoryGiB, s.CostPerHour > 0 ? s.CostPerHour : null);

    private static bool IsGoingAway(string status) =>
        status.Equals("Terminating", StringComparison.OrdinalIgnoreCase) || status.Equals("Terminated", StringComparison.OrdinalIgnoreCase);

    private static Machine ToMachine(NodeInfo node, InfraNodeAccessInfo? access) => new(
        node.Id,
        node.NodeGroupId,
        node.ConnectionName,
        node.ConnectionConfig?.ProviderName ?? "",
        FirstNonEmpty(node.Region?.Region, node.ConnectionConfig?.RegionZoneInfo.AssignedRegion),
        FirstNonEmpty(node.Region?.Zone, node.ConnectionConfig?.RegionZoneInfo.AssignedZone),
        node.Location?.Latitude,
        node.Location?.Longitude,
        node.Status,
        NullIfEmpty(FirstNonEmpty(access?.PublicIP, node.PublicIP)),
        NullIfEmpty(FirstNonEmpty(access?.PrivateIP, node.PrivateIP)),
        access?.SshPort is > 0 ? access.SshPort : node.SshPort > 0 ? node.SshPort : 22,
        FirstNonEmpty(access?.NodeUserName, DefaultSshUser),
        NullIfEmpty(access?.PrivateKey),
        node.SpecId);

    /// <summary>Tumblebug names nodes "{nodeGroup}-{index}".</summary>
    internal static string NodeGroupOf(string nodeId)
    {
        var dash = nodeId.LastIndexOf('-');
        return dash > 0 && dash < nodeId.Length - 1 && nodeId.AsSpan(dash + 1).IndexOfAnyExceptInRange('0', '9') < 0
            ? nodeId[..dash]
            : nodeId;
    }

    private static int NodeIndex(string nodeId) =>
        int.TryParse(nodeId.AsSpan(NodeGroupOf(nodeId).Length).TrimStart('-'), out var index) ? index : 0;

    private static string FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? "";

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
