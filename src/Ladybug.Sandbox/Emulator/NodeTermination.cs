using Ladybug.Sandbox.Machines;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Ladybug.Sandbox.Emulator;

/// <summary>
/// Deleting takes time, as in Tumblebug v0.13.0: a terminated VM is Terminating for its connection's termination time
/// (<see cref="TumblebugTimingOptions.TerminationTimeOf"/>), then Terminated with its sshd stopped. The node's record
/// stays listed until a DELETE finds it Terminated, or its Infra is deleted. The delete calls wait only a while for
/// that and otherwise fail, for the caller to ask again later.
/// </summary>
internal sealed class NodeTermination(EmulatorState state, InfraProvisioner provisioner, SandboxMachines machines, TumblebugTimingOptions timing, ILogger logger) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _running = [];
    private readonly Lock _lock = new();

    /// <summary>
    /// DELETE …/infra/{id}/node/{nodeId}: refused while the Infra is under an action or the node is Creating
    /// (cb-tumblebug src/core/infra/control.go:293-300, 1380-1394 @v0.13.0; a repeat while Terminating is allowed);
    /// otherwise terminates it, then looks whether it is Terminated <see cref="TumblebugTimingOptions.NodeDeleteChecks"/>
    /// times, <see cref="TumblebugTimingOptions.NodeDeleteCheckInterval"/> apart, the first at once, and removes the
    /// record only then (src/core/infra/manageInfo.go:3431-3475). Every failure is the same 400 "Failed to delete the
    /// Node info" (src/interface/rest/server/infra/manageInfo.go:421-436).
    /// </summary>
    public async Task<IResult> DeleteNodeAsync(InfraRecord infra, NodeRecord node, CancellationToken cancellationToken)
    {
        string? refusal;
        lock (state.Sync)
        {
            var infraAction = WireViews.TargetActionOf(infra);
            refusal = infraAction != NodeStatus.None ? $"Infra {infra.Id} is under {infraAction}, please try later"
                : node.Status == NodeStatus.Creating ? $"Terminate is not allowed for VM under {node.Status}"
                : null;
        }
        if (refusal is not null) return Failed(node, refusal);

        await BeginAsync(infra, node);
        for (var check = 0; check < Math.Max(1, timing.NodeDeleteChecks); check++)
        {
            if (check > 0) await Task.Delay(timing.NodeDeleteCheckInterval, cancellationToken);
            bool gone;
            lock (state.Sync)
            {
                gone = node.Status is NodeStatus.Terminated or NodeStatus.Failed or NodeStatus.Undefined;
                if (gone) infra.Nodes.Remove(node);
            }
            if (!gone) continue;
            state.NotifyChanged();
            provisioner.ForgetNetwork(infra, node);
            return TumblebugEmulatorApi.Json(new SimpleMsg("Deleted the Node info"));
        }
        string status;
        lock (state.Sync) status = node.Status;
        return Failed(node, $"node {node.Id} not yet confirmed terminated (status={status}); retry shortly");
    }

    /// <summary>
    /// DELETE …/infra/{id}?option=terminate: removes Failed nodes (refine), terminates the rest with the Infra under
    /// Terminate, waits up to <see cref="TumblebugTimingOptions.InfraTerminateWait"/> for Terminating to clear, and deletes
    /// the records only when the Infra is wholly Terminated; otherwise 500, the Infra kept (manageInfo.go:3101-3205 @v0.13.0;
    /// 500 because the handler passes its IdList, src/core/common/client/client.go:1026-1032).
    /// </summary>
    public async Task<IResult> TerminateInfraAsync(InfraRecord infra, CancellationToken cancellationToken)
    {
        List<NodeRecord> nodes;
        lock (state.Sync) nodes = [.. infra.Nodes];
        if (!IsWhollyTerminated(infra))
        {
            var failed = nodes.Where(n => n.Status == NodeStatus.Failed).ToList();
            foreach (var node in failed) await node.Lifecycle.CancelAsync();
            lock (state.Sync)
            {
                foreach (var node in failed) infra.Nodes.Remove(node);
                infra.Terminating = true;
            }
            state.NotifyChanged();
            foreach (var node in nodes.Except(failed)) await BeginAsync(infra, node);

            var deadline = DateTime.UtcNow + timing.InfraTerminateWait;
            while (DateTime.UtcNow < deadline)
            {
                var left = deadline - DateTime.UtcNow;
                await Task.Delay(timing.InfraTerminatePollInterval < left ? timing.InfraTerminatePollInterval : left, cancellationToken);
                lock (state.Sync)
                    if (infra.Nodes.All(n => n.Status != NodeStatus.Terminating)) break;
            }
        }
        lock (state.Sync)
        {
            var status = WireViews.StatusText(infra);
            if (status.Contains(NodeStatus.Terminating, StringComparison.Ordinal))
                return TumblebugEmulatorApi.Error(StatusCodes.Status500InternalServerError,
                    $"Infra {infra.Id} is still {status} — termination is in progress. Please retry deletion in a few minutes");
            if (!IsDeletable(status))
                return TumblebugEmulatorApi.Error(StatusCodes.Status500InternalServerError,
                    $"Infra {infra.Id} is {status}, which is not a deletable status (Terminated/Undefined/Failed/Preparing/Prepared/Empty). Use option=force for forced deletion");
        }
        return TumblebugEmulatorApi.Json(new IdList(await provisioner.DeleteInfraAsync(infra)));
    }

    /// <summary>After a restart on a kept state directory: terminations the previous run had begun carry on.</summary>
    public void ResumeAfterRestart()
    {
        List<NodeRecord> terminating;
        lock (state.Sync) terminating = [.. state.Infras.Values.SelectMany(i => i.Nodes).Where(n => n.Status == NodeStatus.Terminating)];
        foreach (var node in terminating) Complete(node);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        Task[] running;
        lock (_lock) running = [.. _running];
        await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(30));
        _stopping.Dispose();
    }

    /// <summary>
    /// The cloud is asked to terminate the VM (a repeat while it is Terminating changes nothing); creation stops first.
    /// A Failed node has no VM to wait for: it counts as gone at once (manageInfo.go:3459 @v0.13.0).
    /// </summary>
    private async Task BeginAsync(InfraRecord infra, NodeRecord node)
    {
        lock (state.Sync)
            if (node.Status is NodeStatus.Terminating or NodeStatus.Terminated or NodeStatus.Failed) return;
        await node.Lifecycle.CancelAsync();
        try
        {
            await node.Creation.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            logger.LogWarning("Creation of node {Node} of {Infra} did not stop within 30 s", node.Id, infra.Id);
        }
        lock (state.Sync)
        {
            if (node.Status is NodeStatus.Terminating or NodeStatus.Terminated) return;
            node.Status = NodeStatus.Terminating;
            node.TargetAction = "Terminate";
            node.TargetStatus = NodeStatus.Terminated;
            node.SystemMessage = "";
        }
        node.Settled.TrySetResult();
        state.NotifyChanged();
        Complete(node);
    }

    /// <summary>After the termination time the VM is gone: Terminated, its sshd stopped.</summary>
    private void Complete(NodeRecord node)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(timing.TerminationTimeOf(node.ConnectionName), _stopping.Token);
                // The VM is gone before anyone reads Terminated.
                VirtualMachine? vm;
                lock (state.Sync) vm = node.Machine;
                if (vm is not null) await machines.DestroyAsync(vm);
                lock (state.Sync)
                {
                    node.Machine = null;
                    node.Status = NodeStatus.Terminated;
                    node.TargetAction = NodeStatus.None;
                    node.TargetStatus = NodeStatus.None;
                }
                state.NotifyChanged();
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                // The sandbox stops: its VMs go with it.
            }
        });
        lock (_lock)
        {
            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(task);
        }
    }

    private bool IsWhollyTerminated(InfraRecord infra)
    {
        lock (state.Sync) return IsTerminated(WireViews.StatusText(infra));
    }

    private static bool IsTerminated(string status) => !status.StartsWith("Partial-", StringComparison.Ordinal) && status.Contains(NodeStatus.Terminated, StringComparison.Ordinal);

    /// <summary>Terminated, Undefined, Failed, Preparing, Prepared or Empty, and not Partial (manageInfo.go:3190 @v0.13.0).</summary>
    private static bool IsDeletable(string status) =>
        !status.StartsWith("Partial-", StringComparison.Ordinal)
        && new[] { "Terminated", "Undefined", "Failed", "Preparing", "Prepared", "Empty" }.Any(s => status.Contains(s, StringComparison.Ordinal));

    private IResult Failed(NodeRecord node, string reason)
    {
        logger.LogInformation("DELETE of node {Node} failed: {Reason}", node.Id, reason);
        return TumblebugEmulatorApi.Error(StatusCodes.Status400BadRequest, "Failed to delete the Node info");
    }
}
