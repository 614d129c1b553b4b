using Ladybug.Engine.Persistence;
using Ladybug.Tests.Unit.Engine.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Ladybug.Tests.Unit.Engine.Persistence;

/// <summary>Two engine replicas on one PostgreSQL database (a server of the test's own, see <see cref="EmbeddedPostgres"/>).</summary>
public sealed class PostgresReplicaTests(EmbeddedPostgres postgres) : IClassFixture<EmbeddedPostgres>
{
    private async Task<Dictionary<string, string?>> NewDatabaseAsync() => new()
    {
        [$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.Provider)}"] = nameof(DatabaseProvider.Postgres),
        [$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.ConnectionString)}"] = await postgres.CreateDatabaseAsync(),
    };

    [PostgresFact]
    public async Task TwoReplicasStartingTogetherOnAnEmptyDatabaseBothComeUpOnTheMigratedSchema()
    {
        var database = await NewDatabaseAsync();

        var started = await Task.WhenAll(
            EngineHost.StartAsync(settings: ReplicaTakeOver.Replica("replica-a", database)),
            EngineHost.StartAsync(settings: ReplicaTakeOver.Replica("replica-b", database)));
        await using var a = started[0];
        await using var b = started[1];

        await using var db = await a.OpenDbAsync();
        Assert.IsType<PostgresLadybugDbContext>(db);
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", db.Database.ProviderName);
        // Both replicas work on the one schema: a cluster stored through A is read through B.
        var cluster = await a.AddClusterAsync(Clusters.ClusterSpecs.Valid());
        Assert.Equal(cluster.Name, (await b.GetClusterAsync(cluster.Id)).Name);
    }

    [PostgresFact]
    public async Task AReplicaTakesOverAJobInARepeatableStepWhenItsReplicaDies()
    {
        var outcome = await ReplicaTakeOver.RunAsync(await NewDatabaseAsync(), killSwitchOnPostgres: true);
        ReplicaTakeOver.AssertResumedOnB(outcome);
    }

    [PostgresFact]
    public async Task AJobWhoseReplicaDiesInAStepThatIsNotRepeatableFailsAsInterruptedAndIsRolledBackByAnother()
    {
        var outcome = await ReplicaTakeOver.RunAsync(await NewDatabaseAsync(), killSwitchOnPostgres: true, unsafeStep: "init");
        ReplicaTakeOver.AssertInterruptedAndRolledBackOnB(outcome);
    }

    [PostgresFact]
    public async Task ASecretSealedOnOneReplicaUnsealsOnAnotherThatSharesOnlyTheDatabase()
    {
        var database = await NewDatabaseAsync();
        // Separate data dirs: no key directory in common, only the database.
        await using var a = await EngineHost.StartAsync(settings: ReplicaTakeOver.Replica("replica-a", database));
        await using var b = await EngineHost.StartAsync(settings: ReplicaTakeOver.Replica("replica-b", database));
        Assert.NotEqual(a.DataDir, b.DataDir);

        var sealedOnA = a.Sealer.Seal("kubeconfig of cluster one");
        var sealedOnB = b.Sealer.Seal("kubeconfig of cluster two");

        Assert.Equal("kubeconfig of cluster one", b.Sealer.Unseal(sealedOnA));
        Assert.Equal("kubeconfig of cluster two", a.Sealer.Unseal(sealedOnB));
    }
}
