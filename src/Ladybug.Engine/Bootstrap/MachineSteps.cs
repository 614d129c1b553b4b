using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Infrastructure;
using Ladybug.Engine.Jobs;
using Ladybug.Engine.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static Ladybug.Engine.Bootstrap.InfrastructureCalls;

namespace Ladybug.Engine.Bootstrap;

/// <summary>
/// The machine steps (Cluster API's "infrastructure" half): check each pool's connection and spec, create or add the
/// machines through the infrastructure, and record them as nodes with their addresses and sealed SSH keys.
/// </summary>
internal sealed class MachineSteps(IInfrastructure infrastructure, ClusterStateLoader states, ISecretSealer sealer, IOptions<NetworkOptions> network)
{
    /// <summary>What the cloud must let in to every machine of the cluster.</summary>
    private ClusterFirewall Firewall(Cluster cluster) => ClusterFirewallPolicy.For(cluster.Cni, network.Value);

    /// <summary>kubeadm's preflight refuses a control plane with fewer than 2 vCPUs; cb-mcks asked 2 GiB of every node.</summary>
    private const int MinControlPlaneVCpu = 2;
    private const double MinMemoryGiB = 2;

    /// <summary>Checks that every pool's connection and spec exist and fit, before any machine is made.</summary>
    public async Task ResolveAsync(JobContext context, NodeSelection selection, CancellationToken cancellationToken)
    {
        var state = await states.ReadRecordedAsync(context, cancellationToken);
        var cluster = state.Cluster;
        var pools = cluster.Pools.Where(p => selection.PoolIds is null || selection.PoolIds.Contains(p.Id)).ToList();
        if (selection.PoolIds is null)
            await context.Record.SetPhaseAsync(ClusterPhase.Provisioning, cancellationToken: cancellationToken);

        var connections = await CallAsync(FailureReason.GetControlPlaneConnectionInfoFailed, "Listing cloud connections",
            () => infrastructure.ListConnectionsAsync(cancellationToken));
        foreach (var pool in pools)
        {
            var connectionReason = pool.Role == NodeRole.ControlPlane
                ? FailureReason.GetControlPlaneConnectionInfoFailed
                : FailureReason.GetWorkerConnectionInfoFailed;
            var connection = connections.FirstOrDefault(c => string.Equals(c.Name, pool.Connection, StringComparison.OrdinalIgnoreCase))
                ?? throw new StepFailedException(connectionReason, $"Pool {pool.Name}: connection '{pool.Connection}' does not exist.");
            var specs = await CallAsync(connectionReason, $"Listing specs of connection '{connection.Name}'",
                () => infrastructure.ListSpecsAsync(connection.Name, cancellationToken));
            var spec = specs.FirstOrDefault(s => string.Equals(s.Name, pool.Spec, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(s.Id, pool.Spec, StringComparison.OrdinalIgnoreCase))
                ?? throw new StepFailedException(FailureReason.InvalidResources, $"Pool {pool.Name}: spec '{pool.Spec}' is not offered on connection '{connection.Name}'.");
            if (pool.Role == NodeRole.ControlPlane && spec.VCpu < MinControlPlaneVCpu)
                throw new StepFailedException(FailureReason.InvalidResources,
                    $"Pool {pool.Name}: spec '{spec.Name}' has {spec.VCpu} vCPU; a control plane needs at least {MinControlPlaneVCpu}.");
            if (spec.MemoryGiB < MinMemoryGiB)
                throw new StepFailedException(FailureReason.InvalidResources,
                    $"Pool {pool.Name}: spec '{spec.Name}' has {spec.MemoryGiB:0.#} GiB of memory; a node needs at least {MinMemoryGiB:0} GiB.");
            context.Info($"Pool {pool.Name}: {pool.Count} × {spec.Name} ({spec.VCpu} vCPU, {spec.MemoryGiB:0.#} GiB) on {connection.Name} ({connection.Csp} {connection.Region})");
        }
        if (selection.PoolIds is not null)
            WarnIfPodMtuTooLarge(context, state, pools.Select(p =>
                connections.First(c => string.Equals(c.Name, p.Connection, StringComparison.OrdinalIgnoreCase)).Csp));
    }

    /// <summary>
    /// The pod network's MTU was fixed when the cluster was made; a pool on a cloud with a smaller underlay would
    /// fragment (or, with DF, drop) its largest tunnelled packets. Said plainly, since re-applying the CNI would not
    /// change the MTU of pods already running.
    /// </summary>
    private static void WarnIfPodMtuTooLarge(JobContext context, ClusterState state, IEnumerable<string> addedCsps)
    {
        var existing = state.Nodes.Select(n => n.Csp).ToList();
        if (existing.Count == 0) return;
        var applied = PodNetworkMtu.For(state.Cluster.Cni, existing);
        var needed = PodNetworkMtu.For(state.Cluster.Cni, [.. existing, .. addedCsps]);
        if (needed < applied)
            context.Info($"Warning: the pod network runs with MTU {applied}, but the added clouds need at most {needed}; " +
                "large packets to and from the new nodes will be fragmented. See docs/cloud-requirements.md, \"MTU\".");
    }

    /// <summary>Creates the cluster's machines: one group (Tumblebug Infra) with one node group per pool.</summary>
    public async Task CreateMachinesAsync(JobContext context, CancellationToken cancellationToken)
    {
        string ns, groupId;
        List<MachinePoolRequest> requests;
        ClusterFirewall firewall;
        await using (var db = await context.OpenDbAsync(cancellationToken))
        {
            var cluster = await JobContext.LoadClusterAsync(db, context.ClusterId, cancellationToken);
            firewall = Firewall(cluster);
            // Recorded before the call, so a rollback knows what to delete even if the call dies half-way.
            cluster.InfraNamespace ??= cluster.Namespace;
            cluster.InfraId ??= cluster.Name;
            await db.SaveChangesAsync(cancellationToken);
            (ns, groupId) = (cluster.InfraNamespace, cluster.InfraId);
            requests = MachineRequests(cluster, cluster.Pools);
        }
        context.Info($"Creating {requests.Sum(r => r.Count)} machines in {ns}/{groupId}");
        var createCall = await CreateCallOfAsync(context, cancellationToken);
        var machines = await CallAsync(FailureReason.CreateInfraFailed, $"Creating machines in {ns}/{groupId}",
            () => infrastructure.CreateMachinesAsync(ns, groupId, requests, firewall, createCall, Progress(context), cancellationToken));
        context.Info($"{machines.Count} machines are running");
        // Every machine of the group, just read: record-machines, next, need not read them again (a resumed run does).
        context.Scope<ProvisioningScope>().MachinesRead = machines;
    }

    /// <summary>
    /// The job's creating call, kept on its row: a job resumed after a restart reads back the id its first run stored
    /// and the infrastructure asks the broker about that call.
    /// </summary>
    private static async Task<CreateCallRecord> CreateCallOfAsync(JobContext context, CancellationToken cancellationToken)
    {
        string? stored;
        await using (var db = await context.OpenDbAsync(cancellationToken))
            stored = await db.Jobs.Where(j => j.Id == context.Job.Id).Select(j => j.CreateCallId).SingleAsync(cancellationToken);
        return new CreateCallRecord(stored, async (callId, ct) =>
        {
            await using var db = await context.OpenDbAsync(ct);
            await db.Jobs.Where(j => j.Id == context.Job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.CreateCallId, callId), ct);
        });
    }

