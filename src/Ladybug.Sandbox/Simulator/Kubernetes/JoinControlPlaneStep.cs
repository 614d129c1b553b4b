using Ladybug.Sandbox.Catalog;
using System.Globalization;
using Ladybug.Sandbox.Simulator.Network;

namespace Ladybug.Sandbox.Simulator.Kubernetes;

/// <summary>
/// <c>join-control-plane</c>: one more control plane and etcd member. Joins must come one at a time: a second one
/// while the first is still adding its etcd member fails the way etcd does.
/// </summary>
internal sealed class JoinControlPlaneStep : KubernetesStep
{
    public override string Name => "join-control-plane";

    protected override async Task<int> RunAsync(NodeStepContext context, StepArguments args)
    {
        var name = NodeName(args);
        var endpoint = args.Required("endpoint");
        var bootstrapIp = args.Ipv4("bootstrap-ip");
        var advertise = args.Ipv4("advertise-address");
        var criSocket = args.Required("cri-socket");
        var token = args.Matching("token", TokenPattern(), "a bootstrap token ([a-z0-9]{6}.[a-z0-9]{16})");
        var hash = args.Matching("discovery-hash", HashPattern(), "a discovery hash (sha256:<64 hex digits>)");
        var certificateKey = args.Matching("certificate-key", CertificateKeyPattern(), "a certificate key (64 hex digits)");
        var state = RequirePrepared(context);
        RequireSameName(state, name);
        KubeadmInitStep.RequireCriSocket(state, criSocket);
        var endpointHost = endpoint.Split(':')[0];

        var cluster = Cluster(context);
        if (state.JoinedAs == ControlPlane && cluster.Nodes.ContainsKey(name) && context.Node.FileExists(AdminKubeconfig))
        {
            await context.WorkAsync([MapEndpoint(context, endpointHost, "127.0.0.1"), Log($"{name} is already a control plane of this cluster")]);
            return 0;
        }
        var mapped = MapEndpoint(context, endpointHost, bootstrapIp);
        RequireServingControlPlane(cluster, bootstrapIp, endpoint);
        RequireReachableApi(context, bootstrapIp, endpoint);
        RequireValidToken(cluster, token, endpoint);
        RequireDiscoveryHash(cluster, hash);
        if (cluster.CertificateKey != certificateKey || cluster.CertificatesUploadedAt < DateTimeOffset.UtcNow.AddHours(-2))
            throw new NodeStepFailure("error execution phase control-plane-prepare/download-certs: error downloading certs: error decoding certificate key: " +
                "the Secret does not include the required certificate or key - name: external-etcd.crt", 1, verbatim: true);
        if (MinorOf(state.Version) != MinorOf(cluster.Version))
            throw new NodeStepFailure($"error execution phase preflight: this node has kubelet v{state.Version}; the control plane runs v{cluster.Version}", 1, verbatim: true);
        EtcdNetwork.RequireHealthyCluster(context, cluster);
        var etcdListeners = NodeNetwork.EtcdListeners(NodeNetwork.Read(context).Etcd, advertise);
        EtcdNetwork.RequireBindable(context, etcdListeners);

        // Adding the etcd member: the moment two joins at once break etcd.
        UpdateCluster(context, c =>
        {
            if (c.ControlPlaneJoining is { } other && other != name)
                throw new NodeStepFailure(
                    $"error execution phase control-plane-join/etcd: error creating local etcd static pod manifest file: etcdserver: unhealthy cluster " +
                    $"(member {other} is still joining: control planes must join one at a time)", 1, verbatim: true);
            return c with
            {
                ControlPlaneJoining = name,
                EtcdMembers = [.. c.EtcdMembers.Where(m => m.Name != name), new EtcdMember(KubeadmInitStep.EtcdMemberId(name), name, $"https://{advertise}:2380")],
            };
        });
        NodeNetwork.Listen(context, [NodeNetwork.Etcd], etcdListeners);
        // The member is added before its peers must reach it: a failure here leaves it in the cluster, as with kubeadm.
        EtcdNetwork.RequirePeersConnect(context, cluster, name, advertise);
        var lines = new List<string> { mapped };
        lines.AddRange(KubeadmOutput.Join(cluster.Version, name, endpoint, controlPlane: true, advertise));
        lines.Add(MapEndpoint(context, endpointHost, "127.0.0.1"));
        lines.Add(Log($"{name} joined as a control plane"));
        await context.WorkAsync(lines);

        var issued = ClusterCertificates.Fresh(cluster, DateTimeOffset.UtcNow);
        var joined = UpdateCluster(context, c => NodeIpam.Register(c with
        {
            ControlPlaneJoining = null,
            Certificates = new(c.Certificates, StringComparer.Ordinal) { [name] = ControlPlaneCertificates.Started(issued) },
        }, NewNode(context, state, ControlPlane, advertise)));
        context.Node.WriteFile(AdminKubeconfig, ClusterCertificates.AdminKubeconfig(joined, issued));
        context.Node.WriteFile(KubeletKubeconfig, $"# kubelet of {name}\n");
        UpdateNode(context, s => s with { JoinedAs = ControlPlane });
        NodeNetwork.Listen(context, [NodeNetwork.ApiServer, NodeNetwork.Kubelet], NodeNetwork.ApiServerAndKubelet());
        return 0;
    }

    /// <summary>kubeadm's discovery fetches cluster-info from <paramref name="ip"/>:6443; a firewall or a missing listener stops it there.</summary>
    internal static void RequireReachableApi(NodeStepContext context, string ip, string endpoint)
    {
        var reach = NodeNetwork.Dial(context, ip, 6443);
        if (reach != Reach.Connected)
            throw new NodeStepFailure(
                $"error execution phase preflight: couldn't validate the identity of the API Server: Get \"https://{endpoint}/api/v1/namespaces/kube-public/configmaps/cluster-info?timeout=10s\": " +
                NetworkPaths.DialError(reach, ip, 6443), 1, verbatim: true);
    }

    /// <summary>The joining node reaches the API at <paramref name="ip"/>: some control plane of this cluster must serve there.</summary>
    internal static void RequireServingControlPlane(KubernetesCluster cluster, string ip, string endpoint)
    {
        if (!cluster.IsInitialized || !cluster.Nodes.Values.Any(n => n.Role == ControlPlane && n.Joined && n.InternalIp == ip))
            throw new NodeStepFailure(
                $"error execution phase preflight: couldn't validate the identity of the API Server: Get \"https://{endpoint}/api/v1/namespaces/kube-public/configmaps/cluster-info?timeout=10s\": " +
                $"dial tcp {ip}:6443: connect: connection refused", 1, verbatim: true);
        if (cluster.Endpoint != endpoint)
            throw new NodeStepFailure($"error execution phase preflight: the API server at {ip} serves {cluster.Endpoint}, not {endpoint}", 1, verbatim: true);
    }
}
