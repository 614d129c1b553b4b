using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Infrastructure;
using Ladybug.Engine.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ladybug.Engine.Bootstrap;

/// <summary>What every step starts from: the cluster and its live nodes as stored, and where their machines answer now.</summary>
internal sealed class ClusterStateLoader(IInfrastructure infrastructure, IOptions<BootstrapOptions> options)
{
    /// <summary>
    /// The cluster and its nodes, their addresses brought up to date the first time a run loads them
    /// (see <see cref="RefreshAddressesAsync"/>): every step that connects to a node starts here.
    /// Steps that only talk to the infrastructure use <see cref="ReadRecordedAsync"/>.
    /// </summary>
    public async Task<ClusterState> LoadAsync(JobContext context, CancellationToken cancellationToken)
    {
        var state = await ReadRecordedAsync(context, cancellationToken);
        if (context.Scope<ProvisioningScope>().AddressesChecked || state.Nodes.Count == 0
            || state.Cluster is not { InfraNamespace: { } ns, InfraId: { } groupId })
            return state;
        return await RefreshAddressesAsync(context, ns, groupId, cancellationToken)
            ? await ReadRecordedAsync(context, cancellationToken)
            : state;
    }

    /// <summary>The cluster and its live nodes as stored, without asking the infrastructure anything.</summary>
    public async Task<ClusterState> ReadRecordedAsync(JobContext context, CancellationToken cancellationToken)
    {
        await using var db = await context.OpenDbAsync(cancellationToken);
        var cluster = await db.Clusters.AsNoTracking().Include(c => c.Pools).Include(c => c.Nodes)
            .AsSplitQuery().SingleAsync(c => c.Id == context.ClusterId, cancellationToken);
        var nodes = cluster.Nodes.Where(n => n.DeletedAt is null).OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        var facts = nodes.Any(n => n.Role == NodeRole.ControlPlane && n.PublicIp is not null)
            ? ClusterFacts.From(cluster, nodes, options.Value.ApiEndpointHost)
            : null;
        return new ClusterState(cluster, nodes, facts);
    }

    /// <summary>
    /// Machines move: a cloud VM stopped and started again comes back with another public IP, and a sandbox VM brought
    /// back after a console restart answers on another port when its old one was taken meanwhile. Nodes keep the address
    /// record-machines stored, so each run asks the infrastructure once, the first time it loads nodes, where their
    /// machines answer now, and connects there. Once per run at the start rather than a plan step, which a run resumed
    /// after a restart would skip; and rather than a retry after an unreachable node, which would first wait out the whole
    /// SSH connect window (minutes) on every node that moved. The host key stays pinned: at its new address a machine
    /// must still present the key first seen there, or the shell refuses it (<see cref="RemoteShellFailure.HostKeyChanged"/>).
    /// When the infrastructure cannot answer, the run goes on with the recorded addresses: they are right unless a machine moved.
    /// </summary>
    /// <returns>Whether a node's address changed.</returns>
    private async Task<bool> RefreshAddressesAsync(JobContext context, string ns, string groupId, CancellationToken cancellationToken)
    {
        context.Scope<ProvisioningScope>().AddressesChecked = true;
        IReadOnlyList<Machine> machines;
        try
        {
            machines = await infrastructure.GetMachinesAsync(ns, groupId, cancellationToken);
        }
        catch (InfrastructureException ex)
        {
            context.Info($"Could not ask the infrastructure where the machines of {ns}/{groupId} answer now ({ex.Message}); connecting to the recorded addresses.");
            return false;
        }
        return await UpdateAddressesAsync(context, machines, cancellationToken);
    }

    /// <summary>Gives recorded nodes the public IP and SSH port their machines have now; their pinned host keys stay.</summary>
    public static async Task<bool> UpdateAddressesAsync(JobContext context, IReadOnlyList<Machine> machines, CancellationToken cancellationToken)
    {
        var moved = new List<Node>();
        await using (var db = await context.OpenDbAsync(cancellationToken))
        {
            var nodes = await db.Nodes.Where(n => n.ClusterId == context.ClusterId && n.DeletedAt == null).ToListAsync(cancellationToken);
            foreach (var node in nodes)
            {
                // A machine listed without a public IP (stopped) or not at all keeps its last known address.
                var machine = machines.FirstOrDefault(m => m.Id == node.Name);
                if (machine is not { PublicIp: { Length: > 0 } publicIp } || (publicIp, machine.SshPort) == (node.PublicIp, node.SshPort)) continue;
                context.Info($"{node.Name} answers SSH at {publicIp}:{machine.SshPort} now, no longer at {node.PublicIp}:{node.SshPort}; " +
                    "it must still present its pinned host key there.", node.Name);
                node.PublicIp = publicIp;
                node.SshPort = machine.SshPort;
                moved.Add(node);
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        foreach (var node in moved)
            context.Events.Publish(new NodeChanged(context.ClusterId, node.Name, node.Status, node.StatusMessage, node.PublicIp));
        return moved.Count > 0;
    }
}
