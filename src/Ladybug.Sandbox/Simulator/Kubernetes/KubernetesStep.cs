using System.Globalization;
using System.Text.RegularExpressions;

namespace Ladybug.Sandbox.Simulator.Kubernetes;

/// <summary>
/// A bootstrap step of the kubeadm plan, simulated: reads its <c>--name=value</c> arguments like the script's prelude,
/// checks them and the VM's and cluster's state the way the real tools would, prints what they would print and
/// changes the shared cluster state. Failures are <see cref="NodeStepFailure"/>s.
/// </summary>
public abstract partial class KubernetesStep : INodeStep
{
    public const string AdminKubeconfig = "/etc/kubernetes/admin.conf";
    public const string KubeletKubeconfig = "/etc/kubernetes/kubelet.conf";
    public const string ControlPlane = "control-plane";
    public const string Worker = "worker";

    public abstract string Name { get; }

    public Task<int> RunAsync(NodeStepContext context) => RunAsync(context, new StepArguments(context.Arguments));

    protected abstract Task<int> RunAsync(NodeStepContext context, StepArguments args);

    protected static string Log(string text) => $"[ladybug] {text}";

    protected static NodeKubeState NodeState(NodeContext context) => context.Node.Read<NodeKubeState>(NodeKubeState.Document);

    protected static NodeKubeState UpdateNode(NodeContext context, Func<NodeKubeState, NodeKubeState> change) =>
        context.Node.Update(NodeKubeState.Document, change);

    protected static KubernetesCluster Cluster(NodeContext context) => context.Cluster.Read<KubernetesCluster>(KubernetesCluster.Document);

    protected static KubernetesCluster UpdateCluster(NodeContext context, Func<KubernetesCluster, KubernetesCluster> change) =>
        context.Cluster.Update(KubernetesCluster.Document, change);

    /// <summary>The VM ran prepare (kubeadm is installed): otherwise bash cannot find kubeadm, as on a fresh VM.</summary>
    protected static NodeKubeState RequirePrepared(NodeContext context, string tool = "kubeadm")
    {
        var state = NodeState(context);
        return state.IsPrepared ? state : throw new NodeStepFailure($"bash: line 1: {tool}: command not found", 127, verbatim: true);
    }

    /// <summary>The name the step was given is the one prepare gave this VM.</summary>
    protected static void RequireSameName(NodeKubeState state, string nodeName)
    {
        if (!string.Equals(state.NodeName, nodeName, StringComparison.Ordinal))
            throw new NodeStepFailure($"--node-name={nodeName} but this VM was prepared as '{state.NodeName}'");
    }

    /// <summary>This VM is a control plane with the admin kubeconfig, and the cluster exists: kubectl can talk to it.</summary>
    protected static KubernetesCluster RequireAdmin(NodeContext context)
    {
        if (!context.Node.FileExists(AdminKubeconfig))
            throw new NodeStepFailure($"{AdminKubeconfig} does not exist on this node (it is not an initialised control plane)");
        var cluster = Cluster(context);
        return cluster.IsInitialized
            ? cluster
            : throw new NodeStepFailure("The connection to the server was refused - did you specify the right host or port?", 1, verbatim: true);
    }

    /// <summary>"1.23.17" → 23.</summary>
    protected static int MinorOf(string version) => MinorOfVersion(version);

    internal static int MinorOfVersion(string version) =>
        int.Parse(version.Split('.')[1], CultureInfo.InvariantCulture);

    protected static string Version(StepArguments args) =>
        args.Matching("kubernetes-version", VersionPattern(), "a Kubernetes version such as 1.23.17");

    protected static string NodeName(StepArguments args, string name = "node-name") =>
        args.Matching(name, NodeNamePattern(), "a node name (lower-case letters, digits and '-', at most 63)");

    /// <summary>Checks a bootstrap token against those the cluster knows and their expiry.</summary>
    protected static void RequireValidToken(KubernetesCluster cluster, string token, string endpoint)
    {
        var known = cluster.Tokens.FirstOrDefault(t => t.Token == token);
        if (known is null || known.Expires < DateTimeOffset.UtcNow)
            throw new NodeStepFailure(
                $"error execution phase preflight: couldn't validate the identity of the API Server: could not find a JWS signature in the cluster-info ConfigMap for token ID \"{token.Split('.')[0]}\"" +
                $" (the token is {(known is null ? "unknown" : "expired")} at {endpoint})", 1, verbatim: true);
    }

