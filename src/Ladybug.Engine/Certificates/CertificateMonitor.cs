using Ladybug.Engine.Domain;
using Ladybug.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ladybug.Engine.Certificates;

/// <summary>
/// Reads the certificates of every Provisioned cluster whose last reading is older than
/// <see cref="CertificateOptions.CheckInterval"/> (or missing). Looks at most hourly, a few clusters at once: a reading
/// is one handshake per control plane, and certificates that last a year need no closer watch.
/// </summary>
internal sealed class CertificateMonitor(
    IDbContextFactory<LadybugDbContext> dbFactory,
    CertificateChecker checker,
    IOptions<CertificateOptions> options,
    TimeProvider time,
    ILogger<CertificateMonitor> logger) : BackgroundService
{
    private const int Parallelism = 4;
    private static readonly TimeSpan LongestPause = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.CheckInterval;
        if (interval <= TimeSpan.Zero)
        {
            logger.LogInformation("Certificate expiry is not read on a schedule (Ladybug:Certificates:CheckInterval is 0); only after creates and renewals");
            return;
        }
        using var timer = new PeriodicTimer(interval < LongestPause ? interval : LongestPause, time);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CheckDueAsync(stoppingToken);
                await timer.WaitForNextTickAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Reading the clusters' certificate expiry dates failed; trying again later");
                await timer.WaitForNextTickAsync(stoppingToken);
            }
        }
    }

    internal async Task CheckDueAsync(CancellationToken cancellationToken)
    {
        var due = time.GetUtcNow() - options.Value.CheckInterval;
        List<Guid> clusters;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            clusters = await db.Clusters
                .Where(c => c.Phase == ClusterPhase.Provisioned && c.SealedKubeconfig != null && (c.CertificatesCheckedAt == null || c.CertificatesCheckedAt < due))
                .Select(c => c.Id).ToListAsync(cancellationToken);
        }
        await Parallel.ForEachAsync(clusters, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (id, token) =>
            {
                try
                {
                    await checker.CheckAsync(id, token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Reading the certificate expiry dates of cluster {Cluster} failed", id);
                }
            });
    }
}
