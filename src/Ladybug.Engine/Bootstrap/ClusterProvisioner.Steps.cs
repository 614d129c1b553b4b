using Ladybug.Engine.Clusters;
using Ladybug.Engine.Events;
using Ladybug.Engine.Infrastructure;
using Ladybug.Engine.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Ladybug.Engine.Bootstrap;

internal sealed partial class ClusterProvisioner
{
    /// <summary>kubeadm's preflight refuses a control plane with fewer than 2 vCPUs; cb-mcks asked 2 GiB of every node.</summary>
    private const int MinControlPlaneVCpu = 2;
    private const double MinMemoryGiB = 2;

    // ── infrastructure ──────────────────────────────────────────────────────────────────────────

    /// <summary>Checks that every pool's connection and spec exist and fit, before any machine is made.</summary>
    public async Task ResolveAsync(JobContext context, NodeSelection selection, CancellationToken cancellationToken)
    {
        var state = await ReadRecordedStateAsync(context, cancellationToken);
        var cluster = state.Cluster;
        var pools = cluster.Pools.Where(p => selection.PoolIds is null || selection.PoolIds.Contains(p.Id)).ToList();
        if (selection.PoolIds is null)
            await context.SetPhaseAsync(ClusterPhase.Provisioning, cancellationToken: cancellationToken);

        var connections = await CallInfrastructureAsync(FailureReason.GetControlPlaneConnectionInfoFailed, "Listing cloud connections",
            () => infrastructure.ListConnectionsAsync(cancellationToken));
        foreach (var pool in pools)
        {
            var connectionReason = pool.Role == NodeRole.ControlPlane
                ? FailureReason.GetControlPlaneConnectionInfoFailed
                : FailureReason.GetWorkerConnectionInfoFailed;
            var connection = connections.FirstOrDefault(c => string.Equals(c.Name, pool.Connection, StringComparison.OrdinalIgnoreCase))
                ?? throw new StepFailedException(connectionReason, $"Pool {pool.Name}: connection '{pool.Connection}' does not exist.");
            var specs = await CallInfrastructureAsync(connectionReason, $"Listing specs of connection '{connection.Name}'",
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
        var machines = await CallInfrastructureAsync(FailureReason.CreateInfraFailed, $"Creating machines in {ns}/{groupId}",
            () => infrastructure.CreateMachinesAsync(ns, groupId, requests, firewall, createCall, Progress(context), cancellationToken));
        context.Info($"{machines.Count} machines are running");
        // Every machine of the group, just read: record-machines, next, need not read them again (a resumed run does).
        Scope(context).MachinesRead = machines;
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
        var state = await ReadRecordedStateAsync(context, cancellationToken);
        var (ns, groupId) = RequireGroup(state.Cluster);
        var requests = MachineRequests(state.Cluster, state.Cluster.Pools.Where(p => selection.PoolIds?.Contains(p.Id) == true));
        context.Info($"Adding {requests.Sum(r => r.Count)} machines to {ns}/{groupId}");
        var machines = await CallInfrastructureAsync(FailureReason.AddNodeEntityFailed, $"Adding machines to {ns}/{groupId}",
            () => infrastructure.AddMachinesAsync(ns, groupId, requests, Firewall(state.Cluster), Progress(context), cancellationToken));
        context.Info($"{machines.Count} new machines are running");
    }

    /// <summary>
    /// Reads every machine's access info (IPs, SSH port and user, private key) into Node rows, the key
    /// sealed. Machines already recorded keep their row (and their pinned host key).
    /// </summary>
    public async Task RecordMachinesAsync(JobContext context, string failureReason, CancellationToken cancellationToken)
    {
        var state = await ReadRecordedStateAsync(context, cancellationToken);
        var (ns, groupId) = RequireGroup(state.Cluster);
        var machines = Scope(context).TakeMachinesRead()
            ?? await CallInfrastructureAsync(failureReason, $"Reading the machines of {ns}/{groupId}",
                () => infrastructure.GetMachinesAsync(ns, groupId, cancellationToken));
        // What was just read is where every machine answers now: the recorded ones follow it, and this run need not ask again.
        await UpdateAddressesAsync(context, machines, cancellationToken);
        Scope(context).AddressesChecked = true;

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
        Scope(context).AddressesChecked = true;
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
    private static async Task<bool> UpdateAddressesAsync(JobContext context, IReadOnlyList<Machine> machines, CancellationToken cancellationToken)
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

    private static (string Namespace, string GroupId) RequireGroup(Cluster cluster) =>
        cluster is { InfraNamespace: { } ns, InfraId: { } id }
            ? (ns, id)
            : throw new StepFailedException(FailureReason.GetInfraFailed, $"Cluster '{cluster.Name}' has no machine group recorded.");

    private static IProgress<string> Progress(JobContext context) => new StepProgress(context);

    /// <summary>Logs progress at once, in the step that reports it (Progress&lt;T&gt; would post it later, possibly into the next step).</summary>
    private sealed class StepProgress(JobContext context) : IProgress<string>
    {
        private readonly string? _step = context.CurrentStep;

        public void Report(string value) => context.Output(null, LogStream.System, value, _step);
    }

    // ── bootstrap ───────────────────────────────────────────────────────────────────────────────

    /// <summary>prepare + public-ip on every selected node, in parallel.</summary>
    public async Task PrepareNodesAsync(JobContext context, NodeSelection selection, CancellationToken cancellationToken)
    {
        var state = await LoadStateAsync(context, cancellationToken);
        var facts = state.RequireFacts();
        var nodes = state.Nodes.Where(selection.Includes).ToList();
        await context.SetNodeStatusAsync([.. nodes.Select(n => n.Name)], NodeStatus.Bootstrapping, null, cancellationToken);
        await ForEachNodeAsync(nodes, Settings.PrepareParallelism, async (node, token) =>
        {
            var nodeFacts = NodeFacts.From(node);
            await RunRepeatableScriptAsync(context, node, renderer.Prepare(facts, nodeFacts), token);
            await RunRepeatableScriptAsync(context, node, renderer.PublicIp(facts, nodeFacts), token);
        }, cancellationToken);
    }

    /// <summary>
    /// A script that may run twice (prepare, public-ip: every change checks or overwrites what is there): when the SSH
    /// session drops under it, as a VM's first-boot network changes can make it, it simply runs again.
    /// </summary>
    private async Task RunRepeatableScriptAsync(JobContext context, Node node, RenderedScript script, CancellationToken cancellationToken)
    {
        var attempts = Math.Max(1, Settings.RepeatableStepAttempts);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await RunScriptAsync(context, node, script, cancellationToken);
                return;
            }
            catch (StepFailedException ex) when (attempt < attempts && !cancellationToken.IsCancellationRequested
                && ex.InnerException is RemoteShellException { Failure: RemoteShellFailure.ConnectionLost })
            {
                context.Info($"Step '{script.Step.Name}' on {node.Name} lost its connection (attempt {attempt} of {attempts}); running it again. {ex.Message.Split('\n')[0]}", node.Name);
                await context.SetNodeStatusAsync(node.Name, NodeStatus.Bootstrapping, null, cancellationToken);
            }
        }
    }

    /// <summary>A haproxy on every selected worker when there are several control planes; nothing otherwise.</summary>
    public async Task SetUpLoadBalancerAsync(JobContext context, NodeSelection selection, CancellationToken cancellationToken)
    {
        var state = await LoadStateAsync(context, cancellationToken);
        var facts = state.RequireFacts();
        if (!facts.UsesNodeLocalLoadBalancer)
        {
            context.Info(facts.ControlPlanes.Count == 1
                ? $"One control plane: workers reach the API at {facts.Leader.PublicIp} directly"
                : "No node-local load balancer for this load-balancer mode");
            return;
        }
        var script = renderer.Haproxy(facts);
        await ForEachNodeAsync(state.Workers(selection), Settings.PrepareParallelism,
            (node, token) => RunScriptAsync(context, node, script, token), cancellationToken);
    }

    /// <summary>kubeadm init on the leader with a token and certificate key Ladybug made; keeps the join commands for this run.</summary>
    public async Task InitControlPlaneAsync(JobContext context, CancellationToken cancellationToken)
    {
        var state = await LoadStateAsync(context, cancellationToken);
        var facts = state.RequireFacts();
        var leader = state.Leader;
        var token = KubeadmSecrets.NewToken();
        var certificateKey = KubeadmSecrets.NewCertificateKey();
        await context.SetNodeStatusAsync(leader.Name, NodeStatus.Joining, "kubeadm init", cancellationToken);
        var result = await RunScriptAsync(context, leader, renderer.KubeadmInit(facts, token, certificateKey), cancellationToken);

        KubeadmInitJoinCommands commands;
        try
        {
            commands = KubeadmJoinParser.ParseInitOutput(result.Stdout);
        }
        catch (KubeadmOutputException ex)
        {
            throw new StepFailedException(BootstrapStep.KubeadmInit.FailureReason,
                $"kubeadm init on {leader.Name} exited 0 but its output could not be read: {ex.Message}", 0, ex);
        }
        if (commands.Worker.Token != token || commands.ControlPlane.CertificateKey != certificateKey)
            throw new StepFailedException(BootstrapStep.KubeadmInit.FailureReason,
                $"kubeadm init on {leader.Name} printed a different token or certificate key than it was given.");
        Scope(context).WorkerJoin = commands.Worker.ToCredentials();
        Scope(context).ControlPlaneJoin = commands.ControlPlane.ToCredentials();

        await using var db = await context.OpenDbAsync(cancellationToken);
        await db.Clusters.Where(c => c.Id == context.ClusterId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ApiEndpoint, facts.PublicApiServer), cancellationToken);
        context.Info($"Control plane initialised on {leader.Name}; endpoint {facts.Endpoint}, public API {facts.PublicApiServer}");
    }

