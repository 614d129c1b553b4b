using System.Text.Json;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Tests.Unit.Engine.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ladybug.Tests.Support;

namespace Ladybug.Tests.Unit.Engine.Clusters;

/// <summary>Changes to a cluster in service: add nodes, renew its certificates, remove a node; each refused in the wrong phase or while busy.</summary>
public sealed class ClusterChangeTests : ClusterServiceTestBase
{
    // --- add nodes ---

    [Theory]
    [InlineData(ClusterPhase.Pending)]
    [InlineData(ClusterPhase.Provisioning)]
    [InlineData(ClusterPhase.Failed)]
    [InlineData(ClusterPhase.Deleting)]
    public async Task AddNodesIsRejectedUnlessTheClusterIsProvisioned(ClusterPhase phase)
    {
        var cluster = await _engine.AddClusterAsync(ClusterSpecs.Valid(), phase);

        var error = await Assert.ThrowsAsync<ClusterStateException>(() => Service.AddNodesAsync(cluster.Id, [ClusterSpecs.Pool()]));

        Assert.Equal($"Cannot add nodes to cluster 'demo' while it is {phase}; it must be Provisioned.", error.Message);
        Assert.Empty(await _engine.JobsOfAsync(cluster.Id));
    }

    [Fact]
    public async Task AddNodesIsRejectedWhileTheClusterIsBusy()
    {
        var cluster = await _engine.AddClusterAsync(ClusterSpecs.Valid());
        await Service.AddNodesAsync(cluster.Id, [ClusterSpecs.Pool()]);

        var error = await Assert.ThrowsAsync<ClusterStateException>(() => Service.AddNodesAsync(cluster.Id, [ClusterSpecs.Pool()]));

        Assert.Equal("Cluster 'demo' is busy with another job; try again when it finishes.", error.Message);
        Assert.Single(await _engine.JobsOfAsync(cluster.Id));
    }

    // --- renew certificates ---

    [Theory]
    [InlineData(ClusterPhase.Pending)]
    [InlineData(ClusterPhase.Provisioning)]
    [InlineData(ClusterPhase.Failed)]
    [InlineData(ClusterPhase.Deleting)]
    [InlineData(ClusterPhase.Deleted)]
    public async Task RenewCertificatesIsRejectedUnlessTheClusterIsProvisioned(ClusterPhase phase)
    {
        var cluster = await _engine.AddClusterAsync(ClusterSpecs.Valid(), phase);

        var error = await Assert.ThrowsAsync<ClusterStateException>(() => Service.RenewCertificatesAsync(cluster.Id));

        Assert.Equal($"Cannot renew the certificates of cluster 'demo' while it is {phase}; it must be Provisioned.", error.Message);
        Assert.Empty(await _engine.JobsOfAsync(cluster.Id));
    }

    [Fact]
    public async Task RenewCertificatesIsRejectedWhileAnotherJobRuns()
    {
        var cluster = await _engine.AddClusterAsync(ClusterSpecs.Valid());
        await Service.AddNodesAsync(cluster.Id, [ClusterSpecs.Pool()]);

        var error = await Assert.ThrowsAsync<ClusterStateException>(() => Service.RenewCertificatesAsync(cluster.Id));

        Assert.Equal("Cluster 'demo' is busy with another job; try again when it finishes.", error.Message);
        Assert.Equal([JobKind.AddNodes], (await _engine.JobsOfAsync(cluster.Id)).Select(j => j.Kind));
    }

    [Fact]
    public async Task RenewCertificatesOfAnIdleProvisionedClusterQueuesOneRenewalJob()
    {
        var cluster = await _engine.AddClusterAsync(ClusterSpecs.Valid());

        await Service.RenewCertificatesAsync(cluster.Id);

        var job = Assert.Single(await _engine.JobsOfAsync(cluster.Id));
        Assert.Equal(JobKind.RenewCertificates, job.Kind);
        await _engine.WaitForJobAsync(job.Id, JobState.Succeeded);
        Assert.Equal(ClusterPhase.Provisioned, (await _engine.GetClusterAsync(cluster.Id)).Phase);
    }

    [Fact]
    public async Task AddNodesToAnIdleProvisionedClusterAddsNewlyNamedPoolsAndQueuesAJob()
    {
        var cluster = await _engine.AddClusterAsync(ClusterSpecs.Valid());

        await Service.AddNodesAsync(cluster.Id, [ClusterSpecs.Pool(2), ClusterSpecs.Pool(1, "azure-koreacentral", "Standard_B2s")]);

        var stored = await _engine.GetClusterAsync(cluster.Id);
        var added = stored.Pools.Where(p => p.Name is "w2" or "w3").OrderBy(p => p.Name).ToList();
        Assert.Equal(["w2", "w3"], added.Select(p => p.Name));
        var job = Assert.Single(await _engine.JobsOfAsync(cluster.Id));
        Assert.Equal(JobKind.AddNodes, job.Kind);
        var payload = JsonSerializer.Deserialize<AddNodesPayload>(job.Payload!)!;
        Assert.Equal(added.Select(p => p.Id), payload.PoolIds);
        await _adding.WaitEnteredAsync(job.Id);
        _adding.Release(job.Id);
        await _engine.WaitForJobAsync(job.Id, JobState.Succeeded);
    }

