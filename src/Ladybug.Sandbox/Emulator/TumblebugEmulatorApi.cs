using System.Text.Json;
using System.Text.RegularExpressions;
using Ladybug.Sandbox.Catalog;
using Ladybug.Sandbox.Machines;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ladybug.Sandbox.Emulator;

/// <summary>What the emulator's handlers share.</summary>
internal sealed record EmulatorServices(EmulatorState State, CloudCatalog Catalog, InfraProvisioner Provisioner, SandboxMachines Machines, SandboxControl Control)
{
    public required NodeTermination Termination { get; init; }
}

/// <summary>
/// The CB-Tumblebug v0.13 calls Ladybug makes — same paths, JSON, status words and error shapes as Tumblebug —
/// and nothing more. Status codes follow Tumblebug's handlers, quirks included: errors are {"message"} with 400
/// when the handler had no response object and 500 when it had one, so a missing Infra is a 500 on a plain read.
/// </summary>
internal static partial class TumblebugEmulatorApi
{
    public const string BasePath = "/tumblebug";

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex NamingRule();

    public static IEndpointRouteBuilder MapTumblebugEmulator(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(BasePath);
        api.MapGet("/livez", () => Json(new SimpleMsg("CB-Tumblebug is alive")));
        api.MapGet("/readyz", GetReadyz);
        api.MapGet("/ns/{nsId}", GetNamespace);
        api.MapPost("/ns", CreateNamespaceAsync);
        api.MapGet("/connConfig", ListConnections);
        api.MapPost("/ns/{nsId}/resources/filterSpecsByRange", FilterSpecsAsync);
        api.MapPost("/ns/{nsId}/resources/searchImage", SearchImageAsync);
        api.MapPost("/ns/{nsId}/infraDynamic", CreateInfraAsync);
        api.MapGet("/ns/{nsId}/infra/{infraId}", GetInfraAsync);
        api.MapPost("/ns/{nsId}/infra/{infraId}/nodeGroupDynamic", AddNodeGroupAsync);
        api.MapDelete("/ns/{nsId}/infra/{infraId}/node/{nodeId}", DeleteNodeAsync);
        api.MapDelete("/ns/{nsId}/infra/{infraId}", DeleteInfraAsync);
        api.MapFallback(() => Error(StatusCodes.Status404NotFound, "Not Found"));
        return app;
    }

    private static IResult GetReadyz(EmulatorServices e) => e.Machines.Problem is { } problem
        ? Json(new ReadyzResponse($"CB-Tumblebug (sandbox) is not ready: {problem}", false, true), StatusCodes.Status503ServiceUnavailable)
        : Json(new ReadyzResponse("CB-Tumblebug is ready and initialized", true, true));

    private static IResult GetNamespace(string nsId, EmulatorServices e)
    {
        if (NamespaceProblem(nsId, e) is { } problem) return problem;
        lock (e.State.Sync) return Json(NsInfo(e.State.Namespaces[nsId]));
    }

    private static async Task<IResult> CreateNamespaceAsync(HttpRequest request, EmulatorServices e)
    {
        var (body, invalid) = await ReadAsync<NsReq>(request);
        if (invalid is not null) return invalid;
        var name = body!.Name ?? "";
        if (NamingProblem(name, "namespace") is { } problem) return Error(StatusCodes.Status400BadRequest, problem);
        NamespaceRecord ns;
        lock (e.State.Sync)
        {
            if (e.State.Namespaces.ContainsKey(name))
                return Error(StatusCodes.Status400BadRequest, $"CreateNs(); The namespace {name} already exists.");
            ns = e.State.Namespaces[name] = new NamespaceRecord(name, Uids.Next(), body.Description ?? "");
        }
        e.State.NotifyChanged();
        return Json(NsInfo(ns));
    }

    private static IResult ListConnections(EmulatorServices e) =>
        Json(new ConnConfigList(e.Catalog.Regions.Select(WireViews.ConnConfig).ToList()));

