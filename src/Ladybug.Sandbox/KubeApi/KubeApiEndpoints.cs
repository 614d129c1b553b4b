using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Ladybug.Sandbox.KubeApi;

/// <summary>
/// The read side of kube-apiserver's core/v1 REST API that kubectl get and a client's list+watch use: discovery
/// (/version, /api, /api/v1, /apis), nodes, namespaces and pods (get, list, watch), with labelSelector, the
/// metadata.name / spec.nodeName field selectors, Table output and newline-delimited JSON watch events.
/// </summary>
internal sealed class KubeApiEndpoints(ClusterApiStore store, Func<string> version, string advertiseAddress, TimeProvider time)
{
    /// <summary>Quotes escaped as \" (Go's encoding/json), not as \u0022.</summary>
    private static readonly System.Text.Json.JsonSerializerOptions Wire = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly (string Name, string Singular, bool Namespaced, string Kind, string Short)[] Resources =
    [
        (KubeObjects.Namespaces, "namespace", false, "Namespace", "ns"),
        (KubeObjects.Nodes, "node", false, "Node", "no"),
        (KubeObjects.Pods, "pod", true, "Pod", "po"),
    ];

    /// <param name="alive">False once the VM this connection reached powered off: nothing more is sent on it.</param>
    public async Task HandleAsync(HttpContext http, string user, bool authenticated, Func<bool> alive)
    {
        var path = http.Request.Path.Value ?? "/";
        if (path.Length > 1) path = path.TrimEnd('/');
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);

        // Anonymous requests may read the public info only (the system:public-info-viewer ClusterRole; system:discovery
        // and everything else are bound to system:authenticated: kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go).
        if (!authenticated && path is not ("/version" or "/healthz" or "/livez" or "/readyz"))
        {
            await ForbiddenAsync(http, user, segments);
            return;
        }
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            await StatusAsync(http, 405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
            return;
        }

