using Ladybug.Engine.Domain;
using Ladybug.Engine.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Ladybug.Engine.Bootstrap;

internal sealed partial class ClusterProvisioner
{
    /// <summary>prepare + public-ip on every selected node, in parallel.</summary>
    public async Task PrepareNodesAsync(JobContext context, NodeSelection selection, CancellationToken cancellationToken)
    {
        var state = await LoadStateAsync(context, cancellationToken);
        var facts = state.RequireFacts();
        var nodes = state.Nodes.Where(selection.Includes).ToList();
        await context.Record.SetNodeStatusAsync([.. nodes.Select(n => n.Name)], NodeStatus.Bootstrapping, null, cancellationToken);
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
                await context.Record.SetNodeStatusAsync(node.Name, NodeStatus.Bootstrapping, null, cancellationToken);
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
        await context.Record.SetNodeStatusAsync(leader.Name, NodeStatus.Joining, "kubeadm init", cancellationToken);
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
            await context.Record.SetNodeStatusAsync(node.Name, NodeStatus.Joining, null, cancellationToken);
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
            await context.Record.SetNodeStatusAsync(node.Name, NodeStatus.Joining, null, token);
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
        await context.Record.MarkNodesReadyAsync(versions, cancellationToken);
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
}