    private static async Task<IResult> FilterSpecsAsync(string nsId, HttpRequest request, EmulatorServices e)
    {
        if (NamespaceProblem(nsId, e) is { } problem) return problem;
        var (filter, invalid) = await ReadAsync<FilterSpecsByRangeRequest>(request, allowEmpty: true);
        if (invalid is not null) return invalid;
        filter ??= new FilterSpecsByRangeRequest();
        var specs = e.Catalog.Specs
            .Where(s => AnyOf(filter.ConnectionName, s.Region.ConnectionName)
                && AnyOf(filter.ProviderName, s.Region.Provider)
                && AnyOf(filter.RegionName, s.Region.Region)
                && AnyOf(filter.Architecture, CatalogSpec.Architecture)
                && AllIn(filter.Id, s.Id)
                && AllIn(filter.CspSpecName, s.CspSpecName)
                && Within(filter.VCpu, s.VCpu) && Within(filter.MemoryGiB, s.MemoryGiB) && Within(filter.CostPerHour, s.CostPerHour))
            .OrderBy(s => s.Region.ConnectionName, StringComparer.Ordinal).ThenBy(s => s.VCpu).ThenBy(s => s.MemoryGiB)
            .Take(filter.Limit > 0 ? filter.Limit : int.MaxValue)
            .Select((s, i) => WireViews.Spec(s, i + 1))
            .ToList();
        return Json(new FilterSpecsResponse(specs));
    }

