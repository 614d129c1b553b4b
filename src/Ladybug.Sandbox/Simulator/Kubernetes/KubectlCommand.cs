using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ladybug.Sandbox.Simulator.Kubernetes;

/// <summary>
/// <c>kubectl [--kubeconfig PATH] get nodes [NAME] [-o wide|json|name]</c> on a control plane: the simulated API
/// server's view of what really joined, with labels and annotations. Anything else kubectl does is refused.
/// </summary>
internal sealed class KubectlCommand : INodeCommand
{
    public string Name => "kubectl";

    public async Task<int> RunAsync(NodeCommandContext context)
    {
        var kubeconfig = KubernetesStep.AdminKubeconfig;
        string? output = null;
        var words = new List<string>();
        for (var i = 0; i < context.Arguments.Count; i++)
        {
            var arg = context.Arguments[i];
            if (arg == "--kubeconfig" && i + 1 < context.Arguments.Count) kubeconfig = context.Arguments[++i];
            else if (arg.StartsWith("--kubeconfig=", StringComparison.Ordinal)) kubeconfig = arg["--kubeconfig=".Length..];
            else if (arg is "-o" or "--output" && i + 1 < context.Arguments.Count) output = context.Arguments[++i];
            else if (arg.StartsWith("-o", StringComparison.Ordinal) && arg.Length > 2) output = arg[2..].TrimStart('=');
            else words.Add(arg);
        }
        if (words.Count < 2 || words[0] != "get" || words[1] is not ("nodes" or "node" or "no") || words.Count > 3)
        {
            await context.Error.WriteLineAsync($"ladybug-sandbox: the simulated kubectl answers 'get nodes [name] [-o wide|json|name]' only, not '{string.Join(' ', context.Arguments)}'.");
            return 1;
        }
        var cluster = context.Cluster.Read<KubernetesCluster>(KubernetesCluster.Document);
        if (!kubeconfig.StartsWith('/') || !context.Node.FileExists(kubeconfig) || !cluster.IsInitialized)
        {
            await context.Error.WriteLineAsync("The connection to the server localhost:8080 was refused - did you specify the right host or port?");
            return 1;
        }
        IReadOnlyList<KubeNode> nodes = cluster.Nodes.Values.OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        if (words.Count == 3)
        {
            if (!cluster.Nodes.TryGetValue(words[2], out var one))
            {
                await context.Error.WriteLineAsync($"Error from server (NotFound): nodes \"{words[2]}\" not found");
                return 1;
            }
            nodes = [one];
        }
        IEnumerable<string> lines = output switch
        {
            null => NodeTable.Short(cluster, nodes),
            "wide" => NodeTable.Wide(cluster, nodes),
            "name" => nodes.Select(n => $"node/{n.Name}"),
            "json" => [(words.Count == 3 ? NodeJson(cluster, nodes[0]) : List(cluster, nodes)).ToJsonString(new JsonSerializerOptions { WriteIndented = true })],
            _ => null!,
        };
        if (lines is null)
        {
            await context.Error.WriteLineAsync($"error: unable to match a printer suitable for the output format \"{output}\", allowed formats are: json,name,wide");
            return 1;
        }
        foreach (var line in lines)
            await context.Out.WriteLineAsync(line);
        return 0;
    }

    private static JsonObject List(KubernetesCluster cluster, IEnumerable<KubeNode> nodes) => new()
    {
        ["apiVersion"] = "v1",
        ["items"] = new JsonArray([.. nodes.Select(n => (JsonNode)NodeJson(cluster, n))]),
        ["kind"] = "List",
        ["metadata"] = new JsonObject { ["resourceVersion"] = "" },
    };

    private static JsonObject NodeJson(KubernetesCluster cluster, KubeNode node)
    {
        var ready = cluster.IsReady(node);
        var spec = new JsonObject();
        if (node.Role == KubernetesStep.ControlPlane)
            spec["taints"] = new JsonArray(new JsonObject
            {
                ["effect"] = "NoSchedule",
                ["key"] = KubernetesStep.MinorOfVersion(cluster.Version) < 24 ? "node-role.kubernetes.io/master" : "node-role.kubernetes.io/control-plane",
            });
        if (node.Unschedulable) spec["unschedulable"] = true;
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject
            {
                ["annotations"] = Strings(node.Annotations),
                ["creationTimestamp"] = node.CreatedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                ["labels"] = Strings(node.Labels),
                ["name"] = node.Name,
            },
            ["spec"] = spec,
            ["status"] = new JsonObject
            {
                // A kubelet whose --node-ip failed validation never sets any address (see KubernetesStep.NewNode).
                ["addresses"] = node.InternalIp.Length == 0
                    ? new JsonArray()
                    : new JsonArray(
                        new JsonObject { ["address"] = node.InternalIp, ["type"] = "InternalIP" },
                        new JsonObject { ["address"] = node.Name, ["type"] = "Hostname" }),
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["reason"] = ready ? "KubeletReady" : node.Joined ? "KubeletNotReady" : "NodeStatusUnknown",
                    ["status"] = ready ? "True" : node.Joined ? "False" : "Unknown",
                    ["type"] = "Ready",
                }),
                ["nodeInfo"] = new JsonObject
                {
                    ["architecture"] = "amd64",
                    ["containerRuntimeVersion"] = node.ContainerRuntime,
                    ["kubeletVersion"] = node.KubeletVersion,
                    ["kubeProxyVersion"] = node.KubeletVersion,
                    ["operatingSystem"] = "linux",
                    ["osImage"] = node.OsImage,
                },
            },
        };
    }

    private static JsonObject Strings(IEnumerable<KeyValuePair<string, string>> values) =>
        new(values.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value))));
}

/// <summary>kubectl's node tables.</summary>
internal static class NodeTable
{
    public static IEnumerable<string> Short(KubernetesCluster cluster, IEnumerable<KubeNode> nodes) =>
        Format(["NAME", "STATUS", "ROLES", "AGE", "VERSION"], nodes.Select(n => new[] { n.Name, Status(cluster, n), Roles(n), Age(n), n.KubeletVersion }));

    public static IEnumerable<string> Wide(KubernetesCluster cluster, IEnumerable<KubeNode> nodes) =>
        Format(["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "CONTAINER-RUNTIME"],
            nodes.Select(n => new[] { n.Name, Status(cluster, n), Roles(n), Age(n), n.KubeletVersion, n.InternalIp.Length == 0 ? "<none>" : n.InternalIp, "<none>", n.OsImage, n.ContainerRuntime }));

    private static string Status(KubernetesCluster cluster, KubeNode node) =>
        (cluster.IsReady(node) ? "Ready" : node.Joined ? "NotReady" : "NotReady") + (node.Unschedulable ? ",SchedulingDisabled" : "");

    private static string Roles(KubeNode node)
    {
        var roles = node.Labels.Keys.Where(k => k.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal))
            .Select(k => k["node-role.kubernetes.io/".Length..]).Order(StringComparer.Ordinal).ToList();
        return roles.Count == 0 ? "<none>" : string.Join(',', roles);
    }

    private static string Age(KubeNode node)
    {
        var age = DateTimeOffset.UtcNow - node.CreatedAt;
        return age.TotalMinutes < 2 ? $"{(int)age.TotalSeconds}s" : age.TotalHours < 2 ? $"{(int)age.TotalMinutes}m" : $"{(int)age.TotalHours}h";
    }

    private static IEnumerable<string> Format(string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend(header).ToList();
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        return all.Select(r => string.Join("   ", r.Select((cell, i) => i == r.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
    }
}
