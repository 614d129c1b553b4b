using Ladybug.Api.Contracts;
using Ladybug.Engine.Domain;
using static Ladybug.Web.Api.McksResourceMapper;

namespace Ladybug.Web.Api;

/// <summary>/mcks/ns/{ns}/clusters: cb-mcks's cluster routes, plus the kubeconfig, the stored log and certificate renewal.</summary>
public static class ClustersApi
{
    public const int MaxLogLines = 10_000;

    public static IEndpointRouteBuilder MapClustersApi(this IEndpointRouteBuilder mcks)
    {
        var clusters = mcks.MapGroup("/ns/{ns}/clusters").WithTags("Clusters");

        clusters.MapGet("", ListAsync).WithName("ListClusters")
            .WithSummary("List the clusters of a namespace")
            .Produces<ClusterList>();
        clusters.MapPost("", CreateAsync).WithName("CreateCluster")
            .WithSummary("Create a cluster")
            .WithDescription("Validates, stores and queues the provisioning, then answers 202 with the cluster in Pending. "
                + "With ?wait=true the answer comes when provisioning ends: 200 with the cluster, or 500 with the failure.")
            .WithJsonBody<ClusterRequest>()
            .Produces<ClusterResource>(StatusCodes.Status202Accepted)
            .Produces<ClusterResource>()
            .ProducesStatus(StatusCodes.Status400BadRequest, StatusCodes.Status500InternalServerError);
        clusters.MapGet("/{cluster}", GetAsync).WithName("GetCluster")
            .WithSummary("Get a cluster with its nodes")
            .Produces<ClusterResource>()
            .ProducesStatus(StatusCodes.Status404NotFound);
        clusters.MapDelete("/{cluster}", DeleteAsync).WithName("DeleteCluster")
            .WithSummary("Delete a cluster and its machines")
            .WithDescription("Answers 202 at once; with ?wait=true, 200 once the machines are gone.")
            .ProducesStatus(StatusCodes.Status202Accepted, StatusCodes.Status200OK, StatusCodes.Status404NotFound);
        clusters.MapGet("/{cluster}/kubeconfig", KubeconfigAsync).WithName("GetKubeconfig")
            .WithSummary("Download the admin kubeconfig (every download is audited)")
            .Produces<string>(contentType: "application/yaml")
            .ProducesStatus(StatusCodes.Status404NotFound);
        clusters.MapPost("/{cluster}/certificates/renew", RenewCertificatesAsync).WithName("RenewCertificates")
            .WithSummary("Renew the cluster's kubeadm certificates (a Ladybug addition)")
            .WithDescription("kubeadm certs renew all on every control plane, one at a time, each followed by a restart of its static pods; "
                + "then the stored admin kubeconfig is refreshed. Answers 202 with the cluster; 409 unless it is Provisioned with no other job. "
                + "With ?wait=true the answer comes when the renewal ends: 200 with the cluster, or 500 with the failure.")
            .Produces<ClusterResource>(StatusCodes.Status202Accepted)
            .Produces<ClusterResource>()
            .ProducesStatus(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status500InternalServerError);
        clusters.MapGet("/{cluster}/logs", LogsAsync).WithName("GetClusterLogs")
            .WithSummary("Stored provisioning log lines after a sequence number (redacted)")
            .Produces<LogList>()
            .ProducesStatus(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        return mcks;
    }

    private static async Task<IResult> ListAsync(string ns, [AsParameters] McksServices s, CancellationToken cancellationToken)
    {
        var clusters = await s.Queries.ListAsync(ns, cancellationToken: cancellationToken);
        return McksResults.Json(new ClusterList { Items = [.. await s.ResourcesAsync(clusters, cancellationToken)] });
    }

    private static async Task<IResult> GetAsync(string ns, string cluster, [AsParameters] McksServices s, CancellationToken cancellationToken)
    {
        var found = await s.FindAsync(ns, cluster, cancellationToken);
        return found is null ? McksResults.ClusterNotFound(ns, cluster) : McksResults.Json(await s.ResourceAsync(found, cancellationToken));
    }

    private static async Task<IResult> CreateAsync(string ns, HttpRequest request, string? wait, [AsParameters] McksServices s, CancellationToken cancellationToken)
    {
        var (waitForJob, waitError) = McksRequestReader.ReadWait(wait);
        if (waitError is not null) return waitError;
        var (body, error) = await McksRequestReader.ReadBodyAsync<ClusterRequest>(request, cancellationToken);
        if (body is null) return error!;

        var (spec, errors) = McksRequestMapper.ToSpec(ns, body);
        if (!errors.IsValid)
        {
            // Report every problem at once: the MCKS-shape ones and the validator's.
            errors.Merge(McksRequestMapper.Translate(await s.Clusters.ValidateAsync(spec, cancellationToken), body));
            return McksResults.Invalid(errors);
        }
        ClusterView cluster;
        try
        {
            cluster = await s.Clusters.CreateAsync(spec, cancellationToken);
        }
        catch (ClusterValidationException ex)
        {
            return McksResults.Invalid(McksRequestMapper.Translate(ex.Errors, body));
        }

        var location = McksServices.ClusterPath(ns, cluster.Name);
        if (!waitForJob) return McksResults.Accepted(location, await s.ResourceAsync(cluster, cancellationToken));
        var job = await s.Waiter.WaitAsync(cluster.Id, JobKind.Create, cancellationToken);
        var current = await s.ResourceAsync(await s.Queries.GetAsync(cluster.Id, cancellationToken) ?? cluster, cancellationToken);
        return McksResults.AfterWait(job, McksResults.Json(current), McksResults.Accepted(location, current),
            $"Cluster '{cluster.Name}' was not provisioned");
    }

    private static async Task<IResult> DeleteAsync(string ns, string cluster, string? wait, [AsParameters] McksServices s, CancellationToken cancellationToken)
    {
        var (waitForJob, waitError) = McksRequestReader.ReadWait(wait);
        if (waitError is not null) return waitError;
        var found = await s.FindAsync(ns, cluster, cancellationToken);
        if (found is null) return McksResults.ClusterNotFound(ns, cluster);

        await s.Clusters.DeleteAsync(found.Id, cancellationToken);
        var location = McksServices.ClusterPath(ns, cluster);
        var pending = McksResults.Accepted(location, new ApiStatus { Code = StatusCodes.Status202Accepted, Message = $"Cluster '{cluster}' is being deleted" });
        if (!waitForJob) return pending;
        var job = await s.Waiter.WaitAsync(found.Id, JobKind.DeleteCluster, cancellationToken);
        return McksResults.AfterWait(job, McksResults.Status(StatusCodes.Status200OK, $"Cluster '{cluster}' has been deleted"), pending,
            $"Cluster '{cluster}' was not deleted");
    }

    private static async Task<IResult> RenewCertificatesAsync(string ns, string cluster, string? wait, [AsParameters] McksServices s, CancellationToken cancellationToken)
    {
        var (waitForJob, waitError) = McksRequestReader.ReadWait(wait);
        if (waitError is not null) return waitError;
        var found = await s.FindAsync(ns, cluster, cancellationToken);
        if (found is null) return McksResults.ClusterNotFound(ns, cluster);

        await s.Clusters.RenewCertificatesAsync(found.Id, cancellationToken);
        var location = McksServices.ClusterPath(ns, cluster);
        if (!waitForJob) return McksResults.Accepted(location, await s.ResourceAsync(found, cancellationToken));
        var job = await s.Waiter.WaitAsync(found.Id, JobKind.RenewCertificates, cancellationToken);
        var current = await s.ResourceAsync(await s.Queries.GetAsync(found.Id, cancellationToken) ?? found, cancellationToken);
        return McksResults.AfterWait(job, McksResults.Json(current), McksResults.Accepted(location, current),
            $"The certificates of cluster '{cluster}' were not renewed");
    }

    private static async Task<IResult> KubeconfigAsync(string ns, string cluster, HttpContext http, [AsParameters] McksServices s, CancellationToken cancellationToken)
    {
        var found = await s.FindAsync(ns, cluster, cancellationToken);
        if (found is null) return McksResults.ClusterNotFound(ns, cluster);
        var kubeconfig = await s.Queries.ReadKubeconfigAsync(found.Id, http.User.Identity?.Name ?? "unknown", cancellationToken);
        return kubeconfig is null
            ? McksResults.NotFound($"Cluster '{cluster}' has no kubeconfig yet: it is {found.Phase}, and the kubeconfig exists once it is Provisioned.")
            : TypedResults.Text(kubeconfig, "application/yaml");
    }

    private static async Task<IResult> LogsAsync(string ns, string cluster, string? afterSequence, string? limit, [AsParameters] McksServices s, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var after = McksRequestReader.ReadLong(nameof(afterSequence), afterSequence, 0, 0, errors);
        var count = McksRequestReader.ReadInt(nameof(limit), limit, 1000, 1, MaxLogLines, errors);
        if (!errors.IsValid) return McksResults.Invalid(errors);
        var found = await s.FindAsync(ns, cluster, cancellationToken);
        if (found is null) return McksResults.ClusterNotFound(ns, cluster);
        var lines = await s.Log.ReadAsync(found.Id, after, count, cancellationToken);
        return McksResults.Json(new LogList { Items = lines.Select(ToResource).ToList() });
    }
}
