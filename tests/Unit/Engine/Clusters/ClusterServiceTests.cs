using System.Text.Json;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Tests.Unit.Engine.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ladybug.Tests.Support;

namespace Ladybug.Tests.Unit.Engine.Clusters;

public sealed class ClusterServiceTests : ClusterServiceTestBase
{
    [Fact]
    public async Task CreateReturnsAtOnceWithTheClusterPendingAndItsJobQueued()
    {
        // The job is held in its first step; Create must not wait for it.
        var cluster = await Eventually.CompletesAsync(Service.CreateAsync(ClusterSpecs.Valid()), "CreateAsync to return");

        Assert.Equal(ClusterPhase.Pending, cluster.Phase);
        var stored = await _engine.GetClusterAsync(cluster.Id);
        Assert.Equal(ClusterPhase.Pending, stored.Phase);
        Assert.Equal(["cp", "w1"], stored.Pools.OrderBy(p => p.Name).Select(p => p.Name));
        var job = Assert.Single(await _engine.JobsOfAsync(cluster.Id));
        Assert.Equal(JobKind.Create, job.Kind);

        await _provisioning.WaitEnteredAsync(job.Id);
        _provisioning.Release(job.Id);
        await _engine.WaitForJobAsync(job.Id, JobState.Succeeded);
        Assert.Equal(ClusterPhase.Provisioned, (await _engine.GetClusterAsync(cluster.Id)).Phase);
    }

    [Fact]
    public async Task CreateRejectsAnInvalidSpecWithFieldErrorsAndStoresNothing()
    {
        var error = await Assert.ThrowsAsync<ClusterValidationException>(() =>
            Service.CreateAsync(ClusterSpecs.Valid() with { ControlPlane = ClusterSpecs.Pool(2) }));

        Assert.Equal(["controlPlane.count"], error.Errors.ByField.Keys);
        Assert.Empty(await _engine.Queries.ListAsync(includeDeleted: true));
        await using var db = await _engine.OpenDbAsync();
        Assert.Equal(0, await db.Jobs.CountAsync());
    }

    [Fact]
    public async Task DuplicateNameInANamespaceIsRejectedByValidateAndByCreate()
    {
        await Service.CreateAsync(ClusterSpecs.Valid("demo"));

        var errors = await Service.ValidateAsync(ClusterSpecs.Valid("demo"));
        var thrown = await Assert.ThrowsAsync<ClusterValidationException>(() => Service.CreateAsync(ClusterSpecs.Valid("demo")));

        const string message = "A cluster named 'demo' already exists in namespace 'default'.";
        Assert.Equal(["name"], errors.ByField.Keys);
        Assert.Equal([message], errors.For("name"));
        Assert.Equal([message], thrown.Errors.For("name"));
        Assert.Single(await _engine.Queries.ListAsync(includeDeleted: true));
    }

