using System.Collections.Concurrent;
using System.Text.Json;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Infrastructure;
using Ladybug.Engine.Jobs;
using Ladybug.Engine.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ladybug.Engine.Bootstrap;

/// <summary>
/// The kubeadm plan (Cluster API's "bootstrap" half, plus the calls to the infrastructure it needs).
/// Every step reads what it needs from the database, so a resumed job rebuilds the same picture;
/// what only one run knows (the join commands from init) lives in the job's scope and is minted
/// again when a resumed run lacks it. Split by concern: this file holds what the steps share,
/// <c>.Steps.cs</c> the steps, <c>.Rollback.cs</c> failure, rollback and deletion.
/// </summary>
internal sealed partial class ClusterProvisioner(
    IInfrastructure infrastructure,
    IRemoteShell shell,
    BootstrapScriptRenderer renderer,
    ISecretSealer sealer,
    IOptions<BootstrapOptions> options,
    IOptions<NetworkOptions> network,
    ILogger<ClusterProvisioner> logger)
{
    private BootstrapOptions Settings => options.Value;

    private static ProvisioningScope Scope(JobContext context) => context.Scope<ProvisioningScope>();

    /// <summary>What the cloud must let in to every machine of the cluster.</summary>
    private ClusterFirewall Firewall(Cluster cluster) => ClusterFirewallPolicy.For(cluster.Cni, network.Value);

    /// <summary>The cluster, its live nodes and, once control planes exist, the facts the scripts need.</summary>
    private sealed record ClusterState(Cluster Cluster, IReadOnlyList<Node> Nodes, ClusterFacts? Facts)
    {
        public ClusterFacts RequireFacts() => Facts
            ?? throw new StepFailedException(FailureReason.InternalError, $"Cluster '{Cluster.Name}' has no control-plane node with a public IP yet.");

        public Node Leader => Nodes.FirstOrDefault(n => n.Name == Cluster.LeaderNodeName)
            ?? throw new StepFailedException(FailureReason.InternalError, $"Cluster '{Cluster.Name}' has no recorded control-plane leader.");

        public IReadOnlyList<Node> Workers(NodeSelection selection) =>
            Nodes.Where(n => n.Role == NodeRole.Worker && selection.Includes(n)).OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The cluster and its nodes, their addresses brought up to date the first time a run loads them
    /// (see <see cref="RefreshAddressesAsync"/>): every step that connects to a node starts here.
    /// Steps that only talk to the infrastructure use <see cref="ReadRecordedStateAsync"/>.
    /// </summary>
    private async Task<ClusterState> LoadStateAsync(JobContext context, CancellationToken cancellationToken)
    {
        var state = await ReadRecordedStateAsync(context, cancellationToken);
        if (Scope(context).AddressesChecked || state.Nodes.Count == 0
            || state.Cluster is not { InfraNamespace: { } ns, InfraId: { } groupId })
            return state;
        return await RefreshAddressesAsync(context, ns, groupId, cancellationToken)
            ? await ReadRecordedStateAsync(context, cancellationToken)
            : state;
    }

    /// <summary>The cluster and its live nodes as stored, without asking the infrastructure anything.</summary>
    private async Task<ClusterState> ReadRecordedStateAsync(JobContext context, CancellationToken cancellationToken)
    {
        await using var db = await context.OpenDbAsync(cancellationToken);
        var cluster = await db.Clusters.AsNoTracking().Include(c => c.Pools).Include(c => c.Nodes)
            .AsSplitQuery().SingleAsync(c => c.Id == context.ClusterId, cancellationToken);
        var nodes = cluster.Nodes.Where(n => n.DeletedAt is null).OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        var facts = nodes.Any(n => n.Role == NodeRole.ControlPlane && n.PublicIp is not null)
            ? ClusterFacts.From(cluster, nodes, Settings.ApiEndpointHost)
            : null;
        return new ClusterState(cluster, nodes, facts);
    }

    /// <summary>
    /// Runs one script on one node as a recorded sub-step: output streams into the job log (already
    /// redacted by the shell), the host key is pinned on first contact, and a failure becomes a
    /// <see cref="StepFailedException"/> naming the node, the step, the exit code and the last lines.
    /// </summary>
    /// <param name="failureReason">Overrides the step's own reason when the same script serves several purposes (join-token).</param>
    private Task<RemoteRunResult> RunScriptAsync(JobContext context, Node node, RenderedScript script, CancellationToken cancellationToken,
        bool logStdout = true, string? failureReason = null) =>
        context.RunOnNodeAsync(script.Step.Name, node.Name, async token =>
        {
            var reason = failureReason ?? script.Step.FailureReason;
            var host = new RemoteHost(node.Name,
                node.PublicIp ?? throw new StepFailedException(reason, $"Node {node.Name} has no public IP to connect to."),
                node.SshPort, node.SshUser,
                sealer.Unseal(node.SealedSshPrivateKey ?? throw new StepFailedException(reason, $"Node {node.Name} has no SSH key.")),
                node.HostKeyFingerprint);
            RemoteRunResult result;
            try
            {
                result = await shell.RunAsync(host, script, line =>
                {
                    if (logStdout || line.Stream != LogStream.Stdout)
                        context.Output(node.Name, line.Stream, line.Text);
                }, token);
            }
            catch (RemoteShellException ex)
            {
                var message = FailureMessage(node, script.Step, null, ex.Message, ex.Tail);
                if (!script.Step.ClusterWide)
                    await MarkNodeFailedAsync(context, node, script.Step, ex.Message);
                throw new StepFailedException(reason, message, null, ex);
            }
            if (node.HostKeyFingerprint is null)
                await PinHostKeyAsync(context, node, result.HostKeyFingerprint, token);
            if (!result.Succeeded)
            {
                if (!script.Step.ClusterWide)
                    await MarkNodeFailedAsync(context, node, script.Step, $"exit code {result.ExitCode}");
                throw new StepFailedException(reason,
                    FailureMessage(node, script.Step, result.ExitCode, null, result.Tail), result.ExitCode);
            }
            return result;
        }, cancellationToken);

    /// <summary>The message a failed cluster shows: node, step, exit code, last lines (already redacted).</summary>
    internal static string FailureMessage(Node node, BootstrapStep step, int? exitCode, string? why, IReadOnlyList<string> tail)
    {
        var head = exitCode is { } code
            ? $"Step '{step.Name}' failed on node {node.Name} with exit code {code}."
            : $"Step '{step.Name}' failed on node {node.Name}: {why}";
        return tail.Count == 0 ? head : $"{head}\nLast {tail.Count} lines:\n{string.Join('\n', tail)}";
    }

    private static async Task MarkNodeFailedAsync(JobContext context, Node node, BootstrapStep step, string why) =>
        await context.SetNodeStatusAsync(node.Name, NodeStatus.Failed, $"{step.Name}: {why}", CancellationToken.None);

    private static async Task PinHostKeyAsync(JobContext context, Node node, string fingerprint, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await context.SaveTogetherAsync(db => db.Nodes.Where(n => n.Id == node.Id && n.HostKeyFingerprint == null)
            .ExecuteUpdate(s => s.SetProperty(n => n.HostKeyFingerprint, fingerprint)));
        node.HostKeyFingerprint = fingerprint;
        context.Info($"Pinned host key {fingerprint} of {node.Name}", node.Name);
    }

    /// <summary>
    /// Runs <paramref name="body"/> for every node, at most <paramref name="parallelism"/> at once. The first
    /// failure stops the others (their steps are cancelled) and is rethrown, naming any other nodes that failed.
    /// </summary>
    private static async Task ForEachNodeAsync(IReadOnlyList<Node> nodes, int parallelism, Func<Node, CancellationToken, Task> body,
        CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var failures = new ConcurrentQueue<(Node Node, Exception Error)>();
        await Parallel.ForEachAsync(nodes, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, async (node, _) =>
        {
            if (stop.IsCancellationRequested) return;
            try
            {
                await body(node, stop.Token);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                failures.Enqueue((node, ex));
                await stop.CancelAsync();
            }
        });
        cancellationToken.ThrowIfCancellationRequested();
        var real = failures.Where(f => f.Error is not OperationCanceledException).ToList();
        if (real.Count == 0) return;
        var first = real[0].Error;
        if (real.Count == 1) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        var others = $"\n({real.Count - 1} more node(s) failed too: {string.Join(", ", real.Skip(1).Select(f => f.Node.Name))})";
        throw first is StepFailedException sf
            ? new StepFailedException(sf.Reason, sf.Message + others, sf.ExitCode, sf)
            : new StepFailedException(FailureReason.InternalError, first.Message + others, null, first);
    }

    /// <summary>Calls the infrastructure; its refusals become failures with <paramref name="reason"/> and its own words.</summary>
    private static async Task<T> CallInfrastructureAsync<T>(string reason, string what, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (InfrastructureException ex)
        {
            throw new StepFailedException(reason, $"{what} failed: {ex.Message}", null, ex);
        }
    }

    private static Task CallInfrastructureAsync(string reason, string what, Func<Task> call) =>
        CallInfrastructureAsync<bool>(reason, what, async () => { await call(); return true; });

    private static T Payload<T>(JobContext context) where T : class =>
        (context.Job.Payload is { } json ? JsonSerializer.Deserialize<T>(json) : null)
        ?? throw new StepFailedException(FailureReason.InternalError, $"Job {context.Job.Id} has no {typeof(T).Name}.");

    /// <summary>Which nodes a job works on: all of the cluster's, or those of the pools it added.</summary>
    internal sealed record NodeSelection(IReadOnlySet<Guid>? PoolIds)
    {
        public static NodeSelection All { get; } = new((IReadOnlySet<Guid>?)null);

        public bool Includes(Node node) => PoolIds is null || PoolIds.Contains(node.PoolId);

        public static NodeSelection AddedBy(JobContext context) => new(Payload<AddNodesPayload>(context).PoolIds.ToHashSet());
    }
}
