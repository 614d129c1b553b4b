using System.Globalization;
using System.Text.Json.Nodes;

namespace Ladybug.Sandbox.KubeApi;

/// <summary>
/// Server-side printing: what kube-apiserver answers to <c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>
/// (kubectl get asks for it and prints the cells; -o wide shows the columns of priority 1 too; -L label columns are
/// added by kubectl from each row's object metadata). Columns and cells as kubernetes
/// pkg/printers/internalversion/printers.go AddHandlers (nodeColumnDefinitions, podColumnDefinitions,
/// namespaceColumnDefinitions), printNode, printPod, printNamespace.
/// </summary>
internal static class KubeTables
{
    public static bool Wanted(string? accept) => accept is not null && accept.Contains("as=Table", StringComparison.Ordinal);

    /// <param name="includeObject">"None", "Object" or "PartialObjectMetadata" (the default, meta/v1 TableOptions).</param>
    public static JsonObject Table(string resource, IEnumerable<JsonObject> items, long resourceVersion, string? includeObject, DateTimeOffset now)
    {
        var (columns, print) = resource switch
        {
            KubeObjects.Nodes => (NodeColumns, (Func<JsonObject, DateTimeOffset, JsonArray>)NodeCells),
            KubeObjects.Pods => (PodColumns, PodCells),
            _ => (NamespaceColumns, NamespaceCells),
        };
        var rows = new JsonArray();
        foreach (var item in items)
        {
            var row = new JsonObject { ["cells"] = print(item, now) };
            if (includeObject == "Object") row["object"] = item.DeepClone();
            else if (includeObject != "None")
                row["object"] = new JsonObject { ["kind"] = "PartialObjectMetadata", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = item["metadata"]!.DeepClone() };
            rows.Add(row);
        }
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) },
            ["columnDefinitions"] = new JsonArray([.. columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name, ["type"] = c.Type, ["format"] = c.Format, ["description"] = c.Description, ["priority"] = c.Priority,
            })]),
            ["rows"] = rows,
        };
    }

    private sealed record Column(string Name, string Type, string Format, string Description, int Priority = 0);

    private static readonly Column[] NodeColumns =
    [
        new("Name", "string", "name", "Name must be unique within a namespace."),
        new("Status", "string", "", "The status of the node"),
        new("Roles", "string", "", "The roles of the node"),
        new("Age", "string", "", "CreationTimestamp is a timestamp representing the server time when this object was created."),
        new("Version", "string", "", "Kubelet Version reported by the node."),
        new("Internal-IP", "string", "", "List of addresses reachable to the node.", 1),
        new("External-IP", "string", "", "List of addresses reachable to the node.", 1),
        new("OS-Image", "string", "", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", 1),
        new("Kernel-Version", "string", "", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
        new("Container-Runtime", "string", "", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", 1),
    ];

    private static readonly Column[] PodColumns =
    [
        new("Name", "string", "name", "Name must be unique within a namespace."),
        new("Ready", "string", "", "The aggregate readiness state of this pod for accepting traffic."),
        new("Status", "string", "", "The aggregate status of the containers in this pod."),
        new("Restarts", "string", "", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
        new("Age", "string", "", "CreationTimestamp is a timestamp representing the server time when this object was created."),
        new("IP", "string", "", "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", 1),
        new("Node", "string", "", "NodeName is a request to schedule this pod onto a specific node.", 1),
        new("Nominated Node", "string", "", "nominatedNodeName is set only when this pod preempts other pods on the node.", 1),
        new("Readiness Gates", "string", "", "If specified, all readiness gates will be evaluated for pod readiness.", 1),
    ];

    private static readonly Column[] NamespaceColumns =
    [
        new("Name", "string", "name", "Name must be unique within a namespace."),
        new("Status", "string", "", "The status of the namespace"),
        new("Age", "string", "", "CreationTimestamp is a timestamp representing the server time when this object was created."),
    ];

    /// <summary>printNode: "Ready" when the Ready condition is True, "NotReady" otherwise (Unknown too), then SchedulingDisabled.</summary>
    private static JsonArray NodeCells(JsonObject node, DateTimeOffset now)
    {
        var ready = node["status"]?["conditions"]?.AsArray().FirstOrDefault(c => (string?)c?["type"] == "Ready");
        var status = new List<string> { ready is null ? "Unknown" : (string?)ready["status"] == "True" ? "Ready" : "NotReady" };
        if ((bool?)node["spec"]?["unschedulable"] == true) status.Add("SchedulingDisabled");
        var labels = node["metadata"]?["labels"]?.AsObject() ?? [];
        // findNodeRoles: node-role.kubernetes.io/<role> labels and the kubernetes.io/role label's value.
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels)
        {
            if (key.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal)) roles.Add(key["node-role.kubernetes.io/".Length..]);
            else if (key == "kubernetes.io/role" && (string?)value is { Length: > 0 } role) roles.Add(role);
        }
        var addresses = node["status"]?["addresses"]?.AsArray() ?? [];
        string Address(string type) => addresses.FirstOrDefault(a => (string?)a?["type"] == type)?["address"]?.GetValue<string>() ?? "<none>";
        var info = node["status"]?["nodeInfo"];
        return new JsonArray(
            (string?)node["metadata"]!["name"], string.Join(',', status), roles.Count == 0 ? "<none>" : string.Join(',', roles),
            Age(node, now), (string?)info?["kubeletVersion"], Address("InternalIP"), Address("ExternalIP"),
            (string?)info?["osImage"], (string?)info?["kernelVersion"], (string?)info?["containerRuntimeVersion"]);
    }

    private static JsonArray PodCells(JsonObject pod, DateTimeOffset now)
    {
        var containers = pod["spec"]?["containers"]?.AsArray().Count ?? 0;
        var statuses = pod["status"]?["containerStatuses"]?.AsArray() ?? [];
        var ready = statuses.Count(s => (bool?)s?["ready"] == true);
        var restarts = statuses.Sum(s => s?["restartCount"]?.GetValue<int>() ?? 0);
        return new JsonArray(
            (string?)pod["metadata"]!["name"], $"{ready}/{containers}", (string?)pod["status"]?["phase"], restarts, Age(pod, now),
            (string?)pod["status"]?["podIP"] ?? "<none>", (string?)pod["spec"]?["nodeName"] ?? "<none>", "<none>", "<none>");
    }

    private static JsonArray NamespaceCells(JsonObject ns, DateTimeOffset now) =>
        new((string?)ns["metadata"]!["name"], (string?)ns["status"]?["phase"], Age(ns, now));

    private static string Age(JsonObject item, DateTimeOffset now) =>
        DateTimeOffset.TryParse((string?)item["metadata"]?["creationTimestamp"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created)
            ? HumanDuration(now - created)
            : "<unknown>";

    /// <summary>k8s.io/apimachinery pkg/util/duration/duration.go HumanDuration, as kubectl's AGE column shows it.</summary>
    public static string HumanDuration(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < -1) return "<invalid>";
        if (seconds < 0) return "0s";
        if (seconds < 60 * 2) return $"{seconds}s";
        var minutes = (long)d.TotalMinutes;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? $"{minutes}m" : $"{minutes}m{s}s";
        }
        if (minutes < 60 * 3) return $"{minutes}m";
        var hours = (long)d.TotalHours;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? $"{hours}h" : $"{hours}h{m}m";
        }
        if (hours < 48) return $"{hours}h";
        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? $"{hours / 24}d" : $"{hours / 24}d{h}h";
        }
        if (hours < 24 * 365 * 2) return $"{hours / 24}d";
        if (hours < 24 * 365 * 8)
        {
            var dy = hours / 24 % 365;
            return dy == 0 ? $"{hours / 24 / 365}y" : $"{hours / 24 / 365}y{dy}d";
        }
        return $"{hours / 24 / 365}y";
    }
}
