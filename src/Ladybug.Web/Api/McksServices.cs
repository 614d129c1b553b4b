using Ladybug.Api.Contracts;
using Ladybug.Engine.Certificates;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Jobs;

namespace Ladybug.Web.Api;

/// <summary>What the MCKS handlers need, bundled for <c>[AsParameters]</c> (eShop's CatalogServices pattern).</summary>
internal sealed class McksServices(ClusterService clusters, ClusterQueries queries, IJobLog log, JobWaiter waiter, CertificateExpiryView certificates)
{
    public CertificateExpiryView Certificates { get; } = certificates;
    public ClusterService Clusters { get; } = clusters;
    public ClusterQueries Queries { get; } = queries;
    public IJobLog Log { get; } = log;
    public JobWaiter Waiter { get; } = waiter;

    /// <summary>The live cluster of that name; a deleted one counts as missing, as in MCKS where delete removed it.</summary>
    public async Task<ClusterView?> FindAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var cluster = await Queries.GetAsync(ns, name, cancellationToken);
        return cluster is null || cluster.Phase == ClusterPhase.Deleted ? null : cluster;
    }

    /// <summary>The clusters as MCKS resources, with what can be done to each now.</summary>
    public async Task<IReadOnlyList<ClusterResource>> ResourcesAsync(IReadOnlyList<ClusterView> clusters, CancellationToken cancellationToken)
    {
        var actions = await Queries.ActionsAsync(clusters, cancellationToken);
        return [.. clusters.Select(c => McksResourceMapper.ToResource(c, Certificates, actions[c.Id]))];
    }

    public async Task<ClusterResource> ResourceAsync(ClusterView cluster, CancellationToken cancellationToken) =>
        (await ResourcesAsync([cluster], cancellationToken))[0];

    public static string ClusterPath(string ns, string name) =>
        $"/mcks/ns/{Uri.EscapeDataString(ns)}/clusters/{Uri.EscapeDataString(name)}";
}
