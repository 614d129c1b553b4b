using System.Text.Json.Nodes;
using Ladybug.Sandbox.Catalog;
using Ladybug.Sandbox.Simulator.Kubernetes;

namespace Ladybug.Sandbox.KubeApi;

/// <summary>
/// The kube-system pods a kubeadm cluster of this state runs: the static control-plane pods of every control plane
/// (kubeadm cmd/kubeadm/app/phases/controlplane/manifests.go, etcd/local.go: mirror pods named
/// "&lt;component&gt;-&lt;node&gt;"), kube-proxy on every node (a DaemonSet), the pod network's DaemonSet (canal or kilo,
/// once applied) and CoreDNS's two replicas (kubeadm's CoreDNS Deployment, replicas 2), Pending until the pod
/// network makes a node Ready.
/// </summary>
internal static class KubePods
{
    public static IEnumerable<ApiObject> Of(KubernetesCluster cluster, IReadOnlyList<NodeHealth> nodes)
    {
        if (!cluster.IsInitialized) yield break;
        var (minor, patch) = UpstreamArtifacts.Split(cluster.Version);
        var kubeadm = UpstreamArtifacts.Instance.Kubeadm(minor);
        var repository = kubeadm?.DefaultRepositoryAt(patch) ?? "registry.k8s.io";
        // Mirror and DaemonSet pods come with their node; the Deployments' pods exist from kubeadm init (or the CNI apply) on.
        var created = nodes.Count == 0 ? DateTimeOffset.UtcNow : nodes.Min(n => n.Node.CreatedAt);
        var joined = nodes.Where(n => n.Node.Joined).OrderBy(n => n.Node.CreatedAt).ThenBy(n => n.Node.Name, StringComparer.Ordinal).ToList();

        foreach (var health in joined)
        {
            var node = health.Node;
            if (node.Role == KubernetesStep.ControlPlane)
            {
                foreach (var component in new[] { "etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler" })
                {
                    var image = component == "etcd" ? $"{repository}/etcd:{kubeadm?.Etcd ?? "3.5.6-0"}" : $"{repository}/{component}:v{cluster.Version}";
                    yield return Pod(created, $"{component}-{node.Name}", health, image, new() { ["component"] = component, ["tier"] = "control-plane" }, hostNetwork: true, podIp: null);
                }
            }
            yield return Pod(created, $"kube-proxy-{KubernetesStep.PodSuffix("proxy" + node.Name)}", health, $"{repository}/kube-proxy:v{cluster.Version}",
                new() { ["k8s-app"] = "kube-proxy" }, hostNetwork: true, podIp: null);
            if (cluster.Cni == "canal")
                yield return Pod(created, $"canal-{KubernetesStep.PodSuffix(node.Name)}", health, "docker.io/calico/node", new() { ["k8s-app"] = "canal" }, hostNetwork: true, podIp: null);
            else if (cluster.Cni == "kilo")
                yield return Pod(created, $"kilo-{KubernetesStep.PodSuffix(node.Name)}", health, "docker.io/squat/kilo", new() { ["app.kubernetes.io/name"] = "kilo" }, hostNetwork: true, podIp: null);
        }

        // Pods of Deployments land on nodes that are Ready (the not-ready taint keeps them off the others).
        var ready = joined.Where(n => cluster.IsReady(n.Node)).ToList();
        var dnsImage = $"{(repository == kubeadm?.DefaultRepositoryAt(patch) ? repository + "/coredns" : repository)}/coredns:{kubeadm?.CoreDns ?? "v1.8.6"}";
        var dnsTemplate = KubernetesStep.PodSuffix(cluster.Name + "coredns") + "d4b75cb6d";
        for (var replica = 0; replica < 2; replica++)
        {
            var host = ready.Count == 0 ? null : ready[replica % ready.Count];
            yield return Pod(created, $"coredns-{dnsTemplate[..10]}-{KubernetesStep.PodSuffix("dns" + replica)}", host, dnsImage, new() { ["k8s-app"] = "kube-dns" },
                hostNetwork: false, podIp: host is null ? null : PodIp(cluster, host, 2 + replica));
        }
        if (cluster.Cni == "canal")
        {
            var host = ready.Count == 0 ? null : ready[0];
            yield return Pod(created, $"calico-kube-controllers-{KubernetesStep.PodSuffix(cluster.Name + "calico")}c9d7f-{KubernetesStep.PodSuffix("calico")}", host,
                "docker.io/calico/kube-controllers", new() { ["k8s-app"] = "calico-kube-controllers" }, hostNetwork: false, podIp: host is null ? null : PodIp(cluster, host, 4));
        }
    }