    private static async Task<IResult> SearchImageAsync(string nsId, HttpRequest request, EmulatorServices e)
    {
        if (NamespaceProblem(nsId, e) is { } problem) return problem;
        var (search, invalid) = await ReadAsync<SearchImageRequest>(request);
        if (invalid is not null) return invalid;
        CatalogRegion? region;
        if (!string.IsNullOrWhiteSpace(search!.MatchedSpecId))
        {
            var spec = e.Catalog.FindSpec(search.MatchedSpecId);
            if (spec is null) return Error(StatusCodes.Status400BadRequest, $"Failed to find the spec {search.MatchedSpecId}: not found in namespace system.");
            region = spec.Region;
        }
        else
        {
            region = e.Catalog.Regions.FirstOrDefault(r =>
                r.Provider.Equals(search.ProviderName, StringComparison.OrdinalIgnoreCase) && r.Region.Equals(search.RegionName, StringComparison.OrdinalIgnoreCase));
            if (region is null) return Error(StatusCodes.Status400BadRequest, "Give matchedSpecId, or providerName and regionName of a known region.");
        }
        var wanted = (search.OsType ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var images = e.Catalog.Images
            .Where(i => i.Provider == region.Provider && i.Region == region.Region)
            .Where(i => wanted.All(w => i.OsType.Contains(w, StringComparison.OrdinalIgnoreCase)))
            .Where(i => string.IsNullOrEmpty(search.OsArchitecture) || search.OsArchitecture.Equals(CatalogSpec.Architecture, StringComparison.OrdinalIgnoreCase))
            .Take(search.MaxResults is > 0 and var max ? max : int.MaxValue)
            .Select(i => WireViews.Image(i, region))
            .ToList();
        return Json(new SearchImageResponse(images.Count, images));
    }

    private static async Task<IResult> CreateInfraAsync(string nsId, HttpContext http, EmulatorServices e)
    {
        if (NamespaceProblem(nsId, e) is { } problem) return problem;
        var (request, invalid) = await ReadAsync<InfraDynamicReq>(http.Request);
        if (invalid is not null) return invalid;
        var name = request!.Name ?? "";
        if (NamingProblem(name, "infra") is { } badName) return Error(StatusCodes.Status400BadRequest, badName);
        if (request.NodeGroups is not { Count: > 0 })
            return Error(StatusCodes.Status400BadRequest, "nodeGroups is required: an Infra needs at least one node group.");
        if (request.PolicyOnPartialFailure is { Length: > 0 } policy && policy != "continue")
            return Error(StatusCodes.Status400BadRequest, $"The sandbox implements policyOnPartialFailure 'continue' only (got '{policy}').");
        var plans = new List<NodeGroupPlan>();
        foreach (var group in request.NodeGroups)
        {
            var (plan, error) = Plan(group, plans.Select(p => p.Name), e.Catalog);
            if (error is not null) return Error(StatusCodes.Status400BadRequest, error);
            plans.Add(plan!);
        }

        InfraRecord infra;
        List<NodeRecord> nodes;
        lock (e.State.Sync)
        {
            if (e.State.Infras.ContainsKey((nsId, name)))
                return Error(StatusCodes.Status400BadRequest, $"The infra {name} already exists.");
            infra = new InfraRecord
            {
                Namespace = nsId,
                Id = name,
                Uid = Uids.Next(),
                Description = request.Description ?? "",
                UserLabel = request.Label ?? [],
                CreatedTime = Now(),
                InstallMonAgent = request.InstallMonAgent is { Length: > 0 } mon ? mon : "no",
            };
            nodes = [.. plans.SelectMany(p => AddNodes(infra, p, e.State))];
            e.State.Infras[(nsId, name)] = infra;
        }
        e.State.NotifyChanged();
        foreach (var node in nodes) e.Provisioner.Launch(infra, node);
        return await AnswerCreatingCallAsync(http, infra, nodes, e);
    }

    private static async Task<IResult> AddNodeGroupAsync(string nsId, string infraId, HttpContext http, EmulatorServices e)
    {
        if (NamespaceProblem(nsId, e) is { } problem) return problem;
        var (group, invalid) = await ReadAsync<CreateNodeGroupDynamicReq>(http.Request);
        if (invalid is not null) return invalid;
        InfraRecord? infra;
        lock (e.State.Sync) infra = e.State.Infras.GetValueOrDefault((nsId, infraId));
        if (infra is null) return Error(StatusCodes.Status400BadRequest, $"The infra {infraId} does not exist.");

        List<NodeRecord> nodes;
        lock (e.State.Sync)
        {
            var (plan, error) = Plan(group!, infra.Nodes.Select(n => n.NodeGroupId).Distinct(), e.Catalog);
            if (error is not null) return Error(StatusCodes.Status400BadRequest, error);
            nodes = [.. AddNodes(infra, plan!, e.State)];
            infra.NewNodeList = nodes.Select(n => n.Id).ToList();
        }
        e.State.NotifyChanged();
        foreach (var node in nodes) e.Provisioner.Launch(infra, node);
        return await AnswerCreatingCallAsync(http, infra, nodes, e);
    }

    /// <summary>Creating calls are synchronous: the answer comes once the new nodes settled (or Tumblebug's wait ran out).</summary>
    private static async Task<IResult> AnswerCreatingCallAsync(HttpContext http, InfraRecord infra, List<NodeRecord> nodes, EmulatorServices e)
    {
        await e.Provisioner.WaitSettledAsync(nodes, http.RequestAborted);
        if (e.Control.ClaimLostCreateResponse())
        {
            http.Abort(); // LoseCreateResponses: the work is done, the answer never arrives.
            return Results.Empty;
        }
        lock (e.State.Sync)
        {
            return infra.Deleted
                ? Error(StatusCodes.Status500InternalServerError, $"The infra {infra.Id} was deleted while it was being created.")
                : Json(WireViews.Infra(infra));
        }
    }

    private static async Task<IResult> GetInfraAsync(string nsId, string infraId, string? option, string? accessInfoOption, EmulatorServices e)
    {
        if (NamespaceProblem(nsId, e) is { } problem) return problem;
        InfraRecord? infra;
        lock (e.State.Sync)
        {
            infra = e.State.Infras.GetValueOrDefault((nsId, infraId));
            if (infra is not null) UndefinedStatus.Observe(infra, e.Control);
        }
        switch (option ?? "")
        {
            case "" or "default":
                if (infra is null) return Error(StatusCodes.Status500InternalServerError, $"The infra {infraId} does not exist.");
                lock (e.State.Sync) return Json(WireViews.Infra(infra));
            case "status":
                if (infra is null) return Error(StatusCodes.Status400BadRequest, $"Not found [/ns/{nsId}/infra/{infraId}]");
                lock (e.State.Sync) return Json(new InfraStatusResponse(WireViews.Status(infra)));
            case "accessinfo":
                if (infra is null) return Error(StatusCodes.Status500InternalServerError, $"The infra {infraId} does not exist.");
                if (TerminateRefusal(infra, e) is { } terminating) return terminating;
                List<string> connections;
                lock (e.State.Sync) connections = infra.Nodes.Where(n => n.Machine is not null).Select(n => n.ConnectionName).Distinct().ToList();
                var keys = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var connection in connections)
                    keys[connection] = (await e.Machines.GetSharedKeyAsync(nsId, connection, CancellationToken.None)).PrivateKey;
                lock (e.State.Sync)
                    return Json(WireViews.Access(infra, n => keys.GetValueOrDefault(n.ConnectionName, ""), accessInfoOption == "showSshKey"));
            default:
                return Error(StatusCodes.Status400BadRequest, $"The sandbox does not implement option={option} for an Infra.");
        }
    }

