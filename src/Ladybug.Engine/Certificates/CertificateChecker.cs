using Ladybug.Engine.Bootstrap;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Events;
using Ladybug.Engine.Persistence;
using Ladybug.Engine.Secrets;
using Microsoft.EntityFrameworkCore;

namespace Ladybug.Engine.Certificates;

/// <summary>One control plane's API server and the notAfter of the certificate it served.</summary>
public sealed record ServedCertificate(string NodeName, DateTimeOffset ExpiresAt);

/// <summary>What one check read: the admin client certificate, each answering API server, and what could not be read.</summary>
public sealed record CertificateReading(DateTimeOffset? AdminExpiresAt, IReadOnlyList<ServedCertificate> Served, IReadOnlyList<string> Problems);

/// <summary>
/// Reads a cluster's certificate expiry dates and stores them on the cluster: the admin client certificate from the
/// stored kubeconfig (unsealed in memory only), and the serving certificate of every control plane's API server from a
/// TLS handshake with its public address. The handshake, not <c>kubeadm certs check-expiration</c> over SSH, because it
/// reads what clients are actually served (a certificate renewed on disk whose API server was not restarted still
/// expires), needs no SSH session or root on the nodes, and costs one handshake per control plane.
/// A value that could not be read keeps its last reading; the message says why.
/// </summary>
public sealed class CertificateChecker(
    IDbContextFactory<LadybugDbContext> dbFactory,
    ISecretSealer sealer,
    IServingCertificateProbe probe,
    IProvisioningEvents events,
    TimeProvider time)
{
    public async Task<CertificateReading> CheckAsync(Guid clusterId, CancellationToken cancellationToken)
    {
        Cluster cluster;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            cluster = await db.Clusters.AsNoTracking().Include(c => c.Nodes).SingleAsync(c => c.Id == clusterId, cancellationToken);

        var problems = new List<string>();
        DateTimeOffset? admin = null;
        if (cluster.SealedKubeconfig is { } sealedKubeconfig)
        {
            try
            {
                admin = AdminCertificate.ExpiresAt(sealer.Unseal(sealedKubeconfig));
            }
            catch (FormatException ex)
            {
                problems.Add($"admin kubeconfig: {ex.Message}");
            }
        }
        var served = new List<ServedCertificate>();
        var controlPlanes = cluster.Nodes
            .Where(n => n.Role == NodeRole.ControlPlane && n.DeletedAt is null && n.PublicIp is not null)
            .OrderBy(n => n.Name, StringComparer.Ordinal);
        foreach (var node in controlPlanes)
        {
            try
            {
                served.Add(new ServedCertificate(node.Name, await probe.ExpiresAtAsync(node.PublicIp!, ClusterFacts.ApiServerPort, cancellationToken)));
            }
            catch (ServingCertificateUnavailableException ex)
            {
                problems.Add($"{node.Name}: {ex.Message}");
            }
        }

        var apiServer = served.Count == 0 ? (DateTimeOffset?)null : served.Min(s => s.ExpiresAt);
        var message = problems.Count == 0 ? null : string.Join("; ", problems);
        var now = time.GetUtcNow();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await db.Clusters.Where(c => c.Id == clusterId).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.AdminCertificateExpiresAt, c => admin ?? c.AdminCertificateExpiresAt)
                .SetProperty(c => c.ApiServerCertificateExpiresAt, c => apiServer ?? c.ApiServerCertificateExpiresAt)
                .SetProperty(c => c.CertificatesCheckedAt, now)
                .SetProperty(c => c.CertificatesCheckMessage, message), cancellationToken);
        }
        events.Publish(new CertificatesChecked(clusterId));
        return new CertificateReading(admin, served, problems);
    }
}
