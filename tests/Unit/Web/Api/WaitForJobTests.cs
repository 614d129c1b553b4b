using System.Net;
using Ladybug.Api.Contracts;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Jobs;
using Ladybug.Tests.Support;

namespace Ladybug.Tests.Unit.Web.Api;

/// <summary>?wait=true: the answer MCKS scripts expect, once the job has ended.</summary>
public sealed class WaitForJobTests(McksApiFixture fixture) : IClassFixture<McksApiFixture>
{
    private readonly HttpClient _admin = fixture.Admin;
    private ScriptedJobs Jobs => fixture.Jobs;

    private static string Clusters(string ns) => $"/mcks/ns/{ns}/clusters";

    [Fact]
    public async Task CreateWithWaitAnswers200WithTheProvisionedCluster()
    {
        Jobs.On(JobKind.Create, (_, _) => Task.CompletedTask);

        var cluster = await (await _admin.PostJsonAsync($"{Clusters(McksApiFixture.NewNamespace())}?wait=true", ClustersApiTests.McksSampleBody("waited")))
            .ReadAsync<ClusterResource>(HttpStatusCode.OK);

        Assert.Equal("Provisioned", cluster.Status.Phase);
    }

    [Fact]
    public async Task CreateWithWaitAnswers500WithTheFailureReasonWhenProvisioningFails()
    {
        Jobs.On(JobKind.Create, (_, _) => throw new StepFailedException(FailureReason.InitControlPlaneFailed, "kubeadm init exited with 1", 1));
        var ns = McksApiFixture.NewNamespace();

        var status = await (await _admin.PostJsonAsync($"{Clusters(ns)}?wait=true", ClustersApiTests.McksSampleBody("doomed")))
            .ReadStatusAsync(HttpStatusCode.InternalServerError);

        Assert.Contains(FailureReason.InitControlPlaneFailed, status.Message);
        Assert.Contains("kubeadm init exited with 1", status.Message);
        var cluster = await (await _admin.GetAsync($"{Clusters(ns)}/doomed")).ReadAsync<ClusterResource>(HttpStatusCode.OK);
        Assert.Equal(("Failed", FailureReason.InitControlPlaneFailed), (cluster.Status.Phase, cluster.Status.Reason));
    }

    [Fact]
    public async Task DeleteWithWaitAnswers200OnceTheClusterIsGone()
    {
        Jobs.On(JobKind.DeleteCluster, (_, _) => Task.CompletedTask);
        var ns = McksApiFixture.NewNamespace();
        await ClusterSeeder.ProvisionedAsync(fixture.Services, ns, "bye");

        var status = await (await _admin.DeleteAsync($"{Clusters(ns)}/bye?wait=true")).ReadStatusAsync(HttpStatusCode.OK);

        Assert.Equal("Cluster 'bye' has been deleted", status.Message);
        await (await _admin.GetAsync($"{Clusters(ns)}/bye")).ReadStatusAsync(HttpStatusCode.NotFound);
        Assert.Empty((await (await _admin.GetAsync(Clusters(ns))).ReadAsync<ClusterList>(HttpStatusCode.OK)).Items);
    }

    [Fact]
    public async Task AddNodesWithWaitAnswers200WithEveryNode()
    {
        Jobs.On(JobKind.AddNodes, async (ctx, ct) =>
        {
            await using var db = await ctx.OpenDbAsync(ct);
            var cluster = await JobContext.LoadClusterAsync(db, ctx.ClusterId, ct);
            var pool = cluster.Pools.Single(p => p.Name == "w2");
            db.Nodes.Add(new Node { ClusterId = cluster.Id, PoolId = pool.Id, Name = "added-w2-1", Role = NodeRole.Worker, Status = NodeStatus.Ready, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(ct);
        });
        var ns = McksApiFixture.NewNamespace();
        await ClusterSeeder.ProvisionedAsync(fixture.Services, ns, "grow");

        var nodes = await (await _admin.PostJsonAsync($"{Clusters(ns)}/grow/nodes?wait=true",
                """{ "worker": [ { "connection": "config-azure-koreacentral", "count": 1, "spec": "Standard_B2s" } ] }"""))
            .ReadAsync<NodeList>(HttpStatusCode.OK);

        Assert.Equal(["grow-cp-1", "added-w2-1", "grow-w1-1"], nodes.Items.Select(n => n.Name));
    }

    [Fact]
    public async Task RemoveNodeWithWaitAnswers200OnceTheNodeIsGone()
    {
        Jobs.On(JobKind.RemoveNode, (ctx, ct) => ctx.Record.SetNodeStatusAsync("shrink-w1-1", NodeStatus.Deleted, cancellationToken: ct));
        var ns = McksApiFixture.NewNamespace();
        await ClusterSeeder.ProvisionedAsync(fixture.Services, ns, "shrink");

        var status = await (await _admin.DeleteAsync($"{Clusters(ns)}/shrink/nodes/shrink-w1-1?wait=true")).ReadStatusAsync(HttpStatusCode.OK);

        Assert.Equal("Node 'shrink-w1-1' has been deleted", status.Message);
        await (await _admin.GetAsync($"{Clusters(ns)}/shrink/nodes/shrink-w1-1")).ReadStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AWaitThatTimesOutAnswers202AndLeavesTheJobRunning()
    {
        using var console = McksApiFixture.StartConsole(new ScriptedJobs(), waitTimeout: TimeSpan.FromMilliseconds(200));
        using var admin = console.CreateAdminClient();
        var ns = McksApiFixture.NewNamespace();

        var response = await admin.PostJsonAsync($"{Clusters(ns)}?wait=true", ClustersApiTests.McksSampleBody("slow"));

        var cluster = await response.ReadAsync<ClusterResource>(HttpStatusCode.Accepted);
        Assert.Equal("Pending", cluster.Status.Phase);
        Assert.Equal($"/mcks/ns/{ns}/clusters/slow", response.Headers.Location?.OriginalString);
        var queries = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ClusterQueries>(console.Services);
        var stored = (await queries.GetAsync(ns, "slow"))!;
        Assert.False(Assert.Single(await queries.JobsAsync(stored.Id)).IsFinished);
    }
}
