using System.Collections.Concurrent;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Jobs;
using Ladybug.Engine.Secrets;
using Microsoft.EntityFrameworkCore;

namespace Ladybug.Engine.Bootstrap;

/// <summary>Runs the bootstrap scripts on the cluster's nodes over SSH, each as a recorded sub-step of the job.</summary>
internal sealed class NodeScripts(IRemoteShell shell, ISecretSealer sealer)
{
    /// <summary>
    /// Runs one script on one node as a recorded sub-step: output streams into the job log (already
    /// redacted by the shell), the host key is pinned on first contact, and a failure becomes a
    /// <see cref="StepFailedException"/> naming the node, the step, the exit code and the last lines.
    /// </summary>
    /// <param name="failureReason">Overrides the step's own reason when the same script serves several purposes (join-token).</param>
    public Task<RemoteRunResult> RunAsync(JobContext context, Node node, RenderedScript script, CancellationToken cancellationToken,
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
        await context.Record.SetNodeStatusAsync(node.Name, NodeStatus.Failed, $"{step.Name}: {why}", CancellationToken.None);

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
    public static async Task ForEachNodeAsync(IReadOnlyList<Node> nodes, int parallelism, Func<Node, CancellationToken, Task> body,
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
}
