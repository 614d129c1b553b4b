using System.Text.Json;
using System.Text.RegularExpressions;
using Ladybug.Sandbox.Catalog;
using Ladybug.Sandbox.Machines;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ladybug.Sandbox.Emulator;

/// <summary>What the emulator's handlers share.</summary>
internal sealed record EmulatorServices(EmulatorState State, CloudCatalog Catalog, InfraProvisioner Provisioner, SandboxMachines Machines, SandboxControl Control, InitializationClock Initialization, RequestLedger Ledger)
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

    /// <summary>CheckString: case-insensitive, '+' allowed inside (src/core/common/utility.go:207-223 @v0.13.0).</summary>
    [GeneratedRegex("^[a-z]([-a-z0-9+]*[a-z0-9])?$", RegexOptions.IgnoreCase)]
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
        api.MapGet("/request/{reqId}", GetRequest);
        api.MapSecurityGroupTemplates();
        api.MapFallback(() => Error(StatusCodes.Status404NotFound, "Not Found"));
        return app;
    }

    private static IResult GetReadyz(EmulatorServices e) => e.Machines.Problem is { } problem
        ? Json(new ReadyzResponse($"CB-Tumblebug (sandbox) is not ready: {problem}", false, e.Initialization.Initialized), StatusCodes.Status503ServiceUnavailable)
        : e.Initialization.Initialized
            ? Json(new ReadyzResponse("CB-Tumblebug is ready and initialized", true, true))
            : Json(new ReadyzResponse("CB-Tumblebug is ready but not initialized (waiting for init.py)", true, false));

    /// <summary>RestGetRequest (src/interface/rest/server/common/config.go:180-188 @v0.13.0).</summary>
    private static IResult GetRequest(string reqId, EmulatorServices e)
    {
        if (e.Ledger.Find(reqId) is not { } details) return Error(StatusCodes.Status404NotFound, "Request ID not found");
        string json;
        lock (details) json = JsonSerializer.Serialize(details, TumblebugWire.Json);
        return Results.Text(json, "application/json", statusCode: StatusCodes.Status200OK);
    }

    /// <summary>LoseCreateResponses: the outcome is reached and recorded, then the connection drops instead of the answer.</summary>
    private static IResult Deliver(HttpContext http, EmulatorServices e, IResult result)
    {
        if (e.Control.ClaimLostCreateResponse()) http.Items[TumblebugGate.LostAnswerKey] = true;
        return result;
    }

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
        // RestPostNs hands EndRequestWithLog a non-nil NsInfo, so every CreateNs error is a 500
        // (src/interface/rest/server/common/namespace.go:160-171, src/core/common/namespace.go:57-75 @v0.13.0).
        if (NamingProblem(name, "namespace") is { } problem) return Error(StatusCodes.Status500InternalServerError, problem);
        NamespaceRecord ns;
        lock (e.State.Sync)
        {
            if (e.State.Namespaces.ContainsKey(name))
                return Error(StatusCodes.Status500InternalServerError, $"CreateNs(); The namespace {name} already exists.");
            ns = e.State.Namespaces[name] = new NamespaceRecord(name, Uids.Next(), body.Description ?? "");
        }
        e.State.NotifyChanged();
        return Json(NsInfo(ns));
    }

    /// <summary>
    /// GetConnConfigList only appends, so when nothing is left after filterVerified the list is nil:
    /// {"connectionconfig":null} (src/core/common/utility.go:572-617 @v0.13.0).
    /// </summary>
    private static IResult ListConnections(bool? filterVerified, EmulatorServices e)
    {
        var unverified = e.Initialization.Initialized ? e.Control.Faults.UnverifiedConnections : ["*"];
        List<ConnConfig>? list = null;
        foreach (var region in e.Catalog.Regions)
        {
            var verified = !unverified.Any(u => u == "*" || u.Equals(region.ConnectionName, StringComparison.OrdinalIgnoreCase));
            if (filterVerified == true && !verified) continue;
            (list ??= []).Add(WireViews.ConnConfig(region, verified));
        }
        return Json(new ConnConfigList(list));
    }

    private static async Task<IResult> FilterSpecsAsync(string nsId, HttpRequest request, EmulatorServices e)
    {
        if (NamespaceProblem(nsId, e) is { } problem) return problem;
        var (filter, invalid) = await ReadAsync<FilterSpecsByRangeRequest>(request, allowEmpty: true);
        if (invalid is not null) return invalid;
        filter ??= new FilterSpecsByRangeRequest();
        var specs = Candidates(filter.ConnectionName, e.Catalog)
            .Where(_ => e.Initialization.Initialized)
            .Where(s => AnyOf(filter.ConnectionName, s.Region.ConnectionName)
                && AnyOf(filter.ProviderName, s.Region.Provider)
                && AnyOf(filter.RegionName, s.Region.Region)
                && AnyOf(filter.Architecture, s.Architecture)
                && AllIn(filter.Id, s.Id)
                && AllIn(filter.CspSpecName, s.CspSpecName)
                && Within(filter.VCpu, s.VCpu) && Within(filter.MemoryGiB, s.MemoryGiB) && Within(filter.CostPerHour, s.CostPerHour))
            .OrderBy(s => s.Region.ConnectionName, StringComparer.Ordinal).ThenBy(s => s.VCpu).ThenBy(s => s.MemoryGiB)
            .Take(filter.Limit > 0 ? filter.Limit : int.MaxValue)
            .Select((s, i) => WireViews.Spec(s, i + 1))
            .ToList();
        return Json(new FilterSpecsResponse(specs));
    }

    /// <summary>
    /// The specs a connectionName filter can match, from the catalog's index: the same rows the full scan would
    /// keep (the filter is applied to them again), without walking thousands of specs for the usual one connection.
    /// </summary>
    private static IEnumerable<CatalogSpec> Candidates(string? connectionFilter, CloudCatalog catalog)
    {
        var connections = (connectionFilter ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries);
        return connections.Length == 0 ? catalog.Specs : connections.Distinct(StringComparer.OrdinalIgnoreCase).SelectMany(catalog.SpecsOf);
    }

    private static async Task<IResult> SearchImageAsync(string nsId, HttpRequest request, EmulatorServices e)
    {
        if (NamespaceProblem(nsId, e) is { } problem) return problem;
        var (search, invalid) = await ReadAsync<SearchImageRequest>(request);
        if (invalid is not null) return invalid;
        CatalogRegion? region;
        var architecture = search!.OsArchitecture ?? "";
        if (!string.IsNullOrWhiteSpace(search.MatchedSpecId))
        {
            var spec = e.Catalog.FindSpec(search.MatchedSpecId);
            if (spec is null) return Error(StatusCodes.Status400BadRequest, $"Failed to find the spec {search.MatchedSpecId}: not found in namespace system.");
            region = spec.Region;
            // The spec's architecture wins unless it is "" or "NA" (src/core/resource/image.go:2067-2070 @v0.13.0).
            if (spec.Architecture is not ("" or CatalogSpec.NotAvailableArchitecture)) architecture = spec.Architecture;
        }
        else
        {
            region = e.Catalog.Regions.FirstOrDefault(r =>
                r.Provider.Equals(search.ProviderName, StringComparison.OrdinalIgnoreCase) && r.Region.Equals(search.RegionName, StringComparison.OrdinalIgnoreCase));
            if (region is null) return Error(StatusCodes.Status400BadRequest, "Give matchedSpecId, or providerName and regionName of a known region.");
        }
        var wanted = (search.OsType ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var images = e.Catalog.ImagesOf(region)
            .Where(_ => e.Initialization.Initialized)
            .Where(i => wanted.All(w => i.OsType.Contains(w, StringComparison.OrdinalIgnoreCase)))
            // os_architecture IN (value, 'na'), case-insensitive (image.go:2113-2119 @v0.13.0).
            .Where(_ => architecture.Length == 0
                || architecture.Equals(CatalogImage.Architecture, StringComparison.OrdinalIgnoreCase)
                || CatalogImage.Architecture.Equals(CatalogSpec.NotAvailableArchitecture, StringComparison.OrdinalIgnoreCase))
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
        // Anything but rollback and refine is handled as continue (the switch defaults, provisioning.go:1567-1579 @v0.13.0).
        var policy = request.PolicyOnPartialFailure ?? "";
        var plans = new List<NodeGroupPlan>();
        foreach (var group in request.NodeGroups)
        {
            var (plan, error) = Plan(group, plans.Select(p => p.Name), e.Catalog);
            if (error is not null) return Error(StatusCodes.Status400BadRequest, error);
            plans.Add(plan!);
        }

        var timeline = new CreationTimeline();
        var unprepared = plans.Where(p => e.Control.Faults.FailPreparationOnConnections.Contains(p.Connection.ConnectionName, StringComparer.OrdinalIgnoreCase)).ToList();
        InfraRecord infra;
        List<NodeRecord> nodes;
        lock (e.State.Sync)
        {
            if (e.State.Infras.ContainsKey((nsId, name)))
                return Error(StatusCodes.Status400BadRequest, $"The infra {name} already exists.");
            // Node-group sgTemplateId overrides the Infra's (provisioning.go:1954-1962 @v0.13.0).
            var securityGroups = SecurityGroupPreparation.Prepare(e.State, nsId, name,
                [.. plans.Select(p => (p.Name, p.Spec.Region.ConnectionName, NonEmpty(p.Request.SgTemplateId) ?? request.SgTemplateId))]);
            if (securityGroups.AllFailed) return Error(StatusCodes.Status400BadRequest, securityGroups.AllFailedMessage(name));
            plans.RemoveAll(p => securityGroups.Failed.ContainsKey(p.Name));
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
            e.State.Infras[(nsId, name)] = infra;
            if (unprepared.Count > 0)
            {
                var failure = timeline.PreparationFailed(infra, unprepared.Select(p => (p.Name, p.Connection.ConnectionName)).ToList(), plans.Count, policy);
                if (failure is not null)
                {
                    if (infra.StoredStatus is null) e.State.Infras.Remove((nsId, name)); // policy=rollback cleans up
                    e.State.NotifyChanged();
                    return Deliver(http, e, Error(StatusCodes.Status400BadRequest, failure));
                }
            }
            var prepared = plans.Except(unprepared).ToList();
            // The progress entries GET /request/{reqId} shows while the call runs (provisioning.go:2293-2304, 4294 @v0.13.0).
            foreach (var plan in prepared) e.Ledger.Progress(http, $"Prepared resources for VM:{plan.Name}", plan.Request);
            e.Ledger.Progress(http, $"Prepared {prepared.Count} resources for provisioning Infra: {name}");
            e.Ledger.Progress(http, "Start instance provisioning");
            timeline.Add("Infra Status Update", $"Infra marked as Prepared with {prepared.Count} successful NodeGroups");
            nodes = [.. prepared.SelectMany(p => AddNodes(infra, p, e.State))];
        }
        e.State.NotifyChanged();
        foreach (var node in nodes) e.Provisioner.Launch(infra, node);
        return await AnswerCreatingCallAsync(http, infra, nodes, e, new CreationPolicy(policy, timeline));
    }

    private static async Task<IResult> AddNodeGroupAsync(string nsId, string infraId, HttpContext http, EmulatorServices e)
    {
        if (NamespaceProblem(nsId, e) is { } problem) return problem;
        var (group, invalid) = await ReadAsync<CreateNodeGroupDynamicReq>(http.Request);
        if (invalid is not null) return invalid;
        InfraRecord? infra;
        lock (e.State.Sync) infra = e.State.Infras.GetValueOrDefault((nsId, infraId));
        // RestPostInfraNodeGroupDynamic passes its non-nil result to EndRequestWithLog: every error is a 500
        // (src/interface/rest/server/infra/provisioning.go:447-460, src/core/infra/provisioning.go:3511-3535 @v0.13.0).
        if (infra is null) return Error(StatusCodes.Status500InternalServerError, $"The infra {infraId} does not exist.");

        List<NodeRecord> nodes;
        lock (e.State.Sync)
        {
            var (plan, error) = Plan(group!, infra.Nodes.Select(n => n.NodeGroupId).Distinct(), e.Catalog);
            if (error is not null) return Error(StatusCodes.Status500InternalServerError, error);
            // CreateInfraNodeGroupDynamic returns the preparation error with its (empty) Infra: a 500 (provisioning.go:3531-3535, rest provisioning.go:458-459 @v0.13.0).
            var prepared = SecurityGroupPreparation.Prepare(e.State, nsId, infraId, [(plan!.Name, plan.Spec.Region.ConnectionName, group!.SgTemplateId)]);
            if (prepared.Failed.Values.FirstOrDefault() is { } sgError) return Error(StatusCodes.Status500InternalServerError, sgError);
            nodes = [.. AddNodes(infra, plan!, e.State)];
            infra.NewNodeList = nodes.Select(n => n.Id).ToList();
        }
        e.State.NotifyChanged();
        foreach (var node in nodes) e.Provisioner.Launch(infra, node);
        return await AnswerCreatingCallAsync(http, infra, nodes, e, policy: null);
    }

    /// <summary>
    /// Creating calls are synchronous: the answer comes once the new nodes settled (or Tumblebug's wait ran out).
    /// For infraDynamic (<paramref name="policy"/> set) failed nodes shape the answer as CreateInfra does.
    /// </summary>
    private static async Task<IResult> AnswerCreatingCallAsync(HttpContext http, InfraRecord infra, List<NodeRecord> nodes, EmulatorServices e, CreationPolicy? policy)
    {
        // Not the client leaving (TumblebugGate), only the sandbox stopping ends the wait.
        await e.Provisioner.WaitSettledAsync(nodes, http.RequestAborted);
        return Deliver(http, e, await OutcomeAsync(infra, nodes, e, policy));
    }

    private static async Task<IResult> OutcomeAsync(InfraRecord infra, List<NodeRecord> nodes, EmulatorServices e, CreationPolicy? policy)
    {
        List<NodeRecord> failed;
        lock (e.State.Sync)
        {
            if (infra.Deleted) return Error(StatusCodes.Status500InternalServerError, $"The infra {infra.Id} was deleted while it was being created.");
            if (policy is null) return Json(WireViews.Infra(infra));
            // CreateInfra answers with GetInfraInfo, which asks the CSPs for every node's status like any Infra read, after
            // setting targetAction Complete: a healthy node can answer Undefined here too (src/core/infra/provisioning.go:1713-1718,
            // 1775-1829, manageInfo.go:524-568 @v0.13.0).
            UndefinedStatus.Observe(infra, e.Control);
            failed = nodes.Where(n => n.Status == NodeStatus.Failed).ToList();
            if (failed.Count == 0) return Json(WireViews.Infra(infra));
            if (failed.Count == nodes.Count)
                return Error(StatusCodes.Status400BadRequest, policy.Timeline.AllNodesFailed(infra, failed));
            if (policy.Name != CreationPolicy.Rollback)
            {
                var errors = policy.Timeline.PartialFailure(infra, failed, nodes.Count, policy.Name);
                if (policy.Name != CreationPolicy.Refine) return Json(WireViews.Infra(infra, errors));
                // refine soft-deletes the Failed nodes before the answer (provisioning.go:1765-1775 @v0.13.0).
                foreach (var node in failed) infra.Nodes.Remove(node);
                e.State.NotifyChanged();
                return Json(WireViews.Infra(infra, errors));
            }
        }
        // rollback: cleanupPartialInfra, then CreateInfraDynamic wraps the error (provisioning.go:1681-1693, 2316-2345 @v0.13.0).
        await e.Provisioner.DeleteInfraAsync(infra);
        return Error(StatusCodes.Status400BadRequest, policy.Timeline.RolledBack(infra, failed));
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
        // RestGetInfra: id, status and accessinfo; any other option is the full read (rest/server/infra/manageInfo.go:79-107 @v0.13.0).
        switch (option ?? "")
        {
            case "id":
                if (infra is null) return Error(StatusCodes.Status500InternalServerError, $"The infra {infraId} does not exist.");
                lock (e.State.Sync) return Json(new IdList(infra.Nodes.Count == 0 ? null : infra.Nodes.Select(n => n.Id).Order(StringComparer.Ordinal).ToList()));
            case "status":
                if (infra is null) return Error(StatusCodes.Status400BadRequest, $"Not found [/ns/{nsId}/infra/{infraId}]");
                lock (e.State.Sync) return Json(new InfraStatusResponse(WireViews.Status(infra)));
            case "accessinfo":
                if (infra is null) return Error(StatusCodes.Status500InternalServerError, $"The infra {infraId} does not exist.");
                if (TerminateRefusal(infra, e) is { } terminating) return terminating;
                // GetNodeSshKey reads the key the node names (src/core/infra/manageInfo.go:787 @v0.13.0).
                List<string> keyIds;
                lock (e.State.Sync) keyIds = infra.Nodes.Where(n => n.Machine is not null).Select(n => n.SshKeyId).Distinct().ToList();
                var keys = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var keyId in keyIds)
                    keys[keyId] = (await e.Machines.GetKeyAsync(nsId, keyId, CancellationToken.None)).PrivateKey;
                lock (e.State.Sync)
                    return Json(WireViews.Access(infra, n => n.Machine is null ? "" : keys.GetValueOrDefault(n.SshKeyId, ""), string.Equals(accessInfoOption, "showSshKey", StringComparison.OrdinalIgnoreCase)));
            default:
                if (infra is null) return Error(StatusCodes.Status500InternalServerError, $"The infra {infraId} does not exist.");
                lock (e.State.Sync) return Json(WireViews.Infra(infra));
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

    /// <summary><paramref name="Connection"/> is the spec's region unless the request named another connection (an override Tumblebug accepts).</summary>
    private sealed record NodeGroupPlan(string Name, int Size, CatalogSpec Spec, CatalogImage Image, CatalogRegion Connection, CreateNodeGroupDynamicReq Request);

    /// <summary>Checks one node group against the catalog: (plan, null) or (null, Tumblebug-style error).</summary>
    private static (NodeGroupPlan? Plan, string? Error) Plan(CreateNodeGroupDynamicReq group, IEnumerable<string> takenNames, CloudCatalog catalog)
    {
        var name = group.Name ?? "";
        if (NamingProblem(name, "nodeGroup") is { } badName) return (null, badName);
        // Node groups and nodes are named ToLower(name) (src/core/infra/provisioning.go:1488-1497 @v0.13.0).
        if (takenNames.Contains(ToLower(name), StringComparer.Ordinal)) return (null, $"The name for NodeGroup (prefix of VM Id) {name} already exists.");
        var size = group.NodeGroupSize ?? 1;
        if (size < 1) return (null, $"nodeGroupSize of {name} must be at least 1 (got {size}).");
        if (string.IsNullOrWhiteSpace(group.SpecId)) return (null, $"specId is required for nodeGroup {name}.");
        var spec = catalog.FindSpec(group.SpecId);
        if (spec is null) return (null, $"Failed to find the spec {group.SpecId}: not found in namespace system.");
        // A connectionName in the request overrides the spec's, if that connection exists
        // (src/core/infra/provisioning.go:3883-3895 @v0.13.0); a spec its region does not sell then fails at the CSP (CspSpecRefusal).
        var connection = spec.Region;
        if (!string.IsNullOrWhiteSpace(group.ConnectionName))
        {
            connection = catalog.FindConnection(group.ConnectionName)!;
            if (connection is null)
                return (null, $"failed to get connection configuration '{group.ConnectionName}' for VM '{name}' with spec '{spec.Id}': not found. Please verify the connection exists and is properly configured");
        }
        if (string.IsNullOrWhiteSpace(group.ImageId)) return (null, $"imageId is required for nodeGroup {name}.");
        var image = catalog.FindImage(spec.Region, group.ImageId);
        if (image is null) return (null, $"Failed to find the image {group.ImageId} for {spec.Region.Provider} {spec.Region.Region}.");
        if (group.RootDiskSize is < 0) return (null, $"rootDiskSize of {name} cannot be negative.");
        return (new NodeGroupPlan(name, size, spec, image, connection, group), null);
    }

    private static IEnumerable<NodeRecord> AddNodes(InfraRecord infra, NodeGroupPlan plan, EmulatorState state)
    {
        var added = new List<NodeRecord>();
        for (var i = 1; i <= plan.Size; i++)
        {
            var node = new NodeRecord
            {
                Id = $"{ToLower(plan.Name)}-{i}",
                Uid = Uids.Next(),
                NodeGroupId = ToLower(plan.Name),
                Description = plan.Request.Description ?? "",
                UserLabel = plan.Request.Label ?? [],
                Region = plan.Connection,
                Spec = plan.Spec,
                Image = plan.Image,
                RootDiskType = plan.Request.RootDiskType is { Length: > 0 } type ? type : "default",
                RootDiskSize = plan.Request.RootDiskSize ?? 0,
                PrivateIp = state.NextPrivateIp(infra.Namespace, plan.Connection.ConnectionName),
                CreatedTime = Now(),
                SshKeyId = SshKeys.IdFor(infra.Id, plan.Connection.ConnectionName, plan.Request.Zone),
            };
            infra.Nodes.Add(node);
            added.Add(node);
        }
        return added;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    internal static IResult? CheckNamespace(string nsId, EmulatorServices e) => NamespaceProblem(nsId, e);

    internal static Task<(T? Body, IResult? Error)> ReadBodyAsync<T>(HttpRequest request) where T : class => ReadAsync<T>(request);

    /// <summary>Tumblebug's namespace middleware: a bad or unknown nsId is a 404 before any handler runs (src/core/common/namespace.go:34-55 @v0.13.0).</summary>
    private static IResult? NamespaceProblem(string nsId, EmulatorServices e)
    {
        if (NamingProblem(nsId, "namespace") is not null)
            return Error(StatusCodes.Status404NotFound, "The first character of name must be a lowercase letter, and all following characters must be a dash, lowercase letter, or digit, except the last character, which cannot be a dash.");
        lock (e.State.Sync)
            return e.State.Namespaces.ContainsKey(nsId) ? null : Error(StatusCodes.Status404NotFound, "Not valid namespace");
    }

    /// <summary>CheckString's words (src/core/common/utility.go:207-223 @v0.13.0); <paramref name="what"/> is for callers' logs only.</summary>
    internal static string? NamingProblem(string name, string what) =>
        name.Length == 0 ? "CheckString - empty string"
        : NamingRule().IsMatch(name) ? null
        : $"{name}: The name must follow these rules: 1. The first character must be a letter (case-insensitive). 2. All following characters can be a dash, letter (case-insensitive), digit, or +. 3. The last character cannot be a dash.";

    /// <summary>common.ToLower: '_' and ' ' become '-', then lower case (src/core/common/utility.go:226-231 @v0.13.0).</summary>
    internal static string ToLower(string name) => name.Replace('_', '-').Replace(' ', '-').ToLowerInvariant();

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
