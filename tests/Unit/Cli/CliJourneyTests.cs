using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Jobs;
using Ladybug.Engine.Secrets;
using Ladybug.Tests.Unit.Web.Api;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Unit.Cli;

/// <summary>
/// create → logs → kubeconfig → delete through the CLI against the real console, with --wait, and exact
/// outputs: the jobs are scripted (they write the log and store the kubeconfig as a real handler does).
/// <see cref="CliSandboxJourneyTests"/> runs the same journey with logs -f on the sandbox, nothing scripted.
/// </summary>
public sealed class CliJourneyTests(McksApiFixture console) : LoopbackCliTests(console), IClassFixture<McksApiFixture>
{
    private const string Kubeconfig = "apiVersion: v1\nkind: Config\nclusters:\n- name: journey\n";

    [Fact]
    public async Task CreateWaitLogsKubeconfigAndDeleteWait()
    {
        var sealer = App.Services.GetRequiredService<ISecretSealer>();
        App.Jobs
            .On(JobKind.Create, async (ctx, ct) =>
            {
                ctx.Info("Creating 2 machines");
                ctx.Output("journey-cp-1", LogStream.Stdout, "Your Kubernetes control-plane has initialized successfully!");
                await using var db = await ctx.OpenDbAsync(ct);
                var cluster = await JobContext.LoadClusterAsync(db, ctx.ClusterId, ct);
                cluster.SealedKubeconfig = sealer.Seal(Kubeconfig);
                await db.SaveChangesAsync(ct);
            })
            .On(JobKind.DeleteCluster, (ctx, _) =>
            {
                ctx.Info("Deleting the machines");
                return Task.CompletedTask;
            });

        var created = (await Run("create", "cluster", "--name", "journey", "--wait",
            "--control-plane-connection", "config-aws-ap-northeast-2", "--control-plane-spec", "t3.medium",
            "--worker-connection", "config-gcp-asia-northeast3", "--worker-spec", "n1-standard-2")).Succeeded();
        var logs = (await Run("logs", "journey")).Succeeded();
        var kubeconfig = (await Run("kubeconfig", "journey")).Succeeded();
        var deleted = (await Run("delete", "cluster", "journey", "--wait")).Succeeded();

        Assert.Contains("Cluster 'journey' is Provisioned.", created.Output);
        Assert.Equal("Creating 2 machines\n[journey-cp-1] Your Kubernetes control-plane has initialized successfully!\n", logs.Output.ReplaceLineEndings("\n"));
        Assert.Equal(Kubeconfig, kubeconfig.Output);
        Assert.Contains("Cluster 'journey' has been deleted", deleted.Output);
        (await Run("get", "cluster", "journey")).Failed("was not found");
        (await Run("kubeconfig", "journey")).Failed("was not found");
    }

    [Fact]
    public async Task CreateWaitFailsWithTheReasonWhenProvisioningFails()
    {
        App.Jobs.On(JobKind.Create, (_, _) => throw new StepFailedException(FailureReason.JoinWorkerFailed, "kubeadm join timed out", 1));

        var result = await Run("create", "cluster", "--name", "unlucky", "--wait",
            "--control-plane-connection", "c", "--control-plane-spec", "s", "--worker-connection", "w", "--worker-spec", "s");

        result.Failed($"Cluster 'unlucky' was not provisioned: {FailureReason.JoinWorkerFailed}: kubeadm join timed out");
        Assert.Equal(ClusterPhase.Failed, (await App.Services.GetRequiredService<ClusterQueries>().GetAsync(Namespace, "unlucky"))!.Phase);
    }
}