    [Fact]
    public async Task AddNodesRejectsInvalidPoolsWithFieldErrors()
    {
        var cluster = await _engine.AddClusterAsync(ClusterSpecs.Valid());

        var noPools = await Assert.ThrowsAsync<ClusterValidationException>(() => Service.AddNodesAsync(cluster.Id, []));
        var badCount = await Assert.ThrowsAsync<ClusterValidationException>(() => Service.AddNodesAsync(cluster.Id, [ClusterSpecs.Pool(), ClusterSpecs.Pool(101)]));

        Assert.Equal(["Add at least one worker pool."], noPools.Errors.For("workerPools"));
        Assert.Equal(["Worker count must be between 1 and 100 (got 101)."], badCount.Errors.For("workerPools[1].count"));
        Assert.Empty(await _engine.JobsOfAsync(cluster.Id));
    }

    // --- remove node ---

    private Task<Cluster> AddClusterWithNodesAsync(ClusterPhase phase = ClusterPhase.Provisioned) =>
        _engine.AddClusterAsync(ClusterSpecs.Valid() with { ControlPlane = ClusterSpecs.Pool(3) }, phase, cluster =>
        {
            var cp = cluster.Pools.Single(p => p.Role == NodeRole.ControlPlane);
            var w1 = cluster.Pools.Single(p => p.Name == "w1");
            foreach (var (name, pool) in new[] { ("cp-1", cp), ("cp-2", cp), ("cp-3", cp), ("w1-1", w1), ("w1-2", w1) })
                cluster.Nodes.Add(new Node { ClusterId = cluster.Id, PoolId = pool.Id, Name = name, Role = pool.Role, Status = NodeStatus.Ready, CreatedAt = cluster.CreatedAt });
            cluster.LeaderNodeName = "cp-1";
        });

    [Fact]
    public async Task RemovingTheLeaderIsRejected()
    {
        var cluster = await AddClusterWithNodesAsync();

        var error = await Assert.ThrowsAsync<ClusterStateException>(() => Service.RemoveNodeAsync(cluster.Id, "cp-1"));

        Assert.Equal("Node 'cp-1' is the control-plane leader and cannot be removed.", error.Message);
        Assert.Empty(await _engine.JobsOfAsync(cluster.Id));
    }

    [Fact]
    public async Task RemovingAControlPlaneNodeIsRejected()
    {
        var cluster = await AddClusterWithNodesAsync();

        var error = await Assert.ThrowsAsync<ClusterStateException>(() => Service.RemoveNodeAsync(cluster.Id, "cp-2"));

        Assert.Equal("Node 'cp-2' is a control-plane node; only workers can be removed, to keep etcd quorum.", error.Message);
    }

    [Fact]
    public async Task RemovingAnUnknownNodeIsNotFound()
    {
        var cluster = await AddClusterWithNodesAsync();

        var error = await Assert.ThrowsAsync<ClusterNotFoundException>(() => Service.RemoveNodeAsync(cluster.Id, "w9-9"));

        Assert.Equal("Node 'w9-9' was not found in cluster 'demo'.", error.Message);
    }

    [Theory]
    [InlineData(ClusterPhase.Provisioning)]
    [InlineData(ClusterPhase.Failed)]
    public async Task RemovingAWorkerIsRejectedUnlessTheClusterIsProvisioned(ClusterPhase phase)
    {
        var cluster = await AddClusterWithNodesAsync(phase);

        await Assert.ThrowsAsync<ClusterStateException>(() => Service.RemoveNodeAsync(cluster.Id, "w1-1"));

        Assert.Empty(await _engine.JobsOfAsync(cluster.Id));
    }

    [Fact]
    public async Task RemovingAWorkerOfAnIdleProvisionedClusterQueuesAJobAndABusyClusterRejectsTheNext()
    {
        var cluster = await AddClusterWithNodesAsync();

        await Service.RemoveNodeAsync(cluster.Id, "w1-1");
        var busy = await Assert.ThrowsAsync<ClusterStateException>(() => Service.RemoveNodeAsync(cluster.Id, "w1-2"));

        var job = Assert.Single(await _engine.JobsOfAsync(cluster.Id));
        Assert.Equal(JobKind.RemoveNode, job.Kind);
        Assert.Equal("w1-1", JsonSerializer.Deserialize<RemoveNodePayload>(job.Payload!)!.NodeName);
        Assert.Equal("Cluster 'demo' is busy with another job; try again when it finishes.", busy.Message);
    }
}
