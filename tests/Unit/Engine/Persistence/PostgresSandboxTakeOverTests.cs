using Ladybug.Engine;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Infrastructure.Tumblebug;
using Ladybug.Engine.Persistence;
using Ladybug.Sandbox;
using Ladybug.Tests.Support;
using Ladybug.Tests.Unit.Engine.Bootstrap;
using Ladybug.Tests.Unit.Engine.Jobs;
using Ladybug.Tests.Unit.Sandbox;
using Microsoft.EntityFrameworkCore;

namespace Ladybug.Tests.Unit.Engine.Persistence;

/// <summary>
/// Two replicas of the real engine (Tumblebug client, SSH, kubeadm plan) on one PostgreSQL database against one
/// sandbox cloud: replica A is killed while it provisions two clusters, and replica B finishes or rolls back both.
/// "Killed" in-process means: A's database access is cut (nothing it does afterwards is stored, as after SIGKILL),
/// then its host is stopped, which also ends its SSH sessions; the rows are what A's last commit left.
/// </summary>
[Collection(SandboxProvisioningCollection.Name)]
public sealed class PostgresSandboxTakeOverTests(EmbeddedPostgres postgres) : IClassFixture<EmbeddedPostgres>
{
    private static ClusterSpec Spec(string name) => new()
    {
        Name = name,
        KubernetesVersion = "1.23.17",
        Cni = Cni.Kilo,
        PodCidr = "10.32.0.0/16",
        ControlPlane = new() { Connection = "aws-ap-northeast-1", Spec = "t3.medium", Count = 1 },
        WorkerPools = [new() { Connection = "gcp-europe-west2", Spec = "e2-medium", Count = 1 }],
    };

    [PostgresFact]
    public async Task ClustersProvisionedByAReplicaThatDiesAreFinishedOrRolledBackByTheOther()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.StepLatency = TimeSpan.FromMilliseconds(150));
        var connection = await postgres.CreateDatabaseAsync();
        Dictionary<string, string?> Settings(string replica) => ReplicaTakeOver.Replica(replica, new Dictionary<string, string?>
        {
            [$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.Provider)}"] = nameof(DatabaseProvider.Postgres),
            [$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.ConnectionString)}"] = connection,
            ["Ladybug:Tumblebug:Url"] = sandbox.TumblebugUrl.ToString(),
            ["Ladybug:Tumblebug:User"] = sandbox.User,
            ["Ladybug:Tumblebug:Password"] = sandbox.Password,
            ["Ladybug:Tumblebug:PollInterval"] = "00:00:00.100",
            ["Ladybug:Tumblebug:MaxPollInterval"] = "00:00:00.500",
            ["Ladybug:Ssh:RetryDelay"] = "00:00:00.200",
            ["Ladybug:Ssh:ConnectWindow"] = "00:00:30",
        });
        var kill = new DatabaseKillSwitch();

        await using var a = await EngineHost.StartAsync(builder =>
        {
            builder.AddTumblebugInfrastructure();
            builder.AddLadybugBootstrap();
        }, Settings("replica-a"), kill.On<PostgresLadybugDbContext>());
        var first = await a.Clusters.CreateAsync(Spec("takeover-one"));
        var second = await a.Clusters.CreateAsync(Spec("takeover-two"));
        // Mid-provision: the first cluster's machines exist and its nodes are being prepared over SSH.
        var firstJob = Assert.Single(await a.JobsOfAsync(first.Id));
        await Eventually.ReturnsAsync(() => a.GetJobAsync(firstJob.Id), j => j.CurrentStep is "prepare-nodes" or "load-balancer", "the first cluster to reach its nodes");

        await using var b = await a.StartReplicaAsync(null, Settings("replica-b"));
        kill.Trip();
        await a.StopAsync();

        foreach (var cluster in new[] { first, second })
        {
            var settled = await b.Queries.WaitForSettledAsync(cluster.Id, (c, jobs) => jobs.All(j => j.IsFinished)
                && (c.Phase == ClusterPhase.Provisioned || jobs.Any(j => j.Kind == JobKind.Rollback)), TimeSpan.FromSeconds(180));
            var jobs = await b.JobsOfAsync(cluster.Id);
            var create = Assert.Single(jobs, j => j.Kind == JobKind.Create);
            Assert.Equal("replica-b", create.Owner);
            if (create.State == JobState.Succeeded)
            {
                Assert.Equal(ClusterPhase.Provisioned, settled.Phase);
                Assert.True(create.Attempts >= 1);
            }
            else
            {
                // Interrupted in a step that is not safe to repeat: failed as such and its machines deleted.
                Assert.Equal(JobState.Failed, create.State);
                Assert.StartsWith("Interrupted", create.Error);
                Assert.Equal(JobState.Succeeded, Assert.Single(jobs, j => j.Kind == JobKind.Rollback).State);
            }
            // No plan step succeeded twice: B repeated only what A had not finished. (A plan step is the unit of resume:
            // the node sub-steps of the one A was in run again on every node, which their scripts allow; which of them
            // A had finished depends on where the kill fell.)
            var steps = await b.StepsOfAsync(create.Id);
            var succeeded = steps.Where(s => s.State == StepState.Succeeded && s.NodeName is null).Select(s => (s.Name, s.NodeName)).ToList();
            var twice = succeeded.GroupBy(s => s).Where(g => g.Count() > 1).Select(g => $"{g.Key.Name}@{g.Key.NodeName}").ToList();
            Assert.True(twice.Count == 0, $"Succeeded twice: {string.Join(", ", twice)}");
            await using var db = await b.OpenDbAsync();
            ReplicaTakeOver.AssertGapFree(await db.LogLines.AsNoTracking().Where(l => l.ClusterId == cluster.Id).OrderBy(l => l.Sequence).ToListAsync());
        }
        // The first cluster's job was mid-provision on A and was taken over, not started afresh.
        Assert.Equal(2, (await b.GetJobAsync(firstJob.Id)).Attempts);
    }
}