    public async Task InstallCniAsync(JobContext context, CancellationToken cancellationToken)
    {
        var state = await LoadStateAsync(context, cancellationToken);
        var facts = state.RequireFacts();
        var csps = state.Nodes.Select(n => n.Csp).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        var mtu = PodNetworkMtu.For(facts.Cni, csps);
        context.Info($"Pod network MTU {mtu}: the smallest underlay among {string.Join(", ", csps)} less the {BootstrapScriptRenderer.CniName(facts.Cni)} tunnel");
        await RunScriptAsync(context, state.Leader, renderer.PodNetwork(facts, mtu), cancellationToken);
    }

    /// <summary>The other control planes, one at a time: each join grows etcd, which must not happen twice at once.</summary>
    public async Task JoinControlPlanesAsync(JobContext context, CancellationToken cancellationToken)
    {
        var state = await LoadStateAsync(context, cancellationToken);
        var facts = state.RequireFacts();
        var others = state.Nodes.Where(n => n.Role == NodeRole.ControlPlane && n.Name != state.Leader.Name).ToList();
        if (others.Count == 0)
        {
            context.Info("Single control plane: nothing to join");
            return;
        }
        var join = await JoinCredentialsAsync(context, state, controlPlane: true, cancellationToken);
        foreach (var node in others)
        {
            await context.SetNodeStatusAsync(node.Name, NodeStatus.Joining, null, cancellationToken);
            await RunScriptAsync(context, node, renderer.JoinControlPlane(facts, NodeFacts.From(node), join, facts.Leader.PublicIp), cancellationToken);
        }
    }

