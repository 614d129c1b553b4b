using Ladybug.Sandbox.Simulator.Network;

namespace Ladybug.Sandbox.Simulator.Kubernetes;

/// <summary><c>join-worker</c>: joins through the local haproxy (HA) or straight to the leader; a registered node is left alone.</summary>
internal sealed class JoinWorkerStep : KubernetesStep
{
    public override string Name => "join-worker";

    protected override async Task<int> RunAsync(NodeStepContext context, StepArguments args)
    {
        var name = NodeName(args);
        var endpoint = args.Required("endpoint");
        var endpointIp = args.Ipv4("endpoint-ip");
        var criSocket = args.Required("cri-socket");
        var token = args.Matching("token", TokenPattern(), "a bootstrap token ([a-z0-9]{6}.[a-z0-9]{16})");
        var hash = args.Matching("discovery-hash", HashPattern(), "a discovery hash (sha256:<64 hex digits>)");
        var state = RequirePrepared(context);
        RequireSameName(state, name);
        KubeadmInitStep.RequireCriSocket(state, criSocket);

        var mapped = MapEndpoint(context, endpoint.Split(':')[0], endpointIp);
        var cluster = Cluster(context);
        if (state.JoinedAs is not null && cluster.Nodes.TryGetValue(name, out var existing) && existing.Joined)
        {
            await context.WorkAsync([mapped, Log($"{name} has already joined this cluster")]);
            return 0;
        }
        // Through the local haproxy the API is whichever control plane it balances to.
        var apiIp = endpointIp == "127.0.0.1" ? ThroughHaproxy(context, state, cluster, endpoint) : endpointIp;
        JoinControlPlaneStep.RequireServingControlPlane(cluster, apiIp, endpoint);
        if (endpointIp != "127.0.0.1") JoinControlPlaneStep.RequireReachableApi(context, apiIp, endpoint);
        RequireValidToken(cluster, token, endpoint);
        RequireDiscoveryHash(cluster, hash);
        var skew = MinorOf(cluster.Version) - MinorOf(state.Version);
        if (skew is < 0 or > 2)
            throw new NodeStepFailure($"error execution phase kubelet-start: the kubelet version v{state.Version} is not supported by the control plane v{cluster.Version}", 1, verbatim: true);

        await context.WorkAsync([mapped, .. KubeadmOutput.Join(cluster.Version, name, endpoint, controlPlane: false, state.PublicIp ?? context.Node.Identity.PublicIp),
            Log($"{name} joined as a worker")]);
        UpdateCluster(context, c => NodeIpam.Register(c, NewNode(context, state, Worker, state.PublicIp ?? context.Node.Identity.PublicIp)));
        context.Node.WriteFile(KubeletKubeconfig, $"# kubelet of {name}\n");
        UpdateNode(context, s => s with { JoinedAs = Worker });
        NodeNetwork.Listen(context, [NodeNetwork.Kubelet], NodeNetwork.KubeletOnly());
        return 0;
    }

    /// <summary>
    /// haproxy sends the connection to a backend its health check finds up: a control plane of this cluster whose
    /// 6443 this node can reach. With none up it accepts the connection and closes it, which the client sees as EOF.
    /// </summary>
    private static string ThroughHaproxy(NodeStepContext context, NodeKubeState state, KubernetesCluster cluster, string endpoint)
    {
        var serving = state.HaproxyBackends.Select(b => b.Split(':')[0])
            .Where(ip => cluster.Nodes.Values.Any(n => n.Role == ControlPlane && n.InternalIp == ip))
            .ToList();
        var failure = $"error execution phase preflight: couldn't validate the identity of the API Server: Get \"https://{endpoint}/api/v1/namespaces/kube-public/configmaps/cluster-info?timeout=10s\": ";
        if (serving.Count == 0)
            throw new NodeStepFailure(failure + "dial tcp 127.0.0.1:6443: connect: connection refused (no haproxy with a live control plane on this node)", 1, verbatim: true);
        return serving.FirstOrDefault(ip => NodeNetwork.Dial(context, ip, 6443) == Reach.Connected)
            ?? throw new NodeStepFailure(failure + "EOF", 1, verbatim: true);
    }
}

/// <summary><c>reset</c>: kubeadm reset. The Node object stays (NotReady) as with the real tool; a control plane's etcd member goes.</summary>
internal sealed class ResetStep : KubernetesStep
{
    public override string Name => "reset";

    protected override async Task<int> RunAsync(NodeStepContext context, StepArguments args)
    {
        var criSocket = args.Required("cri-socket");
        var state = NodeState(context);
        if (state.IsPrepared)
            KubeadmInitStep.RequireCriSocket(state, criSocket);
        var name = state.NodeName ?? context.Node.Identity.Hostname;
        var wasControlPlane = state.JoinedAs == ControlPlane;

        List<string> lines = state.IsPrepared
            ?
            [
                "[reset] Reading configuration from the cluster...",
                "[reset] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'",
                .. wasControlPlane ? ["[reset] Removing info for node \"" + name + "\" from the ConfigMap \"kubeadm-config\" in the \"kube-system\" Namespace"] : Array.Empty<string>(),
                "[preflight] Running pre-flight checks",
                "[reset] Stopping the kubelet service",
                "[reset] Unmounting mounted directories in \"/var/lib/kubelet\"",
                "[reset] Deleting contents of config directories: [/etc/kubernetes/manifests /etc/kubernetes/pki]",
                "[reset] Deleting files: [/etc/kubernetes/admin.conf /etc/kubernetes/kubelet.conf /etc/kubernetes/bootstrap-kubelet.conf /etc/kubernetes/controller-manager.conf /etc/kubernetes/scheduler.conf]",
                "[reset] Deleting contents of stateful directories: [/var/lib/kubelet /var/lib/dockershim /var/run/kubernetes /var/lib/cni]",
                "",
                "The reset process does not clean CNI configuration. To do so, you must remove /etc/cni/net.d",
                "",
                "The reset process does not reset or clean up iptables rules or IPVS tables.",
                $"{state.Runtime} restarted",
                Log($"kubeadm state on {name} reset"),
            ]
            : [Log($"kubeadm state on {name} reset")];
        await context.WorkAsync(lines);

        foreach (var file in new[] { AdminKubeconfig, KubeletKubeconfig, "/etc/kubernetes/manifests/kube-controller-manager.yaml" })
            context.Node.DeleteFile(file);
        UpdateNode(context, s => s with { JoinedAs = null });
        NodeNetwork.CloseAll(context);
        var machine = context.Node.Identity.Id;
        UpdateCluster(context, c => c with
        {
            ControlPlaneJoining = c.ControlPlaneJoining == name ? null : c.ControlPlaneJoining,
            EtcdMembers = wasControlPlane || c.ControlPlaneJoining == name ? [.. c.EtcdMembers.Where(m => m.Name != name)] : c.EtcdMembers,
            Nodes = new(c.Nodes.ToDictionary(p => p.Key, p => p.Value.Machine == machine ? p.Value with { Joined = false } : p.Value), StringComparer.Ordinal),
        });
        return 0;
    }
}
