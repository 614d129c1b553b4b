using Ladybug.Sandbox.Catalog;
using Ladybug.Sandbox.Machines;
using Ladybug.Sandbox.Simulator;
using Microsoft.Extensions.Logging;

namespace Ladybug.Sandbox.Emulator;

/// <summary>
/// Takes nodes from Creating to Running (or Failed) the way a cloud would: after a delay, with the faults of the
/// moment applied, ending with a booted sshd VM. Deleting a node or an Infra stops its creation and its sshd.
/// </summary>
internal sealed class InfraProvisioner(EmulatorState state, SandboxMachines machines, SandboxControl control, SandboxOptions options, CloudCatalog catalog, ILogger logger)
{
    private readonly SandboxNetworkPublisher _network = new(state, machines);

    public void Launch(InfraRecord infra, NodeRecord node) => node.Creation = Task.Run(() => CreateAsync(infra, node));

    /// <summary>Tumblebug's creating calls answer only when every node reached a final state — or its own wait ran out.</summary>
    public async Task WaitSettledAsync(IEnumerable<NodeRecord> nodes, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(nodes.Select(n => n.Settled.Task)).WaitAsync(options.CreationWaitLimit, cancellationToken);
        }
        catch (TimeoutException)
        {
            logger.LogInformation("A creating call answered after {Limit} with nodes still Creating", options.CreationWaitLimit);
        }
    }

    /// <summary>Stops the nodes and removes the Infra; returns Tumblebug's "[Done] …" lines.</summary>
    public async Task<IReadOnlyList<string>> DeleteInfraAsync(InfraRecord infra)
    {
        List<NodeRecord> nodes;
        lock (state.Sync)
        {
            infra.Deleted = true;
            state.Infras.Remove((infra.Namespace, infra.Id));
            nodes = [.. infra.Nodes];
        }
        state.NotifyChanged();
        await Task.WhenAll(nodes.Select(StopAsync));
        machines.DeleteInfraDirectory(infra.Namespace, infra.Id);
        return
        [
            .. nodes.OrderBy(n => n.Id, StringComparer.Ordinal).Select(n => $"[Done] Node: {n.Id}"),
            .. nodes.Select(n => n.NodeGroupId).Distinct().Order(StringComparer.Ordinal).Select(g => $"[Done] NodeGroup: {g}"),
            $"[Done] Infra: {infra.Id}",
        ];
    }

    /// <summary>At shutdown: stops every creation still running (their VMs are stopped with the sandbox's machines).</summary>
    public async Task StopAllAsync()
    {
        List<NodeRecord> nodes;
        lock (state.Sync) nodes = [.. state.Infras.Values.SelectMany(i => i.Nodes)];
        foreach (var node in nodes) await node.Lifecycle.CancelAsync();
        await Task.WhenAll(nodes.Select(n => n.Creation)).WaitAsync(TimeSpan.FromSeconds(30));
        // Creating calls still waiting on them answer now.
        foreach (var node in nodes) node.Settled.TrySetResult();
    }

    /// <summary>
    /// After the sandbox's host restarted on a kept state directory: Running nodes get their VM back (same directory,
    /// host key, address and — if still free — port); Creating nodes carry on being created, as a cloud goes on
    /// creating a VM whoever asked for it; Failed nodes stay as they were.
    /// </summary>
    public async Task RestoreAsync(IReadOnlyDictionary<NodeRecord, NodeIdentity> savedMachines, CancellationToken cancellationToken)
    {
        List<(InfraRecord Infra, NodeRecord Node)> nodes;
        lock (state.Sync) nodes = [.. state.Infras.Values.SelectMany(i => i.Nodes.Select(n => (i, n)))];
        machines.RemoveDirectoriesExcept(nodes.Select(n => (n.Infra.Namespace, n.Infra.Id)).Distinct(),
            nodes.Where(n => n.Node.Status == NodeStatus.Running).Select(n => savedMachines.GetValueOrDefault(n.Node)).OfType<NodeIdentity>());
        // Running VMs take their addresses back before any new VM is handed one.
        await Task.WhenAll(nodes.Where(n => n.Node.Status == NodeStatus.Running)
            .Select(n => RestoreRunningAsync(n.Infra, n.Node, savedMachines.GetValueOrDefault(n.Node), cancellationToken)));
        foreach (var (infra, node) in nodes.Where(n => n.Node.Status == NodeStatus.Creating))
            Launch(infra, node);
        foreach (var (_, node) in nodes.Where(n => n.Node.Status is not (NodeStatus.Creating or NodeStatus.Running)))
            node.Settled.TrySetResult();
    }

    private async Task RestoreRunningAsync(InfraRecord infra, NodeRecord node, NodeIdentity? saved, CancellationToken cancellationToken)
    {
        try
        {
            if (saved is null) throw new InvalidOperationException("the saved state has no VM for it");
            var vm = await machines.RestoreAsync(saved, cancellationToken);
            lock (state.Sync) node.Machine = vm;
            _network.Publish(infra, node);
            await machines.StartAsync(vm, cancellationToken);
            if ((vm.Identity.PublicIp, vm.Identity.SshPort) != (saved.PublicIp, saved.SshPort))
            {
                var moved = $"The sandbox restarted and {saved.PublicIp}:{saved.SshPort} was taken meanwhile; the VM now answers SSH on {vm.Identity.PublicIp}:{vm.Identity.SshPort}.";
                logger.LogWarning("Node {Node} of {Infra}: {Moved}", node.Id, infra.Id, moved);
                lock (state.Sync) node.SystemMessage = moved;
            }
            state.NotifyChanged();
            node.Settled.TrySetResult();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Sandbox VM {Node} of {Infra} could not be brought back after a restart", node.Id, infra.Id);
            Settle(node, NodeStatus.Failed, $"The sandbox restarted and could not bring the VM back: {ex.Message}");
        }
    }

    /// <summary>A deleted node's record is gone: so is its place in the Infra's network document.</summary>
    public void ForgetNetwork(InfraRecord infra, NodeRecord node) => _network.Remove(infra, node);

    private async Task StopAsync(NodeRecord node)
    {
        await node.Lifecycle.CancelAsync();
        try
        {
            await node.Creation.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            logger.LogWarning("Creation of node {Node} did not stop within 30 s", node.Id);
        }
        node.Settled.TrySetResult();
        VirtualMachine? vm;
        lock (state.Sync)
        {
            vm = node.Machine;
            node.Status = NodeStatus.Terminated;
            node.TargetAction = NodeStatus.None;
            node.TargetStatus = NodeStatus.None;
        }
        if (vm is not null) await machines.DestroyAsync(vm);
    }

    private async Task CreateAsync(InfraRecord infra, NodeRecord node)
    {
        var cancellationToken = node.Lifecycle.Token;
        var connection = node.ConnectionName;
        try
        {
            await Task.Delay(options.VmCreateDelay, cancellationToken);
            var faults = control.Faults;
            if (CspSpecRefusal.For(catalog, node) is { } refusal)
            {
                Settle(node, NodeStatus.Failed, refusal);
                return;
            }
            if (machines.Problem is { } problem)
            {
                Settle(node, NodeStatus.Failed, problem);
                return;
            }
            if (faults.FailCreateOnConnections.Contains(connection, StringComparer.OrdinalIgnoreCase))
            {
                Settle(node, NodeStatus.Failed, $"Sandbox fault: VM creation fails on connection {connection} (Ladybug:Sandbox:Faults:FailCreateOnConnections).");
                return;
            }
            if (faults.NeverRunningOnConnections.Contains(connection, StringComparer.OrdinalIgnoreCase))
            {
                logger.LogInformation("Node {Node} on {Connection} stays Creating (NeverRunningOnConnections)", node.Id, connection);
                return;
            }

            var key = await machines.GetKeyAsync(infra.Namespace, node.SshKeyId, cancellationToken);
            var vm = await machines.CreateAsync(Identity(infra, node), key.PublicKey, cancellationToken);
            lock (state.Sync)
            {
                node.Machine = vm;
                node.CspSshKeyId = key.Uid;
            }
            _network.Publish(infra, node);
            state.NotifyChanged();
            if (faults.SshRefusedSeconds > 0)
            {
                // A slow boot: the cloud says Running before sshd listens.
                Settle(node, NodeStatus.Running, "");
                await Task.Delay(TimeSpan.FromSeconds(faults.SshRefusedSeconds), cancellationToken);
                await machines.StartAsync(vm, cancellationToken);
                state.NotifyChanged(); // the port may have moved
            }
            else
            {
                await machines.StartAsync(vm, cancellationToken);
                Settle(node, NodeStatus.Running, "");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Deleted while being created: the deletion stops whatever was started.
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Sandbox VM {Node} of {Infra} could not be created", node.Id, infra.Id);
            Settle(node, NodeStatus.Failed, $"The sandbox could not create the VM: {ex.Message}");
        }
    }

    private void Settle(NodeRecord node, string status, string message)
    {
        lock (state.Sync)
        {
            node.Status = status;
            node.SystemMessage = message;
            node.TargetAction = NodeStatus.None;
            node.TargetStatus = NodeStatus.None;
        }
        state.NotifyChanged();
        node.Settled.TrySetResult();
    }

    private static NodeIdentity Identity(InfraRecord infra, NodeRecord node) => new()
    {
        Id = node.Id,
        Uid = node.Uid,
        Hostname = node.Uid,
        Namespace = infra.Namespace,
        InfraId = infra.Id,
        NodeGroupId = node.NodeGroupId,
        Connection = node.ConnectionName,
        Csp = node.Region.Provider,
        Region = node.Region.Region,
        Zone = node.Region.AssignedZone,
        PrivateIp = node.PrivateIp,
        Spec = node.Spec.CspSpecName,
        VCpu = node.Spec.VCpu,
        MemoryGiB = node.Spec.MemoryGiB,
        UbuntuRelease = node.Image.UbuntuRelease,
    };
}
