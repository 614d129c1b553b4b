using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ladybug.Sandbox.Simulator;
using Ladybug.Sandbox.Simulator.Kubernetes;

namespace Ladybug.Sandbox.KubeApi;

/// <summary>One object of the simulated API server, before it is given a resourceVersion.</summary>
internal sealed record ApiObject(string Resource, string Namespace, string Name, JsonObject Body)
{
    public (string Resource, string Namespace, string Name) Key => (Resource, Namespace, Name);
}

/// <summary>What the simulated kubelet of one node last posted, as the node lifecycle controller sees it.</summary>
/// <param name="DownSince">When its VM stopped (or vanished); null while it runs.</param>
internal sealed record NodeHealth(KubeNode Node, NodeIdentity? Machine, DateTimeOffset? DownSince, bool Unreachable);

/// <summary>
/// The core/v1 objects of a simulated cluster, with upstream's field names (k8s.io/api core/v1 types.go: Node,
/// NodeSpec, NodeStatus, NodeCondition, NodeSystemInfo, Pod, Namespace) and what kubeadm, the kubelet and the
/// controllers put into them.
/// </summary>
internal static class KubeObjects
{
    public const string Nodes = "nodes";
    public const string Pods = "pods";
    public const string Namespaces = "namespaces";

    /// <summary>The namespaces a kubeadm cluster has from the start (kube-apiserver's system namespaces).</summary>
    public static readonly string[] SystemNamespaces = ["default", "kube-node-lease", "kube-public", "kube-system"];

    public static IEnumerable<ApiObject> All(KubernetesCluster cluster, IReadOnlyList<NodeHealth> nodes, Func<string, string, string, DateTimeOffset> since)
    {
        var created = nodes.Count == 0 ? DateTimeOffset.UtcNow : nodes.Min(n => n.Node.CreatedAt);
        foreach (var ns in SystemNamespaces)
            yield return new ApiObject(Namespaces, "", ns, Namespace(ns, created));
        foreach (var health in nodes)
            yield return new ApiObject(Nodes, "", health.Node.Name, Node(cluster, health, since));
        foreach (var pod in KubePods.Of(cluster, nodes))
            yield return pod;
    }

