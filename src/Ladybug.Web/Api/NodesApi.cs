using Ladybug.Api.Contracts;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using static Ladybug.Web.Api.McksResourceMapper;

namespace Ladybug.Web.Api;

/// <summary>/mcks/ns/{ns}/clusters/{cluster}/nodes: list, get, add workers, remove a worker.</summary>
public static class NodesApi
{
    public static IEndpointRouteBuilder MapNodesApi(this IEndpointRouteBuilder mcks)
    {
        var nodes = mcks.MapGroup("/ns/{ns}/clusters/{cluster}/nodes").WithTags("Nodes");

        nodes.MapGet("", ListAsync).WithName("ListNodes")
            .WithSummary("List the nodes of a cluster")
            .Produces<NodeList>()
            .ProducesStatus(StatusCodes.Status404NotFound);
        nodes.MapPost("", AddAsync).WithName("AddNodes")
            .WithSummary("Add worker pools to a Provisioned cluster")
            .WithDescription("Answers 202 with the current nodes; the new ones appear as they are created. "
                + "With ?wait=true the answer comes when the job ends: 200 with every node, or 500 with the failure.")
            .WithJsonBody<NodeRequest>()
            .Produces<NodeList>(StatusCodes.Status202Accepted)
            .Produces<NodeList>()
            .ProducesStatus(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status500InternalServerError);
        nodes.MapGet("/{node}", GetAsync).WithName("GetNode")
            .WithSummary("Get a node")
            .Produces<NodeResource>()
            .ProducesStatus(StatusCodes.Status404NotFound);
        nodes.MapDelete("/{node}", RemoveAsync).WithName("RemoveNode")
            .WithSummary("Drain and remove a worker node, then delete its machine")
            .ProducesStatus(StatusCodes.Status202Accepted, StatusCodes.Status200OK, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return mcks;
    }

    private static async Task<IResult> ListAsync(string ns, string cluster, [AsParameters] McksServices s, CancellationToken cancellationToken)
    {
        var found = await s.FindAsync(ns, cluster, cancellationToken);
        return found is null ? McksResults.ClusterNotFound(ns, cluster) : McksResults.Json(new NodeList { Items = ToNodes(found) });
    }

    private static async Task<IResult> GetAsync(string ns, string cluster, string node, [AsParameters] McksServices s, CancellationToken cancellationToken)
    {
        var found = await s.FindAsync(ns, cluster, cancellationToken);
        if (found is null) return McksResults.ClusterNotFound(ns, cluster);
        var match = found.Nodes.FirstOrDefault(n => n.Name == node && n.DeletedAt is null);
        return match is null
            ? McksResults.NotFound($"Node '{node}' was not found in cluster '{cluster}'.")
            : McksResults.Json(ToResource(match));
    }

    private static async Task<IResult> AddAsync(string ns, string cluster, HttpRequest request, string? wait, [AsParameters] McksServices s, CancellationToken cancellationToken)
    {
        var (waitForJob, waitError) = McksRequestReader.ReadWait(wait);
        if (waitError is not null) return waitError;
        var (body, error) = await McksRequestReader.ReadBodyAsync<NodeRequest>(request, cancellationToken);
        if (body is null) return error!;

        var (pools, errors) = McksRequestMapper.ToWorkerPools(body);
        if (!errors.IsValid)
        {
            var poolErrors = new ValidationErrors();
            for (var i = 0; i < pools.Count; i++)
                ClusterSpecValidator.ValidatePool(SpecPaths.WorkerPool(i), pools[i], NodeRole.Worker, poolErrors);
            errors.Merge(McksFieldPaths.FromEngine(poolErrors));
            return McksResults.Invalid(errors);
        }
        var found = await s.FindAsync(ns, cluster, cancellationToken);
        if (found is null) return McksResults.ClusterNotFound(ns, cluster);

        await s.Clusters.AddNodesAsync(found.Id, pools, cancellationToken);
        var location = $"{McksServices.ClusterPath(ns, cluster)}/nodes";
        var pending = McksResults.Accepted(location, new NodeList { Items = ToNodes(found) });
        if (!waitForJob) return pending;
        var job = await s.Waiter.WaitAsync(found.Id, JobKind.AddNodes, cancellationToken);
        var current = await s.Queries.GetAsync(found.Id, cancellationToken) ?? found;
        return McksResults.AfterWait(job, McksResults.Json(new NodeList { Items = ToNodes(current) }),
            McksResults.Accepted(location, new NodeList { Items = ToNodes(current) }), $"Nodes were not added to cluster '{cluster}'");
    }

    private static async Task<IResult> RemoveAsync(string ns, string cluster, string node, string? wait, [AsParameters] McksServices s, CancellationToken cancellationToken)
    {
        var (waitForJob, waitError) = McksRequestReader.ReadWait(wait);
        if (waitError is not null) return waitError;
        var found = await s.FindAsync(ns, cluster, cancellationToken);
        if (found is null) return McksResults.ClusterNotFound(ns, cluster);

        await s.Clusters.RemoveNodeAsync(found.Id, node, cancellationToken);
        var pending = McksResults.Accepted($"{McksServices.ClusterPath(ns, cluster)}/nodes/{Uri.EscapeDataString(node)}",
            new ApiStatus { Code = StatusCodes.Status202Accepted, Message = $"Node '{node}' is being removed from cluster '{cluster}'" });
        if (!waitForJob) return pending;
        var job = await s.Waiter.WaitAsync(found.Id, JobKind.RemoveNode, cancellationToken);
        return McksResults.AfterWait(job, McksResults.Status(StatusCodes.Status200OK, $"Node '{node}' has been deleted"), pending,
            $"Node '{node}' was not removed");
    }
}
