using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Infrastructure;
using Ladybug.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Ladybug.Web.Infrastructure;

/// <summary>
/// On the sandbox's first run (a database that has never held a cluster) creates one sample cluster spread over three
/// clouds, so that someone trying Ladybug with <c>./run.sh</c> sees the whole product working — provisioning log, map,
/// kubeconfig — before filling in the wizard. It goes through <see cref="ClusterService"/> like any other cluster,
/// and a deleted demo never comes back (deleted clusters stay in the history).
/// </summary>
public sealed class SandboxDemoCluster(ClusterService clusters, IDbContextFactory<LadybugDbContext> dbFactory, ILogger<SandboxDemoCluster> logger,
    IInfrastructure? infrastructure = null)
    : BackgroundService
{
    /// <summary>The sandbox, like Tumblebug, is uninitialized for a moment after it starts (Ladybug:Sandbox:InitializationDelay).</summary>
    private static readonly TimeSpan ReadinessWait = TimeSpan.FromMinutes(1);

    /// <summary>Set by <c>./run.sh</c>; tests and real deployments start empty.</summary>
    public const string Setting = "Ladybug:Sandbox:DemoCluster";

    public static readonly ClusterSpec Spec = new()
    {
        Name = "demo",
        Description = "Sample cluster of the sandbox cloud: control plane in AWS Tokyo, workers in GCP London and Azure Seoul.",
        Cni = Cni.Kilo,
        ControlPlane = new NodePoolSpec { Connection = "aws-ap-northeast-1", Count = 1, Spec = "t3.medium" },
        WorkerPools =
        [
            new NodePoolSpec { Connection = "gcp-europe-west2", Count = 2, Spec = "e2-medium" },
            new NodePoolSpec { Connection = "azure-koreacentral", Count = 1, Spec = "Standard_B2s" },
        ],
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(stoppingToken))
            if (await db.Clusters.AnyAsync(stoppingToken)) return;
        if (infrastructure is not null && !await WaitUntilReadyAsync(infrastructure, stoppingToken)) return;
        try
        {
            var cluster = await clusters.CreateAsync(Spec, stoppingToken);
            logger.LogInformation("Sandbox cloud: creating the sample cluster '{Cluster}' ({Id})", cluster.Name, cluster.Id);
        }
        catch (ClusterValidationException ex)
        {
            // The sandbox's catalog and this sample are shipped together; a mismatch is a bug worth a loud log, not a crash.
            logger.LogError("Sandbox cloud: the sample cluster was rejected: {Errors}", ex.Message);
        }
    }

    private async Task<bool> WaitUntilReadyAsync(IInfrastructure cloud, CancellationToken stoppingToken)
    {
        var deadline = DateTime.UtcNow + ReadinessWait;
        while (true)
        {
            var health = await cloud.CheckAsync(stoppingToken);
            if (health.Ready) return true;
            if (DateTime.UtcNow > deadline)
            {
                logger.LogError("Sandbox cloud: no sample cluster, the cloud did not become ready: {Reason}", health.Message);
                return false;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500), stoppingToken);
        }
    }
}
