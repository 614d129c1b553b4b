using Ladybug.Sandbox.Machines;
using Ladybug.Sandbox.Simulator;
using Ladybug.Sandbox.Simulator.Network;

namespace Ladybug.Sandbox.Emulator;

/// <summary>
/// Writes what the cloud decides about a VM's network into its Infra's network document (network.json in the cluster
/// directory), where the simulated steps read it: its public address (the 127.0.x.y loopback), its private one and the
/// inbound rules of its node group's security group.
/// </summary>
internal sealed class SandboxNetworkPublisher(EmulatorState state, SandboxMachines machines)
{
    public void Publish(InfraRecord infra, NodeRecord node)
    {
        string? publicIp;
        SecurityGroupRecord? group;
        var sgId = $"{infra.Id}-{node.NodeGroupId}";
        lock (state.Sync)
        {
            publicIp = node.Machine?.Identity.PublicIp;
            group = state.SecurityGroups.Groups.GetValueOrDefault((infra.Namespace, sgId));
        }
        // A VM restored from a state file written before the sandbox had security groups has none to model.
        if (publicIp is null || group is null) return;
        var rules = SecurityGroupBook.ResolveInternal(group.Inbound, node.PrivateIp);
        Cluster(infra).Update<NetworkDocument>(NetworkDocument.Document, doc => doc with
        {
            Nodes = new(doc.Nodes, StringComparer.Ordinal)
            {
                [node.Id] = (doc.Nodes.GetValueOrDefault(node.Id) ?? new NetworkNode()) with
                {
                    NodeId = node.Id, PublicIp = publicIp, PrivateIp = node.PrivateIp, SecurityGroup = sgId, Inbound = rules,
                },
            },
        });
    }

    public void Remove(InfraRecord infra, NodeRecord node)
    {
        var cluster = Cluster(infra);
        if (!Directory.Exists(cluster.Directory)) return;
        cluster.Update<NetworkDocument>(NetworkDocument.Document, doc => doc with
        {
            Nodes = new(doc.Nodes.Where(n => n.Key != node.Id), StringComparer.Ordinal),
        });
    }

    /// <summary>The document as the simulator sees it (for the admin API).</summary>
    public NetworkDocument Read(string ns, string infraId) =>
        new SimulatedCluster(machines.ClusterDirectory(ns, infraId)).Read<NetworkDocument>(NetworkDocument.Document);

    private SimulatedCluster Cluster(InfraRecord infra) => new(machines.ClusterDirectory(infra.Namespace, infra.Id));
}