    public static JsonObject Namespace(string name, DateTimeOffset created) => new()
    {
        ["kind"] = "Namespace",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["uid"] = Uid("namespace", name),
            ["creationTimestamp"] = Timestamp(created),
            ["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = name },
        },
        ["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") },
        ["status"] = new JsonObject { ["phase"] = "Active" },
    };

    /// <summary>
    /// A Node as the kubelet registers and updates it. Its Ready condition: the kubelet's own (KubeletReady once the
    /// pod network is there, KubeletNotReady before), or — once the kubelet stopped posting for longer than the
    /// grace period — the node lifecycle controller's Unknown on every condition with the unreachable taints
    /// (kubernetes pkg/controller/nodelifecycle/node_lifecycle_controller.go tryUpdateNodeHealth: Status Unknown,
    /// Reason "NodeStatusUnknown", Message "Kubelet stopped posting node status."; doNoExecuteTaintingPass /
    /// markNodeAsReachable: node.kubernetes.io/unreachable NoExecute; TaintNodesByCondition: the same key NoSchedule).
    /// </summary>
    public static JsonObject Node(KubernetesCluster cluster, NodeHealth health, Func<string, string, string, DateTimeOffset> since)
    {
        var node = health.Node;
        var (status, reason, message) = health.Unreachable || !node.Joined
            ? ("Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.")
            : cluster.IsReady(node)
                ? ("True", "KubeletReady", "kubelet is posting ready status")
                : ("False", "KubeletNotReady",
                    "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized");
        var unknown = status == "Unknown";
        var readySince = since(node.Name, "Ready", status);

        var taints = new JsonArray();
        if (node.Role == KubernetesStep.ControlPlane)
            taints.Add(Taint(KubernetesStep.MinorOfVersion(cluster.Version) < 24 ? "node-role.kubernetes.io/master" : "node-role.kubernetes.io/control-plane", "NoSchedule"));
        if (node.Unschedulable)
            taints.Add(Taint("node.kubernetes.io/unschedulable", "NoSchedule"));
        if (unknown)
        {
            taints.Add(Taint("node.kubernetes.io/unreachable", "NoSchedule"));
            taints.Add(Taint("node.kubernetes.io/unreachable", "NoExecute", readySince));
        }
        else if (status == "False")
            taints.Add(Taint("node.kubernetes.io/not-ready", "NoSchedule"));

        var spec = new JsonObject();
        var podCidr = PodCidr(cluster, node);
        if (podCidr is not null)
        {
            spec["podCIDR"] = podCidr;
            spec["podCIDRs"] = new JsonArray(podCidr);
        }
        if (taints.Count > 0) spec["taints"] = taints;
        if (node.Unschedulable) spec["unschedulable"] = true;

        var addresses = new JsonArray();
        // Without a cloud provider the kubelet reports its --node-ip as InternalIP and its hostname, nothing else
        // (kubernetes pkg/kubelet/nodestatus/setters.go NodeAddress); one whose --node-ip failed validation reports none.
        if (node.InternalIp.Length > 0)
        {
            addresses.Add(new JsonObject { ["type"] = "InternalIP", ["address"] = node.InternalIp });
            addresses.Add(new JsonObject { ["type"] = "Hostname", ["address"] = node.Name });
        }

        var capacity = Capacity(health.Machine);
        var pressure = unknown
            ? ("Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.")
            : ("False", "", "");
        return new JsonObject
        {
            ["kind"] = "Node",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = node.Name,
                ["uid"] = Uid("node", node.Name + node.CreatedAt.ToUnixTimeMilliseconds()),
                ["creationTimestamp"] = Timestamp(node.CreatedAt),
                ["labels"] = Strings(node.Labels),
                ["annotations"] = Strings(node.Annotations),
            },
            ["spec"] = spec,
            ["status"] = new JsonObject
            {
                ["capacity"] = capacity.Capacity,
                ["allocatable"] = capacity.Allocatable,
                ["conditions"] = new JsonArray(
                    Condition("MemoryPressure", pressure, "KubeletHasSufficientMemory", "kubelet has sufficient memory available", since(node.Name, "MemoryPressure", pressure.Item1), health.DownSince),
                    Condition("DiskPressure", pressure, "KubeletHasNoDiskPressure", "kubelet has no disk pressure", since(node.Name, "DiskPressure", pressure.Item1), health.DownSince),
                    Condition("PIDPressure", pressure, "KubeletHasSufficientPID", "kubelet has sufficient PID available", since(node.Name, "PIDPressure", pressure.Item1), health.DownSince),
                    Condition("Ready", (status, reason, message), reason, message, readySince, health.DownSince)),
                ["addresses"] = addresses,
                ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = 10250 } },
                ["nodeInfo"] = new JsonObject
                {
                    ["machineID"] = Hex("machine-id", node.Machine, 32),
                    ["systemUUID"] = Uid("system", node.Machine),
                    ["bootID"] = Uid("boot", node.Machine + node.CreatedAt.ToUnixTimeMilliseconds()),
                    ["kernelVersion"] = UnameCommand.Kernel,
                    ["osImage"] = node.OsImage,
                    ["containerRuntimeVersion"] = node.ContainerRuntime,
                    ["kubeletVersion"] = node.KubeletVersion,
                    ["kubeProxyVersion"] = node.KubeletVersion,
                    ["operatingSystem"] = "linux",
                    ["architecture"] = "amd64",
                },
            },
        };
    }

    /// <summary>
    /// Capacity from the VM's spec; allocatable is capacity less the kubelet's default hard eviction threshold for
    /// memory, 100Mi (kubeadm reserves nothing else; kubernetes pkg/kubelet/eviction/defaults_linux.go
    /// DefaultEvictionHard), and 110 pods (kubelet --max-pods default).
    /// </summary>
    private static (JsonObject Capacity, JsonObject Allocatable) Capacity(NodeIdentity? machine)
    {
        var cpu = machine is { VCpu: > 0 } ? machine.VCpu : 2;
        var memoryKi = (long)Math.Round((machine is { MemoryGiB: > 0 } ? machine.MemoryGiB : 4) * 1024 * 1024);
        return (
            new JsonObject { ["cpu"] = cpu.ToString(CultureInfo.InvariantCulture), ["memory"] = $"{memoryKi}Ki", ["pods"] = "110" },
            new JsonObject { ["cpu"] = cpu.ToString(CultureInfo.InvariantCulture), ["memory"] = $"{memoryKi - 100 * 1024}Ki", ["pods"] = "110" });
    }

    /// <summary>
    /// The node's pod subnet: kube-controller-manager (--allocate-node-cidrs, which kubeadm sets with a pod subnet)
    /// hands each node the next /24 of the cluster CIDR in the order nodes registered (kubernetes
    /// pkg/controller/nodeipam/ipam/range_allocator.go, --node-cidr-mask-size 24 for IPv4).
    /// </summary>
    internal static string? PodCidr(KubernetesCluster cluster, KubeNode node)
    {
        if (cluster.PodCidr.Length == 0 || !System.Net.IPNetwork.TryParse(cluster.PodCidr, out var network) || network.PrefixLength > 24) return null;
        var index = cluster.Nodes.Values.OrderBy(n => n.CreatedAt).ThenBy(n => n.Name, StringComparer.Ordinal).ToList().FindIndex(n => n.Name == node.Name);
        var bytes = network.BaseAddress.GetAddressBytes();
        var value = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]) + (uint)index * 256;
        return $"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.0/24";
    }

    /// <param name="heard">When the kubelet last posted: the controller keeps that heartbeat when it writes Unknown.</param>
    private static JsonObject Condition(string type, (string Status, string Reason, string Message) state, string okReason, string okMessage, DateTimeOffset since, DateTimeOffset? heard) => new()
    {
        ["type"] = type,
        ["status"] = state.Status,
        ["lastHeartbeatTime"] = Timestamp(heard is { } h && h < since ? h : since),
        ["lastTransitionTime"] = Timestamp(since),
        ["reason"] = state.Reason.Length == 0 ? okReason : state.Reason,
        ["message"] = state.Message.Length == 0 ? okMessage : state.Message,
    };

    private static JsonObject Taint(string key, string effect, DateTimeOffset? added = null)
    {
        var taint = new JsonObject { ["key"] = key, ["effect"] = effect };
        if (added is { } time) taint["timeAdded"] = Timestamp(time);
        return taint;
    }

    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static JsonObject Strings(IEnumerable<KeyValuePair<string, string>> values) =>
        new(values.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value))));

    /// <summary>A stable UID for an object the simulator never stored one for.</summary>
    public static string Uid(string kind, string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(kind + "/" + name));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }

    private static string Hex(string kind, string name, int length) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(kind + "/" + name)))[..length];
}
