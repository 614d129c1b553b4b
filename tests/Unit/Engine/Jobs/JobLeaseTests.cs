using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Jobs;
using Ladybug.Engine.Persistence;
using Ladybug.Tests.Unit.Engine.Clusters;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Ladybug.Tests.Unit.Engine.Jobs;

/// <summary>Job ownership by lease between replicas on one SQLite file.</summary>
public sealed class JobLeaseTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "ladybug-tests", $"leases-{Guid.NewGuid():N}.db");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
    private PooledDbContextFactory<LadybugDbContext> _db = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        _db = new PooledDbContextFactory<LadybugDbContext>(new DbContextOptionsBuilder<LadybugDbContext>().UseSqlite($"Data Source={_path}").Options);
        await using var db = await _db.CreateDbContextAsync();
        await db.Database.MigrateAsync();
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_path);
        return Task.CompletedTask;
    }

    private JobLeases Replica(string id) =>
        new(_db, _time, Options.Create(new EngineOptions { ReplicaId = id, JobLeaseMs = 30_000 }), Options.Create(new DatabaseOptions()), Options.Create(new LadybugOptions()));

    private async Task<Job> AddJobAsync(Guid? clusterId = null)
    {
        await using var db = await _db.CreateDbContextAsync();
        if (clusterId is null)
        {
            var cluster = Cluster.FromSpec(ClusterSpecs.Valid($"c{Guid.NewGuid():N}"[..20]), _time.GetUtcNow());
            db.Clusters.Add(cluster);
            clusterId = cluster.Id;
        }
        var job = new Job { ClusterId = clusterId.Value, Kind = JobKind.Create, CreatedAt = _time.GetUtcNow() };
        db.Jobs.Add(job);
        await db.SaveChangesAsync();
        _time.Advance(TimeSpan.FromMilliseconds(1));
        return job;
    }

    private async Task<Job> GetAsync(Guid jobId)
    {
        await using var db = await _db.CreateDbContextAsync();
        return await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId);
    }

    [Fact]
    public async Task AClaimedJobStaysWithItsReplicaWhileTheLeaseIsRenewedAndMovesOnceItLapses()
    {
        var (a, b) = (Replica("a"), Replica("b"));
        var job = await AddJobAsync();

        Assert.True(await a.TryClaimAsync(job.Id, default));
        Assert.False(await b.TryClaimAsync(job.Id, default));
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await a.RenewAsync(job.Id, default));
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.False(await b.TryClaimAsync(job.Id, default));
        Assert.DoesNotContain(await b.ClaimableAsync(default), j => j.Id == job.Id);

        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.Contains(await b.ClaimableAsync(default), j => j.Id == job.Id);
        Assert.True(await b.TryClaimAsync(job.Id, default));
        Assert.False(await a.RenewAsync(job.Id, default));
        Assert.Equal("b", (await GetAsync(job.Id)).Owner);
    }

    [Fact]
    public async Task AReleasedJobCanBeClaimedAtOnceButAFinishedOneNever()
    {
        var (a, b) = (Replica("a"), Replica("b"));
        var job = await AddJobAsync();
        Assert.True(await a.TryClaimAsync(job.Id, default));

        await a.ReleaseAsync(job.Id, default);
        Assert.True(await b.TryClaimAsync(job.Id, default));

        await using (var db = await _db.CreateDbContextAsync())
            await db.Jobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.State, JobState.Succeeded));
        await b.ReleaseAsync(job.Id, default);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.False(await a.TryClaimAsync(job.Id, default));
        Assert.Equal("b", (await GetAsync(job.Id)).Owner);
    }

    [Fact]
    public async Task AClustersNewerJobCannotBeClaimedWhileAnOlderOneIsUnfinished()
    {
        var (a, b) = (Replica("a"), Replica("b"));
        var first = await AddJobAsync();
        var second = await AddJobAsync(first.ClusterId);
        var otherCluster = await AddJobAsync();

        Assert.False(await b.TryClaimAsync(second.Id, default));
        Assert.True(await a.TryClaimAsync(first.Id, default));
        Assert.False(await b.TryClaimAsync(second.Id, default));
        Assert.True(await b.TryClaimAsync(otherCluster.Id, default));

        await using (var db = await _db.CreateDbContextAsync())
            await db.Jobs.Where(j => j.Id == first.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.State, JobState.Failed));
        Assert.True(await b.TryClaimAsync(second.Id, default));
    }

    [Fact]
    public async Task ManyReplicasClaimingOneJobAtOnceLeaveExactlyOneOwner()
    {
        var job = await AddJobAsync();
        var replicas = Enumerable.Range(0, 8).Select(i => Replica($"r{i}")).ToList();

        var claims = await Task.WhenAll(replicas.Select(r => Task.Run(() => r.TryClaimAsync(job.Id, default))));

        var winner = Assert.Single(replicas.Where((_, i) => claims[i]));
        Assert.Equal(winner.ReplicaId, (await GetAsync(job.Id)).Owner);
    }

    [Fact]
    public async Task AReplicaTakesOverAJobInARepeatableStepWhenItsReplicaDies()
    {
        var outcome = await ReplicaTakeOver.RunAsync(database: null, killSwitchOnPostgres: false);
        ReplicaTakeOver.AssertResumedOnB(outcome);
    }

    [Fact]
    public async Task AJobWhoseReplicaDiesInAStepThatIsNotRepeatableFailsAsInterruptedAndIsRolledBackByAnother()
    {
        var outcome = await ReplicaTakeOver.RunAsync(database: null, killSwitchOnPostgres: false, unsafeStep: "init");
        ReplicaTakeOver.AssertInterruptedAndRolledBackOnB(outcome);
    }
}