    /// <summary>Access info is refused while the Infra is Terminated or under Terminate (cb-tumblebug src/core/infra/manageInfo.go:700-708 @v0.13.0), as a 500.</summary>
    private static IResult? TerminateRefusal(InfraRecord infra, EmulatorServices e)
    {
        lock (e.State.Sync)
        {
            var (status, action) = (WireViews.StatusText(infra), WireViews.TargetActionOf(infra));
            return status.StartsWith(NodeStatus.Terminated, StringComparison.Ordinal) || action == "Terminate"
                ? Error(StatusCodes.Status500InternalServerError,
                    $"Infra {infra.Id} is currently being terminated or in terminate action (Status: {status}, TargetAction: {action})")
                : null;
        }
    }

    private static async Task<IResult> DeleteNodeAsync(string nsId, string infraId, string nodeId, HttpContext http, EmulatorServices e)
    {
        if (NamespaceProblem(nsId, e) is { } problem) return problem;
        InfraRecord? infra;
        NodeRecord? node;
        lock (e.State.Sync)
        {
            infra = e.State.Infras.GetValueOrDefault((nsId, infraId));
            node = infra?.Nodes.FirstOrDefault(n => n.Id == nodeId);
        }
        if (infra is null || node is null) return Error(StatusCodes.Status400BadRequest, "Failed to delete the Node info");
        return await e.Termination.DeleteNodeAsync(infra, node, http.RequestAborted);
    }

    private static async Task<IResult> DeleteInfraAsync(string nsId, string infraId, string? option, HttpContext http, EmulatorServices e)
    {
        if (NamespaceProblem(nsId, e) is { } problem) return problem;
        InfraRecord? infra;
        lock (e.State.Sync) infra = e.State.Infras.GetValueOrDefault((nsId, infraId));
        if (infra is null) return Error(StatusCodes.Status500InternalServerError, $"The infra {infraId} does not exist.");
        if (option is not ("terminate" or "force"))
        {
            lock (e.State.Sync)
            {
                if (infra.Nodes.Any(n => n.Status is not (NodeStatus.Failed or NodeStatus.Terminated)))
                    return Error(StatusCodes.Status500InternalServerError,
                        $"Infra {infraId} is {WireViews.StatusText(infra)}: it can be deleted only when it is Terminated, Undefined, Failed, Preparing, Prepared or Empty. Use option=terminate.");
            }
        }
        return option == "terminate"
            ? await e.Termination.TerminateInfraAsync(infra, http.RequestAborted)
            : Json(new IdList(await e.Provisioner.DeleteInfraAsync(infra)));
    }

    private sealed record NodeGroupPlan(string Name, int Size, CatalogSpec Spec, CatalogImage Image, CreateNodeGroupDynamicReq Request);

    /// <summary>Checks one node group against the catalog: (plan, null) or (null, Tumblebug-style error).</summary>
    private static (NodeGroupPlan? Plan, string? Error) Plan(CreateNodeGroupDynamicReq group, IEnumerable<string> takenNames, CloudCatalog catalog)
    {
        var name = group.Name ?? "";
        if (NamingProblem(name, "nodeGroup") is { } badName) return (null, badName);
        if (takenNames.Contains(name, StringComparer.Ordinal)) return (null, $"The nodeGroup {name} already exists.");
        var size = group.NodeGroupSize ?? 1;
        if (size < 1) return (null, $"nodeGroupSize of {name} must be at least 1 (got {size}).");
        if (string.IsNullOrWhiteSpace(group.SpecId)) return (null, $"specId is required for nodeGroup {name}.");
        var spec = catalog.FindSpec(group.SpecId);
        if (spec is null) return (null, $"Failed to find the spec {group.SpecId}: not found in namespace system.");
        if (!string.IsNullOrWhiteSpace(group.ConnectionName) && !group.ConnectionName.Equals(spec.Region.ConnectionName, StringComparison.OrdinalIgnoreCase))
            return (null, $"connectionName {group.ConnectionName} does not match spec {spec.Id}, which belongs to {spec.Region.ConnectionName}.");
        if (string.IsNullOrWhiteSpace(group.ImageId)) return (null, $"imageId is required for nodeGroup {name}.");
        var image = catalog.FindImage(spec.Region, group.ImageId);
        if (image is null) return (null, $"Failed to find the image {group.ImageId} for {spec.Region.Provider} {spec.Region.Region}.");
        if (group.RootDiskSize is < 0) return (null, $"rootDiskSize of {name} cannot be negative.");
        return (new NodeGroupPlan(name, size, spec, image, group), null);
    }

