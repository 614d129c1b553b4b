using Ladybug.Sandbox.Catalog;
using Ladybug.Sandbox.Machines;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Ladybug.Sandbox.Emulator.TumblebugEmulatorApi;

namespace Ladybug.Sandbox.Emulator;

/// <summary>
/// Tumblebug v0.13's Infra routes: create an Infra or add node groups to it (answered as Tumblebug answers a creating
/// call, with its partial-failure policy), read it with its status and access info, delete a node or the whole Infra.
/// </summary>
internal static class InfraApi
{
    public static RouteGroupBuilder MapInfras(this RouteGroupBuilder api)
    {
        api.MapPost("/ns/{nsId}/infraDynamic", CreateInfraAsync);
        api.MapGet("/ns/{nsId}/infra/{infraId}", GetInfraAsync);
        api.MapPost("/ns/{nsId}/infra/{infraId}/nodeGroupDynamic", AddNodeGroupAsync);
        api.MapDelete("/ns/{nsId}/infra/{infraId}/node/{nodeId}", DeleteNodeAsync);
        api.MapDelete("/ns/{nsId}/infra/{infraId}", DeleteInfraAsync);
        return api;
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
}