    protected static void RequireDiscoveryHash(KubernetesCluster cluster, string hash)
    {
        if (!string.Equals(cluster.DiscoveryHash, hash, StringComparison.Ordinal))
            throw new NodeStepFailure(
                "error execution phase preflight: couldn't validate the identity of the API Server: cluster CA found in cluster-info ConfigMap is invalid: none of the public keys \"sha256:…\" are pinned",
                1, verbatim: true);
    }

    /// <summary>The standard labels the kubelet and kubeadm put on a node of this version and role.</summary>
    protected static SortedDictionary<string, string> StandardLabels(string name, string role, string version)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["beta.kubernetes.io/arch"] = "amd64",
            ["beta.kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "amd64",
            ["kubernetes.io/hostname"] = name,
            ["kubernetes.io/os"] = "linux",
        };
        if (role == ControlPlane)
        {
            var minor = MinorOf(version);
            if (minor < 24) labels["node-role.kubernetes.io/master"] = "";
            if (minor >= 20) labels["node-role.kubernetes.io/control-plane"] = "";
            labels["node.kubernetes.io/exclude-from-external-load-balancers"] = "";
        }
        return labels;
    }

    protected static KubeNode NewNode(NodeContext context, NodeKubeState state, string role, string ip) => new()
    {
        Name = state.NodeName!,
        Role = role,
        Machine = context.Node.Identity.Id,
        InternalIp = KubeletNodeIp(context, state, ip),
        KubeletVersion = "v" + state.Version,
        ContainerRuntime = state.Runtime == "docker" ? "docker://20.10.21" : "containerd://1.7.12",
        OsImage = OsImage(context.Node),
        CreatedAt = DateTimeOffset.UtcNow,
        Labels = StandardLabels(state.NodeName!, role, state.Version),
    };

    /// <summary>
    /// The address the kubelet registers. Given --node-ip (public-ip wrote it to /etc/default/kubelet), the kubelet first
    /// checks that the address is on one of the host's interfaces; when it is not, the NodeAddress setter fails with
    /// "failed to validate nodeIP: node IP: … not found in the host's network interfaces", which setNodeStatus only logs,
    /// so the Node is registered without addresses and they are never filled in (kubernetes
    /// pkg/kubelet/nodestatus/setters.go NodeAddress, pkg/kubelet/kubelet_node_status.go setNodeStatus, v1.23.17).
    /// </summary>
    private static string KubeletNodeIp(NodeContext context, NodeKubeState state, string ip) =>
        state.PublicIp is not null && ip == state.PublicIp && !VmNetwork.Of(context.Node).HasAddress(ip) ? "" : ip;

    private static string OsImage(SimulatedNode node) =>
        node.ReadFile("/etc/os-release")?.Split('\n').FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"')
        ?? "Ubuntu";

    /// <summary>Points the API endpoint name at <paramref name="ip"/> in the VM's /etc/hosts, as map_endpoint does.</summary>
    protected static string MapEndpoint(NodeContext context, string host, string ip)
    {
        var hosts = (context.Node.ReadFile("/etc/hosts") ?? "").Split('\n')
            .Where(l => l.Length > 0 && !l.EndsWith("# ladybug-api", StringComparison.Ordinal));
        context.Node.WriteFile("/etc/hosts", string.Join('\n', [.. hosts, $"{ip} {host} # ladybug-api", ""]));
        return Log($"API endpoint {host} now resolves to {ip} on this node");
    }

    /// <summary>Five lower-case hex characters, like the suffix of a pod name.</summary>
    protected internal static string PodSuffix(string seed) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed)))[..5];

    [GeneratedRegex(@"^1\.[0-9]{2}\.[0-9]{1,2}$")]
    protected static partial Regex VersionPattern();

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    protected static partial Regex NodeNamePattern();

    [GeneratedRegex(@"^[a-z0-9]{6}\.[a-z0-9]{16}$")]
    protected static partial Regex TokenPattern();

    [GeneratedRegex(@"^sha256:[a-f0-9]{64}$")]
    protected static partial Regex HashPattern();

    [GeneratedRegex("^[a-f0-9]{64}$")]
    protected static partial Regex CertificateKeyPattern();

    [GeneratedRegex(@"^([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$")]
    protected static partial Regex LabelValuePattern();
}
