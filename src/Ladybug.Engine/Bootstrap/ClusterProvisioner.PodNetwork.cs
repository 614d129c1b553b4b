using System.Collections.Concurrent;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Jobs;

namespace Ladybug.Engine.Bootstrap;

internal sealed partial class ClusterProvisioner
{
    /// <summary>
    /// Proves the pod network carries traffic between nodes: a node is Ready once its CNI config exists, whether or not
    /// the clouds let the tunnel through (8472/udp for Canal's VXLAN, 51820/udp for Kilo's WireGuard), so a green
    /// wait-ready says nothing about it. The leader reads each node's tunnel address; then every node pings the others'
    /// through the tunnel, all at once, and the failing pairs are named. A create checks every pair; adding nodes
    /// checks the new nodes against every node.
    /// </summary>
    public async Task CheckPodNetworkAsync(JobContext context, NodeSelection selection, CancellationToken cancellationToken)
    {
        var state = await LoadStateAsync(context, cancellationToken);
        var facts = state.RequireFacts();
        if (state.Nodes.Count < 2 || !state.Nodes.Any(selection.Includes))
        {
            context.Info("One node: no tunnel between nodes to check");
            return;
        }
        var timeout = Settings.PodNetworkTimeout;
        var listed = await RunScriptAsync(context, state.Leader, renderer.OverlayAddresses(facts, state.Nodes.Select(n => n.Name), timeout), cancellationToken);
        var addresses = PodNetworkReport.ParseOverlay(listed.Stdout);
        var missing = state.Nodes.Select(n => n.Name).Where(n => !addresses.ContainsKey(n)).ToList();
        if (missing.Count > 0)
            throw new StepFailedException(BootstrapStep.OverlayAddresses.FailureReason, $"overlay-addresses reported no tunnel address for {string.Join(", ", missing)}.");

        var probes = new ConcurrentBag<PodNetworkProbe>();
        var checking = state.Nodes
            .Select(node => (Node: node, Peers: state.Nodes
                .Where(peer => peer.Name != node.Name && (selection.Includes(node) || selection.Includes(peer)))
                .Select(peer => new PodNetworkPeer(peer.Name, addresses[peer.Name])).ToList()))
            .Where(c => c.Peers.Count > 0).ToDictionary(c => c.Node.Name, StringComparer.Ordinal);
        await ForEachNodeAsync([.. checking.Values.Select(c => c.Node)], Settings.PrepareParallelism, async (node, token) =>
        {
            var peers = checking[node.Name].Peers;
            var result = await RunScriptAsync(context, node, renderer.PodNetworkCheck(facts, peers, timeout), token);
            var reported = PodNetworkReport.ParseProbes(node.Name, result.Stdout);
            foreach (var peer in peers.Where(p => !reported.Any(r => r.To == p.Name)))
                throw new StepFailedException(BootstrapStep.PodNetwork.FailureReason, $"pod-network on {node.Name} reported nothing for {peer.Name}.");
            foreach (var probe in reported) probes.Add(probe);
        }, cancellationToken);

        var cspOf = state.Nodes.ToDictionary(n => n.Name, n => n.Csp, StringComparer.Ordinal);
        if (PodNetworkReport.Failure(facts.Cni, probes, cspOf) is { } failure)
            throw new StepFailedException(BootstrapStep.PodNetwork.FailureReason, failure);
        var (port, tunnel) = PodNetworkReport.TunnelOf(facts.Cni);
        context.Info($"Pod network: {probes.Count} node pair(s) reach each other through {tunnel} ({port})");
    }
}