        switch (segments)
        {
            case ["version"]:
                await JsonAsync(http, VersionInfo());
                return;
            case ["healthz"] or ["livez"] or ["readyz"]:
                http.Response.ContentType = "text/plain; charset=utf-8";
                await http.Response.WriteAsync("ok");
                return;
            case ["api"]:
                await JsonAsync(http, new JsonObject
                {
                    ["kind"] = "APIVersions",
                    ["versions"] = new JsonArray("v1"),
                    ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = $"{advertiseAddress}:6443" }),
                });
                return;
            case ["apis"]:
                await JsonAsync(http, new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = new JsonArray() });
                return;
            case ["api", "v1"]:
                await JsonAsync(http, ResourceList());
                return;
            case ["api", "v1", var resource] when IsResource(resource, namespaced: false):
                await CollectionAsync(http, resource, null, alive);
                return;
            case ["api", "v1", var resource, var name] when IsResource(resource, namespaced: false):
                await ItemAsync(http, resource, "", name);
                return;
            case ["api", "v1", "namespaces", var ns, var resource] when IsResource(resource, namespaced: true):
                await CollectionAsync(http, resource, ns, alive);
                return;
            case ["api", "v1", "namespaces", var ns, var resource, var name] when IsResource(resource, namespaced: true):
                await ItemAsync(http, resource, ns, name);
                return;
            case ["api", "v1", var resource] when IsResource(resource, namespaced: true):
                await CollectionAsync(http, resource, null, alive);
                return;
            default:
                await StatusAsync(http, 404, "NotFound", "the server could not find the requested resource");
                return;
        }
    }

    private static bool IsResource(string name, bool namespaced) => Resources.Any(r => r.Name == name && r.Namespaced == namespaced);

    private JsonObject VersionInfo()
    {
        var gitVersion = "v" + version();
        var parts = version().Split('.');
        return new JsonObject
        {
            ["major"] = parts[0],
            ["minor"] = parts.Length > 1 ? parts[1] : "",
            ["gitVersion"] = gitVersion,
            ["gitTreeState"] = "clean",
            ["compiler"] = "gc",
            ["platform"] = "linux/amd64",
        };
    }

    private static JsonObject ResourceList() => new()
    {
        ["kind"] = "APIResourceList",
        ["groupVersion"] = "v1",
        ["resources"] = new JsonArray([.. Resources.Select(r =>
        {
            var resource = new JsonObject
            {
                ["name"] = r.Name, ["singularName"] = r.Singular, ["namespaced"] = r.Namespaced, ["kind"] = r.Kind,
                // Only what this API server serves: it is read-only.
                ["verbs"] = new JsonArray("get", "list", "watch"),
                ["shortNames"] = new JsonArray(r.Short),
            };
            if (r.Name == KubeObjects.Pods) resource["categories"] = new JsonArray("all");
            return (JsonNode)resource;
        })]),
    };

    private async Task ItemAsync(HttpContext http, string resource, string ns, string name)
    {
        if (resource == KubeObjects.Pods && store.Get(KubeObjects.Namespaces, "", ns) is null)
        {
            await StatusAsync(http, 404, "NotFound", $"namespaces \"{ns}\" not found", ("namespaces", ns));
            return;
        }
        var item = store.Get(resource, ns, name);
        if (item is null)
        {
            await StatusAsync(http, 404, "NotFound", $"{resource} \"{name}\" not found", (resource, name));
            return;
        }
        var accept = http.Request.Headers.Accept.ToString();
        await JsonAsync(http, KubeTables.Wanted(accept)
            ? KubeTables.Table(resource, [item], long.Parse((string)item["metadata"]!["resourceVersion"]!, CultureInfo.InvariantCulture), http.Request.Query["includeObject"], time.GetUtcNow())
            : item, KubeTables.Wanted(accept) ? "application/json;as=Table;v=v1;g=meta.k8s.io" : "application/json");
    }

    private async Task CollectionAsync(HttpContext http, string resource, string? ns, Func<bool> alive)
    {
        var query = http.Request.Query;
        Func<JsonObject, bool> labels, fields;
        try
        {
            labels = LabelSelector.Parse(query["labelSelector"]);
            fields = FieldSelector(resource, query["fieldSelector"]);
        }
        catch (FormatException ex)
        {
            await StatusAsync(http, 400, "BadRequest", ex.Message);
            return;
        }
        bool Matches(JsonObject o) => labels(o) && fields(o);
        var table = KubeTables.Wanted(http.Request.Headers.Accept.ToString());
        if (query["watch"] is { Count: > 0 } watch && watch.ToString() is "1" or "true")
        {
            await WatchAsync(http, resource, ns, Matches, table, alive);
            return;
        }
        var (items, listVersion) = store.List(resource, ns);
        var selected = items.Where(Matches).ToList();
        if (table)
        {
            await JsonAsync(http, KubeTables.Table(resource, selected, listVersion, query["includeObject"], time.GetUtcNow()), "application/json;as=Table;v=v1;g=meta.k8s.io");
            return;
        }
        var kind = Resources.First(r => r.Name == resource).Kind;
        await JsonAsync(http, new JsonObject
        {
            ["kind"] = kind + "List",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = listVersion.ToString(CultureInfo.InvariantCulture) },
            ["items"] = new JsonArray([.. selected.Select(i => { i.Remove("kind"); i.Remove("apiVersion"); return (JsonNode)i; })]),
        });
    }

    /// <summary>
    /// A watch: one JSON object per line, {"type":…,"object":…}, flushed as each change happens, until timeoutSeconds
    /// ends it or the client goes away. A resourceVersion the store has forgotten gets an ERROR event with a 410 Status
    /// ("too old resource version"), as kube-apiserver sends it (k8s.io/apiserver pkg/endpoints/handlers/watch.go).
    /// </summary>
    private async Task WatchAsync(HttpContext http, string resource, string? ns, Func<JsonObject, bool> matches, bool table, Func<bool> alive)
    {
        var query = http.Request.Query;
        var rv = query["resourceVersion"].ToString();
        long? from = rv is "" or "0" ? null : long.TryParse(rv, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : -1;
        if (from == -1)
        {
            await StatusAsync(http, 400, "BadRequest", $"invalid resource version: {rv}");
            return;
        }
        var timeout = int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromMinutes(30);
        http.Response.StatusCode = 200;
        http.Response.ContentType = table ? "application/json;as=Table;v=v1;g=meta.k8s.io" : "application/json";
        http.Response.Headers.TransferEncoding = "chunked";
        var opened = store.Watch(from);
        if (opened is null)
        {
            var gone = new JsonObject
            {
                ["type"] = "ERROR",
                ["object"] = StatusBody(410, "Expired", $"too old resource version: {from} ({store.ResourceVersion})"),
            };
            await http.Response.WriteAsync(gone.ToJsonString(Wire) + "\n", Encoding.UTF8);
            return;
        }
        var (events, close) = opened.Value;
        using var ends = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        ends.CancelAfter(timeout);
        try
        {
            await http.Response.Body.FlushAsync(ends.Token);
            await foreach (var change in events.ReadAllAsync(ends.Token))
            {
                if (change.Resource != resource || ns is not null && change.Namespace != ns || !matches(change.Object)) continue;
                var item = table
                    ? KubeTables.Table(resource, [change.Object], change.ResourceVersion, query["includeObject"], time.GetUtcNow())
                    : change.Object;
                var line = new JsonObject { ["type"] = change.Type, ["object"] = item.DeepClone() }.ToJsonString(Wire) + "\n";
                if (!alive()) break;
                await http.Response.WriteAsync(line, Encoding.UTF8, ends.Token);
                await http.Response.Body.FlushAsync(ends.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // timeoutSeconds ran out or the client left: the stream simply ends.
        }
        finally
        {
            close();
        }
        // A powered-off API server ends nothing, not even at timeoutSeconds: the client waits for its own timeout.
        if (!alive()) await KubeApiServer.SilenceAsync(http.RequestAborted);
    }

    private static Func<JsonObject, bool> FieldSelector(string resource, string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector)) return _ => true;
        var tests = new List<Func<JsonObject, bool>>();
        foreach (var term in selector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var negate = term.Contains("!=", StringComparison.Ordinal);
            var parts = term.Split(negate ? "!=" : term.Contains("==", StringComparison.Ordinal) ? "==" : "=", 2);
            if (parts.Length != 2) throw new FormatException($"invalid selector: '{selector}'; can't understand '{term}'");
            var (field, value) = (parts[0].Trim(), parts[1].Trim());
            Func<JsonObject, string?> read = field switch
            {
                "metadata.name" => o => (string?)o["metadata"]?["name"],
                "metadata.namespace" => o => (string?)o["metadata"]?["namespace"] ?? "",
                "spec.nodeName" when resource == KubeObjects.Pods => o => (string?)o["spec"]?["nodeName"] ?? "",
                "status.phase" when resource == KubeObjects.Pods => o => (string?)o["status"]?["phase"],
                "spec.unschedulable" when resource == KubeObjects.Nodes => o => ((bool?)o["spec"]?["unschedulable"] ?? false) ? "true" : "false",
                _ => throw new FormatException($"field label not supported: {field}"),
            };
            tests.Add(o => (read(o) == value) != negate);
        }
        return o => tests.All(t => t(o));
    }

    private async Task ForbiddenAsync(HttpContext http, string user, string[] segments)
    {
        var verb = http.Request.Query["watch"].ToString() is "1" or "true" ? "watch" : "get";
        string message;
        if (segments is ["api", "v1", .. var rest] && rest.Length > 0)
        {
            var (resource, ns, name) = rest switch
            {
                ["namespaces", var n, var r, ..] => (r, n, rest.Length > 3 ? rest[3] : null),
                [var r, var n] => (r, (string?)null, n),
                [var r, ..] => (r, null, null),
                _ => ("", null, null),
            };
            if (name is null && verb == "get") verb = "list";
            message = $"{resource}{(name is null ? "" : $" \"{name}\"")} is forbidden: User \"{user}\" cannot {verb} resource \"{resource}\" in API group \"\" " +
                (ns is null ? "at the cluster scope" : $"in the namespace \"{ns}\"");
        }
        else
        {
            message = $"forbidden: User \"{user}\" cannot get path \"{http.Request.Path}\"";
        }
        await StatusAsync(http, 403, "Forbidden", message);
    }

    internal static JsonObject StatusBody(int code, string reason, string message, (string Kind, string Name)? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is { } d) status["details"] = new JsonObject { ["name"] = d.Name, ["kind"] = d.Kind };
        status["code"] = code;
        return status;
    }

    /// <summary>A metav1.Status failure, as kube-apiserver writes errors (k8s.io/apiserver pkg/endpoints/handlers/responsewriters/status.go ErrorToAPIStatus).</summary>
    internal static Task StatusAsync(HttpContext http, int code, string reason, string message, (string Kind, string Name)? details = null)
    {
        http.Response.StatusCode = code;
        return JsonAsync(http, StatusBody(code, reason, message, details));
    }

    private static Task JsonAsync(HttpContext http, JsonObject body, string contentType = "application/json")
    {
        http.Response.ContentType = contentType;
        return http.Response.WriteAsync(body.ToJsonString(Wire), Encoding.UTF8);
    }
}