    /// <summary>Adds the machines of the pools an add-nodes job brought to the existing group.</summary>
    public async Task AddMachinesAsync(JobContext context, NodeSelection selection, CancellationToken cancellationToken)
    {
        var state = await states.ReadRecordedAsync(context, cancellationToken);
        var (ns, groupId) = RequireGroup(state.Cluster);
        var requests = MachineRequests(state.Cluster, state.Cluster.Pools.Where(p => selection.PoolIds?.Contains(p.Id) == true));
        context.Info($"Adding {requests.Sum(r => r.Count)} machines to {ns}/{groupId}");
        var machines = await CallAsync(FailureReason.AddNodeEntityFailed, $"Adding machines to {ns}/{groupId}",
            () => infrastructure.AddMachinesAsync(ns, groupId, requests, Firewall(state.Cluster), Progress(context), cancellationToken));
        context.Info($"{machines.Count} new machines are running");
    }

    /// <summary>
    /// Reads every machine's access info (IPs, SSH port and user, private key) into Node rows, the key
    /// sealed. Machines already recorded keep their row (and their pinned host key).
    /// </summary>
    public async Task RecordMachinesAsync(JobContext context, string failureReason, CancellationToken cancellationToken)
    {
        var state = await states.ReadRecordedAsync(context, cancellationToken);
        var (ns, groupId) = RequireGroup(state.Cluster);
        var machines = context.Scope<ProvisioningScope>().TakeMachinesRead()
            ?? await CallAsync(failureReason, $"Reading the machines of {ns}/{groupId}",
                () => infrastructure.GetMachinesAsync(ns, groupId, cancellationToken));
        // What was just read is where every machine answers now: the recorded ones follow it, and this run need not ask again.
        await ClusterStateLoader.UpdateAddressesAsync(context, machines, cancellationToken);
        context.Scope<ProvisioningScope>().AddressesChecked = true;

        var added = new List<Node>();
        await using (var db = await context.OpenDbAsync(cancellationToken))
        {
            var cluster = await JobContext.LoadClusterAsync(db, context.ClusterId, cancellationToken);
            var now = context.Time.GetUtcNow();
            foreach (var pool in cluster.Pools)
            {
                var poolMachines = machines.Where(m => m.PoolName == pool.Name).OrderBy(m => m.Id, StringComparer.Ordinal).ToList();
                var live = cluster.Nodes.Count(n => n.PoolId == pool.Id && n.DeletedAt is null);
                // Pools that lost nodes by removal have fewer machines than asked; only a pool with no node yet must be complete.
                if (live == 0 && poolMachines.Count < pool.Count)
                    throw new StepFailedException(failureReason,
                        $"Pool {pool.Name} asked for {pool.Count} machines but {ns}/{groupId} has {poolMachines.Count}.");
                foreach (var machine in poolMachines)
                {
                    if (cluster.Nodes.Any(n => n.Name == machine.Id)) continue;
                    added.Add(NewNode(cluster, pool, machine, failureReason, now));
                }
            }
            // Added explicitly: a Node comes with its Guid already set, which EF would take for an existing row.
            db.Nodes.AddRange(added);
            cluster.LeaderNodeName ??= cluster.Nodes.Concat(added)
                .Where(n => n.Role == NodeRole.ControlPlane && n.DeletedAt is null)
                .Select(n => n.Name).Order(StringComparer.Ordinal).FirstOrDefault();
            await db.SaveChangesAsync(cancellationToken);
            if (added.Count > 0)
                context.Info($"Recorded {added.Count} nodes; control-plane leader is {cluster.LeaderNodeName}");
        }
        foreach (var node in added)
            context.Events.Publish(new NodeChanged(context.ClusterId, node.Name, node.Status, null));
    }