    /// <summary>A pod bound to <paramref name="host"/> (Running), or not bound at all (Pending, Unschedulable).</summary>
    private static ApiObject Pod(DateTimeOffset created, string name, NodeHealth? host, string image, Dictionary<string, string> labels, bool hostNetwork, string? podIp)
    {
        var node = host?.Node;
        var container = image.Split('/')[^1].Split(':')[0];
        var started = node is null ? (DateTimeOffset?)null : node.CreatedAt > created ? node.CreatedAt : created;
        // The node lifecycle controller marks every pod of an unreachable node not Ready (MarkPodsNotReady in
        // kubernetes pkg/controller/util/node/controller_utils.go); the containers' own statuses stay as last posted.
        var podReady = host is { Unreachable: false, Node.Joined: true };
        var ip = hostNetwork ? node?.InternalIp : podIp;
        var status = new JsonObject
        {
            ["phase"] = node is null ? "Pending" : "Running",
            ["qosClass"] = "Burstable",
        };
        if (node is null)
        {
            status["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "PodScheduled", ["status"] = "False", ["reason"] = "Unschedulable",
                ["message"] = "0/0 nodes are available: the pod network is not ready on any node.",
            });
        }
        else
        {
            var since = KubeObjects.Timestamp(started!.Value);
            status["conditions"] = new JsonArray(
                Condition("Initialized", "True", since),
                Condition("Ready", podReady ? "True" : "False", since),
                Condition("ContainersReady", "True", since),
                Condition("PodScheduled", "True", since));
            status["hostIP"] = node.InternalIp;
            if (!string.IsNullOrEmpty(ip))
            {
                status["podIP"] = ip;
                status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = ip });
            }
            status["startTime"] = since;
            status["containerStatuses"] = new JsonArray(new JsonObject
            {
                ["name"] = container,
                ["ready"] = true,
                ["started"] = true,
                ["restartCount"] = 0,
                ["image"] = image,
                ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = since } },
            });
        }
        var spec = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject { ["name"] = container, ["image"] = image }),
            ["priorityClassName"] = "system-node-critical",
        };
        if (node is not null) spec["nodeName"] = node.Name;
        if (hostNetwork) spec["hostNetwork"] = true;
        var body = new JsonObject
        {
            ["kind"] = "Pod",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = "kube-system",
                ["uid"] = KubeObjects.Uid("pod", name),
                ["creationTimestamp"] = KubeObjects.Timestamp(started ?? created),
                ["labels"] = KubeObjects.Strings(labels),
            },
            ["spec"] = spec,
            ["status"] = status,
        };
        return new ApiObject(KubeObjects.Pods, "kube-system", name, body);
    }

    private static JsonObject Condition(string type, string status, string since) => new()
    {
        ["type"] = type, ["status"] = status, ["lastProbeTime"] = null, ["lastTransitionTime"] = since,
    };

    /// <summary>An address from the node's pod subnet (the CNI's host-local or Calico IPAM hands them out from it).</summary>
    private static string? PodIp(KubernetesCluster cluster, NodeHealth host, int hostPart) =>
        KubeObjects.PodCidr(cluster, host.Node) is { } cidr ? cidr[..cidr.LastIndexOf('.')] + "." + hostPart : null;
}