    /// <summary>Workers in parallel (bounded). A failed join is reset and tried again up to the configured attempts.</summary>
    public async Task JoinWorkersAsync(JobContext context, NodeSelection selection, CancellationToken cancellationToken)
    {
        var state = await LoadStateAsync(context, cancellationToken);
        var facts = state.RequireFacts();
        var workers = state.Workers(selection);
        if (workers.Count == 0) return;
        var join = await JoinCredentialsAsync(context, state, controlPlane: false, cancellationToken);
        var attempts = Math.Max(1, Settings.WorkerJoinAttempts);
        await ForEachNodeAsync(workers, Settings.WorkerJoinParallelism, async (node, token) =>
        {
            await context.SetNodeStatusAsync(node.Name, NodeStatus.Joining, null, token);
            var script = renderer.JoinWorker(facts, NodeFacts.From(node), join);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await RunScriptAsync(context, node, script, token);
                    return;
                }
                catch (StepFailedException ex) when (attempt < attempts && !token.IsCancellationRequested)
                {
                    context.Info($"Join of {node.Name} failed (attempt {attempt} of {attempts}); resetting the node and trying again. {ex.Message.Split('\n')[0]}", node.Name);
                    await RunScriptAsync(context, node, renderer.Reset(facts), token);
                }
            }
        }, cancellationToken);
    }

    /// <summary>
    /// The join command for this run: from kubeadm init when this run did it, otherwise a fresh token
    /// (and for control planes a fresh certificate key) minted on the leader.
    /// </summary>
    private async Task<JoinCredentials> JoinCredentialsAsync(JobContext context, ClusterState state, bool controlPlane, CancellationToken cancellationToken)
    {
        var scope = Scope(context);
        if ((controlPlane ? scope.ControlPlaneJoin : scope.WorkerJoin) is { } known)
            return known;

        var token = KubeadmSecrets.NewToken();
        var certificateKey = controlPlane ? KubeadmSecrets.NewCertificateKey() : null;
        var script = renderer.JoinToken(token, Settings.JoinTokenTtl, certificateKey);
        var reason = controlPlane ? FailureReason.JoinControlPlaneFailed : FailureReason.JoinWorkerFailed;
        var result = await RunScriptAsync(context, state.Leader, script, cancellationToken, failureReason: reason);
        KubeadmJoinCommand command;
        try
        {
            command = KubeadmJoinParser.ParseJoinCommand(result.Stdout);
        }
        catch (KubeadmOutputException ex)
        {
            throw new StepFailedException(reason, $"The join command printed on {state.Leader.Name} could not be read: {ex.Message}", 0, ex);
        }
        if (command.Token != token || command.ControlPlane != controlPlane)
            throw new StepFailedException(reason, $"The join command printed on {state.Leader.Name} is not the one asked for.");
        var credentials = command.ToCredentials();
        if (controlPlane) scope.ControlPlaneJoin = credentials;
        else scope.WorkerJoin = credentials;
        return credentials;
    }

    /// <summary>Labels and annotates every node in one pass from the leader.</summary>
    public async Task LabelNodesAsync(JobContext context, CancellationToken cancellationToken)
    {
        var state = await LoadStateAsync(context, cancellationToken);
        await RunScriptAsync(context, state.Leader, renderer.Label(state.RequireFacts(), state.Nodes.Select(NodeFacts.From)), cancellationToken);
    }

    /// <summary>Waits until the selected nodes are Ready and records their kubelet versions.</summary>
    public async Task WaitReadyAsync(JobContext context, NodeSelection selection, CancellationToken cancellationToken)
    {
        var state = await LoadStateAsync(context, cancellationToken);
        var nodes = state.Nodes.Where(selection.Includes).ToList();
        var result = await RunScriptAsync(context, state.Leader, renderer.WaitReady(nodes.Select(n => n.Name), Settings.WaitReadyTimeout), cancellationToken);
        var versions = WaitReadyReport.Parse(result.Stdout);
        await using (var db = await context.OpenDbAsync(cancellationToken))
        {
            foreach (var node in await db.Nodes.Where(n => n.ClusterId == context.ClusterId && n.DeletedAt == null).ToListAsync(cancellationToken))
            {
                if (!versions.TryGetValue(node.Name, out var version)) continue;
                node.KubeletVersion = version;
                node.Status = NodeStatus.Ready;
                node.StatusMessage = null;
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        foreach (var name in versions.Keys)
            context.Events.Publish(new NodeChanged(context.ClusterId, name, NodeStatus.Ready, null));
        var missing = nodes.Select(n => n.Name).Where(n => !versions.ContainsKey(n)).ToList();
        if (missing.Count > 0)
            throw new StepFailedException(BootstrapStep.WaitReady.FailureReason, $"wait-ready reported no status for {string.Join(", ", missing)}.");
    }

    /// <summary>Reads admin.conf from the leader (never logged), points it at the public endpoint, seals and stores it.</summary>
    public async Task FetchKubeconfigAsync(JobContext context, CancellationToken cancellationToken)
    {
        var state = await LoadStateAsync(context, cancellationToken);
        var facts = state.RequireFacts();
        var result = await RunScriptAsync(context, state.Leader, renderer.FetchKubeconfig(), cancellationToken, logStdout: false);
        string kubeconfig;
        try
        {
            kubeconfig = Kubeconfig.RewriteServer(result.Stdout, facts.PublicApiServer);
        }
        catch (FormatException ex)
        {
            throw new StepFailedException(BootstrapStep.FetchKubeconfig.FailureReason, $"The admin kubeconfig read from {state.Leader.Name} is not usable: {ex.Message}", 0, ex);
        }
        var sealedKubeconfig = sealer.Seal(kubeconfig);
        await using var db = await context.OpenDbAsync(cancellationToken);
        await db.Clusters.Where(c => c.Id == context.ClusterId).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.SealedKubeconfig, sealedKubeconfig)
            .SetProperty(c => c.ApiEndpoint, facts.PublicApiServer), cancellationToken);
        context.Info($"Admin kubeconfig stored (sealed); server {facts.PublicApiServer}");
    }

    // ── removing a node ─────────────────────────────────────────────────────────────────────────

    /// <summary>Drains the node and deletes it from Kubernetes (with its etcd member for a control plane), from the leader.</summary>
    public async Task DrainAndDeleteNodeAsync(JobContext context, CancellationToken cancellationToken)
    {
        var state = await LoadStateAsync(context, cancellationToken);
        var node = NodeToRemove(context, state);
        if (node is null) return;
        await context.SetNodeStatusAsync(node.Name, NodeStatus.Deleting, null, cancellationToken);
        await RunScriptAsync(context, state.Leader, renderer.DrainDeleteNode(state.RequireFacts(), NodeFacts.From(node), Settings.DrainTimeout), cancellationToken);
    }

    /// <summary>Deletes the removed node's machine and marks the node deleted.</summary>
    public async Task DeleteNodeMachineAsync(JobContext context, CancellationToken cancellationToken)
    {
        var state = await ReadRecordedStateAsync(context, cancellationToken);
        var node = NodeToRemove(context, state);
        if (node is null) return;
        var (ns, groupId) = RequireGroup(state.Cluster);
        await CallInfrastructureAsync(FailureReason.RemoveNodeFailed, $"Deleting machine {node.Name}",
            () => infrastructure.DeleteMachineAsync(ns, groupId, node.Name, cancellationToken));
        await MarkNodesDeletedAsync(context, [node.Name], cancellationToken);
        context.Info($"Node {node.Name} removed and its machine deleted");
    }

    private static Node? NodeToRemove(JobContext context, ClusterState state)
    {
        var name = Payload<RemoveNodePayload>(context).NodeName;
        var node = state.Nodes.FirstOrDefault(n => n.Name == name);
        if (node is null)
            context.Info($"Node {name} is already gone");
        else if (node.Name == state.Cluster.LeaderNodeName)
            throw new StepFailedException(FailureReason.RemoveNodeFailed, $"Node {name} is the control-plane leader and cannot be removed.");
        return node;
    }

    /// <summary>Marks nodes deleted and forgets their SSH keys: the machines are gone, the keys are of no use.</summary>
    private static async Task MarkNodesDeletedAsync(JobContext context, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        var now = context.Time.GetUtcNow();
        await using (var db = await context.OpenDbAsync(cancellationToken))
        {
            await db.Nodes.Where(n => n.ClusterId == context.ClusterId && n.DeletedAt == null && names.Contains(n.Name))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(n => n.Status, NodeStatus.Deleted)
                    .SetProperty(n => n.DeletedAt, now)
                    .SetProperty(n => n.SealedSshPrivateKey, (string?)null), cancellationToken);
        }
        foreach (var name in names)
            context.Events.Publish(new NodeChanged(context.ClusterId, name, NodeStatus.Deleted, null));
    }
}