    private Node NewNode(Cluster cluster, NodePool pool, Machine machine, string failureReason, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(machine.PublicIp))
            throw new StepFailedException(failureReason, $"Machine {machine.Id} of pool {pool.Name} has no public IP; nodes in different clouds reach each other only by public IP.");
        if (string.IsNullOrWhiteSpace(machine.PrivateKey))
            throw new StepFailedException(failureReason, $"The infrastructure returned no SSH private key for machine {machine.Id}.");
        return new Node
        {
            ClusterId = cluster.Id,
            PoolId = pool.Id,
            Name = machine.Id,
            Role = pool.Role,
            Connection = machine.Connection,
            Csp = machine.Csp,
            Region = machine.Region,
            Zone = machine.Zone,
            Latitude = machine.Latitude,
            Longitude = machine.Longitude,
            PublicIp = machine.PublicIp,
            PrivateIp = machine.PrivateIp,
            SshPort = machine.SshPort,
            SshUser = machine.SshUser,
            Spec = machine.Spec,
            Status = NodeStatus.Pending,
            SealedSshPrivateKey = sealer.Seal(machine.PrivateKey),
            CreatedAt = now,
        };
    }

    private static List<MachinePoolRequest> MachineRequests(Cluster cluster, IEnumerable<NodePool> pools)
    {
        KubernetesVersionCatalog.TryFind(cluster.KubernetesVersion, out var minor, out _);
        return pools.Select(p => new MachinePoolRequest(p.Name, p.Connection, p.Spec, p.Count, p.RootDiskType, p.RootDiskSizeGb,
            minor?.UbuntuRelease ?? KubernetesVersionCatalog.Minors[0].UbuntuRelease)).ToList();
    }
}
