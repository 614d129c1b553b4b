using Ladybug.Api.Contracts;
using Refit;

namespace Ladybug.Cli.Api;

/// <summary>The MCKS-compatible REST API as the CLI calls it.</summary>
public interface ILadybugApi
{
    [Get("/mcks/healthy")]
    Task<string> HealthyAsync(CancellationToken cancellationToken);

    [Get("/mcks/ns/{ns}/clusters")]
    Task<ClusterList> ListClustersAsync(string ns, CancellationToken cancellationToken);

    [Get("/mcks/ns/{ns}/clusters/{cluster}")]
    Task<ClusterResource> GetClusterAsync(string ns, string cluster, CancellationToken cancellationToken);

    [Post("/mcks/ns/{ns}/clusters")]
    Task<IApiResponse<ClusterResource>> CreateClusterAsync(string ns, [Body] ClusterRequest request, bool? wait, CancellationToken cancellationToken);

    [Delete("/mcks/ns/{ns}/clusters/{cluster}")]
    Task<IApiResponse<ApiStatus>> DeleteClusterAsync(string ns, string cluster, bool? wait, CancellationToken cancellationToken);

    [Get("/mcks/ns/{ns}/clusters/{cluster}/kubeconfig")]
    Task<string> GetKubeconfigAsync(string ns, string cluster, CancellationToken cancellationToken);

    [Post("/mcks/ns/{ns}/clusters/{cluster}/certificates/renew")]
    Task<IApiResponse<ClusterResource>> RenewCertificatesAsync(string ns, string cluster, bool? wait, CancellationToken cancellationToken);

    [Get("/mcks/ns/{ns}/clusters/{cluster}/logs")]
    Task<LogList> GetLogsAsync(string ns, string cluster, long afterSequence, int limit, CancellationToken cancellationToken);

    [Get("/mcks/ns/{ns}/clusters/{cluster}/nodes")]
    Task<NodeList> ListNodesAsync(string ns, string cluster, CancellationToken cancellationToken);

    [Get("/mcks/ns/{ns}/clusters/{cluster}/nodes/{node}")]
    Task<NodeResource> GetNodeAsync(string ns, string cluster, string node, CancellationToken cancellationToken);

    [Post("/mcks/ns/{ns}/clusters/{cluster}/nodes")]
    Task<IApiResponse<NodeList>> AddNodesAsync(string ns, string cluster, [Body] NodeRequest request, bool? wait, CancellationToken cancellationToken);

    [Delete("/mcks/ns/{ns}/clusters/{cluster}/nodes/{node}")]
    Task<IApiResponse<ApiStatus>> RemoveNodeAsync(string ns, string cluster, string node, bool? wait, CancellationToken cancellationToken);

    [Get("/mcks/mcir/connections")]
    Task<ConnectionList> ListConnectionsAsync(CancellationToken cancellationToken);

    /// <param name="controlPlane">"Y" for a control plane's minimums (2 vCPU, 2 GiB), else the worker's (1, 1).</param>
    [Get("/mcks/mcir/connections/{connection}/specs")]
    Task<SpecList> ListSpecsAsync(string connection, [AliasAs("control-plane")] string? controlPlane, CancellationToken cancellationToken);

    /// <summary>Lifts the lock repeated wrong passwords put on an account: 204, or 404 when it was not locked.</summary>
    [Post("/api/accounts/{user}/unlock")]
    Task<IApiResponse> UnlockAccountAsync(string user, CancellationToken cancellationToken);
}
