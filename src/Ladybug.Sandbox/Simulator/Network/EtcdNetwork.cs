using System.Net;
using Ladybug.Sandbox.Simulator.Kubernetes;

namespace Ladybug.Sandbox.Simulator.Network;

/// <summary>Stacked etcd across clouds: where it can bind, and whether the members reach each other's 2379/2380.</summary>
internal static partial class EtcdNetwork
{
    [System.Text.RegularExpressions.GeneratedRegex(@"^https?://[0-9]{1,3}(\.[0-9]{1,3}){3}:[0-9]{1,5}$")]
    private static partial System.Text.RegularExpressions.Regex ListenUrl();

    /// <summary>
    /// The listen URLs the engine put into etcd.local.extraArgs (<c>--etcd-listen-client-urls</c>,
    /// <c>--etcd-listen-peer-urls</c>); null when it set none, so kubeadm's defaults apply.
    /// </summary>
    public static EtcdListenUrls? Configured(StepArguments args)
    {
        var client = args.Optional("etcd-listen-client-urls");
        var peer = args.Optional("etcd-listen-peer-urls");
        foreach (var (name, value) in new[] { ("etcd-listen-client-urls", client), ("etcd-listen-peer-urls", peer) })
        {
            if (value is null) continue;
            foreach (var url in value.Split(',', StringSplitOptions.TrimEntries))
            {
                // etcd refuses anything but scheme://IP:port for a listen URL (etcd server/embed/config.go, "expected IP in URL for binding").
                if (!ListenUrl().IsMatch(url) || !IPAddress.TryParse(new Uri(url).Host, out _))
                    throw new NodeStepFailure($"--{name}: '{url}' is not a listen URL such as https://0.0.0.0:2379 (etcd binds only to IP addresses)");
            }
        }
        return client is null && peer is null ? null : new EtcdListenUrls(client, peer);
    }

    /// <summary>
    /// The form the script wrote etcd.local.extraArgs in (<c>--extra-args-form</c>, when extraArgs are given at all):
    /// a map up to kubeadm.k8s.io/v1beta3, a list of {name, value} from v1beta4 (kubernetes
    /// cmd/kubeadm/app/apis/kubeadm/v1beta3/types.go LocalEtcd.ExtraArgs map[string]string, v1beta4/types.go
    /// ExtraArgs []Arg). kubeadm's strict decoding refuses the other form before doing anything.
    /// </summary>
    public static void RequireExtraArgsForm(StepArguments args, string apiVersion)
    {
        var form = args.Optional("extra-args-form");
        if (form is null) return;
        var version = apiVersion.Split('/')[^1];
        var expected = version == "v1beta4" ? "list" : "map";
        if (form == expected) return;
        var (found, goType) = form == "map" ? ("object", $"[]{version}.Arg") : ("array", "map[string]string");
        throw new NodeStepFailure(
            $"error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {found} into Go struct field LocalEtcd.etcd.local.extraArgs of type {goType}",
            1, verbatim: true);
    }

    /// <summary>
    /// etcd can bind 0.0.0.0, loopback, and an address that is on one of the VM's interfaces now (<see cref="VmNetwork"/>:
    /// the NIC's private address, the public /32 the public-ip step adds, unless a networkd restart dropped it from a
    /// managed NIC): otherwise the kernel answers "bind: cannot assign requested address", etcd exits, and kubeadm gives
    /// up waiting for the control plane.
    /// </summary>
    public static void RequireBindable(NodeStepContext context, IEnumerable<Listener> listeners)
    {
        var network = VmNetwork.Of(context.Node);
        foreach (var listener in listeners)
        {
            var bindable = listener.Address is "0.0.0.0" or "127.0.0.1" || network.HasAddress(listener.Address);
            if (bindable) continue;
            var cause = $"(etcd: listen tcp {listener.Address}:{listener.Port}: bind: cannot assign requested address)";
            throw context.Step == "kubeadm-init"
                ? new NodeStepFailure($"[kubelet-check] Initial timeout of 40s passed.\nerror execution phase wait-control-plane: couldn't initialize a Kubernetes cluster {cause}", 1, verbatim: true)
                : new NodeStepFailure($"error execution phase control-plane-join/etcd: error creating local etcd static pod manifest file: timeout waiting for etcd cluster to be available {cause}", 1, verbatim: true);
        }
    }

    /// <summary>
    /// kubeadm's check-etcd phase dials every member's advertised client URL (https://&lt;advertise&gt;:2379) from the
    /// joining node before it adds a member; its error text is etcd clientv3's
    /// ("failed to dial endpoint %s with maintenance client", etcd client/v3/maintenance.go NewMaintenance).
    /// </summary>
    public static void RequireHealthyCluster(NodeStepContext context, KubernetesCluster cluster)
    {
        foreach (var member in cluster.EtcdMembers)
        {
            var ip = new Uri(member.PeerUrl).Host;
            if (NodeNetwork.Dial(context, ip, 2379) != Reach.Connected)
                throw new NodeStepFailure(
                    $"error execution phase check-etcd: etcd cluster is not healthy: failed to dial endpoint https://{ip}:2379 with maintenance client: context deadline exceeded",
                    1, verbatim: true);
        }
    }

    /// <summary>
    /// The new member and the existing ones must reach each other's peer port 2380 (its initial-cluster names every
    /// member's advertised peer URL); otherwise kubeadm's wait for the member to join times out.
    /// </summary>
    public static void RequirePeersConnect(NodeStepContext context, KubernetesCluster cluster, string joining, string advertise)
    {
        var network = NodeNetwork.Read(context);
        var self = context.Node.Identity.Id;
        foreach (var member in cluster.EtcdMembers.Where(m => m.Name != joining))
        {
            var peerIp = new Uri(member.PeerUrl).Host;
            var memberMachine = cluster.Nodes.GetValueOrDefault(member.Name)?.Machine;
            var outbound = NetworkPaths.Connect(network, self, peerIp, "tcp", 2380);
            var inbound = memberMachine is null ? Reach.Connected : NetworkPaths.Connect(network, memberMachine, advertise, "tcp", 2380);
            if (outbound == Reach.Connected && inbound == Reach.Connected) continue;
            var cause = outbound != Reach.Connected
                ? $"{NetworkPaths.DialError(outbound, peerIp, 2380)} to member {member.Name}"
                : $"member {member.Name}: {NetworkPaths.DialError(inbound, advertise, 2380)}";
            throw new NodeStepFailure(
                "[etcd] Waiting for the new etcd member to join the cluster. This can take up to 40s\n" +
                $"error execution phase control-plane-join/etcd: error creating local etcd static pod manifest file: timeout waiting for etcd cluster to be available (rafthttp: {cause})",
                1, verbatim: true);
        }
    }
}
