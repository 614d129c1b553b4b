namespace Ladybug.Sandbox.Simulator.Network;

/// <summary>What the simulated steps do with the Infra's network document: open listeners, close them, dial.</summary>
public static class NodeNetwork
{
    public const string ApiServer = "kube-apiserver";
    public const string Kubelet = "kubelet";
    public const string Etcd = "etcd";

    public static NetworkDocument Read(NodeContext context) => context.Cluster.Read<NetworkDocument>(NetworkDocument.Document);

    public static NetworkDocument Update(NodeContext context, Func<NetworkDocument, NetworkDocument> change) =>
        context.Cluster.Update(NetworkDocument.Document, change);

    /// <summary>
    /// Replaces this node's listeners of the given processes with <paramref name="listeners"/>. A VM no cloud published
    /// (a simulator run without the emulator) has no network to model, so nothing is recorded for it.
    /// </summary>
    public static void Listen(NodeContext context, IReadOnlyCollection<string> processes, IEnumerable<Listener> listeners)
    {
        var id = context.Node.Identity.Id;
        var added = listeners.ToList();
        Update(context, doc =>
        {
            if (doc.Nodes.GetValueOrDefault(id) is not { } node) return doc;
            return doc with
            {
                Nodes = new(doc.Nodes, StringComparer.Ordinal)
                {
                    [id] = node with { Listeners = [.. node.Listeners.Where(l => !processes.Contains(l.Process)), .. added] },
                },
            };
        });
    }

    /// <summary>kubeadm reset: nothing of Kubernetes listens here any more.</summary>
    public static void CloseAll(NodeContext context) => Listen(context, [ApiServer, Kubelet, Etcd], []);

    /// <summary>A TCP connection from this VM (its public address is the source other clouds see).</summary>
    public static Reach Dial(NodeContext context, string ip, int port) =>
        NetworkPaths.Connect(Read(context), context.Node.Identity.Id, ip, "tcp", port);

    /// <summary>kube-apiserver's --bind-address and the kubelet's address default to 0.0.0.0.</summary>
    public static IEnumerable<Listener> ApiServerAndKubelet() =>
        [new Listener("tcp", "0.0.0.0", 6443, ApiServer), new Listener("tcp", "0.0.0.0", 10250, Kubelet)];

    public static IEnumerable<Listener> KubeletOnly() => [new Listener("tcp", "0.0.0.0", 10250, Kubelet)];

    /// <summary>
    /// etcd's listeners: the ClusterConfiguration's etcd.local.extraArgs when set, otherwise kubeadm's defaults
    /// listen-client-urls=https://127.0.0.1:2379,https://&lt;advertise&gt;:2379 and listen-peer-urls=https://&lt;advertise&gt;:2380
    /// (kubernetes cmd/kubeadm/app/phases/etcd/local.go getEtcdCommand @0009808f; extraArgs override by name there).
    /// Peers first: etcd's embed.StartEtcd configures its peer listeners before its client listeners
    /// (etcd server/embed/etcd.go StartEtcd), so a bind failure names 2380 first.
    /// </summary>
    public static IReadOnlyList<Listener> EtcdListeners(EtcdListenUrls? configured, string advertise)
    {
        var client = configured?.ClientUrls ?? $"https://127.0.0.1:2379,https://{advertise}:2379";
        var peer = configured?.PeerUrls ?? $"https://{advertise}:2380";
        return [.. UrlListeners(peer), .. UrlListeners(client)];
    }

    private static IEnumerable<Listener> UrlListeners(string urls) =>
        urls.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(url => new Uri(url))
            .Select(uri => new Listener("tcp", uri.Host, uri.Port, Etcd));
}