    [Fact]
    public async Task NameIsFreeAgainOnceTheClusterIsDeleted()
    {
        var first = await Service.CreateAsync(ClusterSpecs.Valid("demo"));
        await using (var db = await _engine.OpenDbAsync())
        {
            var stored = await db.Clusters.SingleAsync(c => c.Id == first.Id);
            stored.SetPhase(ClusterPhase.Deleted, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }

        var errors = await Service.ValidateAsync(ClusterSpecs.Valid("demo"));
        var second = await Service.CreateAsync(ClusterSpecs.Valid("demo"));

        Assert.True(errors.IsValid, errors.ToString());
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(2, (await _engine.Queries.ListAsync(includeDeleted: true)).Count);
        Assert.Equal(second.Id, (await _engine.Queries.GetAsync("default", "demo"))!.Id);
    }

    [Fact]
    public async Task SameNameInAnotherNamespaceIsAllowed()
    {
        await Service.CreateAsync(ClusterSpecs.Valid("demo", "team-a"));

        var other = await Service.CreateAsync(ClusterSpecs.Valid("demo", "team-b"));

        Assert.Equal("team-b", other.Namespace);
        Assert.Equal(2, (await _engine.Queries.ListAsync()).Count);
    }

    [Fact]
    public async Task ConcurrentCreatesOfOneNameLeaveExactlyOneCluster()
    {
        var attempts = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            try
            {
                await Service.CreateAsync(ClusterSpecs.Valid("race"));
                return true;
            }
            catch (ClusterValidationException e) when (e.Errors.First("name") is not null)
            {
                return false;
            }
        }));

        var created = await Task.WhenAll(attempts);

        Assert.Equal(1, created.Count(ok => ok));
        Assert.Single(await _engine.Queries.ListAsync(includeDeleted: true));
    }

    [Fact]
    public async Task StoredClusterCarriesTheSpecNormalized()
    {
        var spec = ClusterSpecs.Valid() with
        {
            KubernetesVersion = "v1.23.13", Cni = Cni.Canal, PodCidr = " 10.10.0.0/16 ", Description = "team demo",
            WorkerPools = [ClusterSpecs.Pool(2) with { RootDiskSizeGb = 50 }, ClusterSpecs.Pool(3, " gcp-asia-east1 ", "e2-medium")],
        };

        var created = await Service.CreateAsync(spec);
        var stored = await _engine.GetClusterAsync(created.Id);

        Assert.Equal("1.23.13", stored.KubernetesVersion);
        Assert.Equal(Cni.Canal, stored.Cni);
        Assert.Equal("10.10.0.0/16", stored.PodCidr);
        Assert.Equal("team demo", stored.Description);
        var pools = stored.Pools.OrderBy(p => p.Name).ToList();
        Assert.Equal(["cp", "w1", "w2"], pools.Select(p => p.Name));
        Assert.Equal([1, 2, 3], pools.Select(p => p.Count));
        Assert.Equal(50, pools[1].RootDiskSizeGb);
        Assert.Equal("gcp-asia-east1", pools[2].Connection);
    }

    // --- delete and cancel ---

    [Fact]
    public async Task DeleteSetsDeletingCancelsTheRunningJobAndThenDeletes()
    {
        _create.RollbackOnFailure = true;
        var cluster = await Service.CreateAsync(ClusterSpecs.Valid());
        var create = Assert.Single(await _engine.JobsOfAsync(cluster.Id));
        await _provisioning.WaitEnteredAsync(create.Id);

        var deleting = await Service.DeleteAsync(cluster.Id);

        Assert.Equal(ClusterPhase.Deleting, deleting.Phase);
        var cancelled = await _engine.WaitForJobToFinishAsync(create.Id);
        Assert.Equal(JobState.Cancelled, cancelled.State);
        Assert.Equal(FailureReason.Cancelled, Assert.Single(_create.Failures).Failure.Reason);
        var jobs = await _engine.JobsOfAsync(cluster.Id);
        Assert.Equal([JobKind.Create, JobKind.DeleteCluster], jobs.Select(j => j.Kind));
        Assert.Equal(JobState.Succeeded, (await _engine.WaitForJobToFinishAsync(jobs[1].Id)).State);
        Assert.Equal(ClusterPhase.Deleted, (await _engine.GetClusterAsync(cluster.Id)).Phase);
        // The delete removes every machine, so a rollback of the cancelled create would only repeat it.
        Assert.Empty(_rollback.Started);
    }

    [Fact]
    public async Task DeleteTwiceQueuesOneDeleteJob()
    {
        var cluster = await _engine.AddClusterAsync(ClusterSpecs.Valid());
        var held = await _engine.QueueJobAsync(cluster.Id, JobKind.AddNodes);
        await _adding.WaitEnteredAsync(held.Id);

        await Service.DeleteAsync(cluster.Id);
        await Service.DeleteAsync(cluster.Id);

        var jobs = await _engine.JobsOfAsync(cluster.Id);
        Assert.Single(jobs, j => j.Kind == JobKind.DeleteCluster);
        await _engine.WaitForClusterAsync(cluster.Id, ClusterPhase.Deleted);
    }

    [Fact]
    public async Task DeletingADeletedClusterIsNotFound()
    {
        var cluster = await _engine.AddClusterAsync(ClusterSpecs.Valid(), ClusterPhase.Deleted);

        await Assert.ThrowsAsync<ClusterNotFoundException>(() => Service.DeleteAsync(cluster.Id));
    }

    [Fact]
    public async Task CancelReportsWhetherThereWasAJobToCancel()
    {
        var idle = await _engine.AddClusterAsync(ClusterSpecs.Valid("idle"));
        var busy = await Service.CreateAsync(ClusterSpecs.Valid("busy"));
        var job = Assert.Single(await _engine.JobsOfAsync(busy.Id));
        await _provisioning.WaitEnteredAsync(job.Id);

        Assert.False(await Service.CancelAsync(idle.Id));
        Assert.True(await Service.CancelAsync(busy.Id));

        Assert.Equal(JobState.Cancelled, (await _engine.WaitForJobToFinishAsync(job.Id)).State);
        var failed = await _engine.GetClusterAsync(busy.Id);
        Assert.Equal(ClusterPhase.Failed, failed.Phase);
        Assert.Equal(FailureReason.Cancelled, failed.Reason);
    }
}