    private static IEnumerable<NodeRecord> AddNodes(InfraRecord infra, NodeGroupPlan plan, EmulatorState state)
    {
        var added = new List<NodeRecord>();
        for (var i = 1; i <= plan.Size; i++)
        {
            var node = new NodeRecord
            {
                Id = $"{plan.Name}-{i}",
                Uid = Uids.Next(),
                NodeGroupId = plan.Name,
                Description = plan.Request.Description ?? "",
                UserLabel = plan.Request.Label ?? [],
                Region = plan.Spec.Region,
                Spec = plan.Spec,
                Image = plan.Image,
                RootDiskType = plan.Request.RootDiskType is { Length: > 0 } type ? type : "default",
                RootDiskSize = plan.Request.RootDiskSize ?? 0,
                PrivateIp = state.NextPrivateIp(infra.Namespace, plan.Spec.Region.ConnectionName),
                CreatedTime = Now(),
            };
            infra.Nodes.Add(node);
            added.Add(node);
        }
        return added;
    }

    /// <summary>Tumblebug's namespace middleware: a bad or unknown nsId is a 404 before any handler runs.</summary>
    private static IResult? NamespaceProblem(string nsId, EmulatorServices e)
    {
        if (NamingProblem(nsId, "namespace") is { } problem) return Error(StatusCodes.Status404NotFound, problem);
        lock (e.State.Sync)
            return e.State.Namespaces.ContainsKey(nsId) ? null : Error(StatusCodes.Status404NotFound, "Not valid namespace");
    }

    internal static string? NamingProblem(string name, string what) => NamingRule().IsMatch(name)
        ? null
        : $"The {what} name '{name}' is not valid: it must start with a lowercase letter, contain only lowercase letters, digits and '-', and not end with '-'.";

    private static NsInfo NsInfo(NamespaceRecord ns) => new("namespace", ns.Id, ns.Uid, ns.Id, ns.Description);

    /// <summary>Comma- or space-separated values mean "any of", case-insensitive.</summary>
    private static bool AnyOf(string? filter, string value) =>
        string.IsNullOrWhiteSpace(filter) || filter.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries).Any(f => f.Equals(value, StringComparison.OrdinalIgnoreCase));

    /// <summary>For id and cspSpecName: every token must appear in the value.</summary>
    private static bool AllIn(string? filter, string value) =>
        string.IsNullOrWhiteSpace(filter) || filter.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries).All(f => value.Contains(f, StringComparison.OrdinalIgnoreCase));

    private static bool Within(ValueRange? range, double value) =>
        range is null || ((range.Min is not { } min || value >= min) && (range.Max is not { } max || max <= 0 || value <= max));

    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpRequest request, bool allowEmpty = false) where T : class
    {
        try
        {
            if (request.ContentLength == 0 && allowEmpty) return (null, null);
            var body = await JsonSerializer.DeserializeAsync<T>(request.Body, TumblebugWire.Json, request.HttpContext.RequestAborted);
            return body is null && !allowEmpty ? (null, Error(StatusCodes.Status400BadRequest, "The request body is empty.")) : (body, null);
        }
        catch (JsonException ex)
        {
            return (null, Error(StatusCodes.Status400BadRequest, $"Invalid request body: {ex.Message}"));
        }
    }

    internal static IResult Json<T>(T value, int statusCode = StatusCodes.Status200OK) =>
        Results.Json(value, TumblebugWire.Json, statusCode: statusCode);

    internal static IResult Error(int statusCode, string message) => Json(new SimpleMsg(message), statusCode);
}
