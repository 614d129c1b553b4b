using System.Security.Cryptography;
using System.Text;
using Ladybug.Engine.Domain;
using Ladybug.Tests.Unit.Engine.Clusters;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Ladybug.Tests.Unit.Engine.Persistence;

public sealed class PersistenceTests
{
    private const string PrivateKey = """
        -----BEGIN OPENSSH PRIVATE KEY-----
        b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
        QyNTUxOQAAACBsYWR5YnVnLXRlc3Qta2V5LW1hdGVyaWFsLW9ubHktZm9yLXRlc3Rz
        -----END OPENSSH PRIVATE KEY-----
        """;

    private const string Kubeconfig = """
        apiVersion: v1
        kind: Config
        clusters:
        - cluster:
            certificate-authority-data: TGFkeWJ1Z1Rlc3RDYURhdGFGb3JTZWFsaW5n
            server: https://ladybug-api.cluster.internal:6443
          name: sealed-demo
        users:
        - name: kubernetes-admin
          user:
            client-key-data: TGFkeWJ1Z1Rlc3RDbGllbnRLZXlEYXRhRm9yU2VhbGluZw==
        """;

    [Fact]
    public async Task MigratorBuildsTheDatabaseFromEmptyAndTurnsOnWal()
    {
        await using var engine = await EngineHost.StartAsync();

        Assert.True(File.Exists(engine.DatabasePath));
        await using var db = await engine.OpenDbAsync();
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes no migration describes: add a migration.");
        Assert.Equal("wal", await JournalModeAsync(engine.DatabasePath));
    }

    [Fact]
    public async Task EveryConnectionCommitsWithoutWaitingForAnFsyncAndWaitsForALockInsideSqlite()
    {
        await using var engine = await EngineHost.StartAsync();
        await using var db = await engine.OpenDbAsync();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();

        Assert.Equal(1L, await PragmaAsync(connection, "synchronous")); // NORMAL (SQLite's default is FULL, 2)
        Assert.Equal(30000L, await PragmaAsync(connection, "busy_timeout"));
    }

    private static async Task<object?> PragmaAsync(System.Data.Common.DbConnection connection, string name)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return await command.ExecuteScalarAsync();
    }

    [Fact]
    public async Task MigratorSwitchesADatabaseInRollbackJournalModeToWal()
    {
        // EF Core creates new files in WAL already; a database copied in or restored from a backup may not be.
        await using var first = await EngineHost.StartAsync();
        await first.StopAsync();
        Assert.Equal("delete", await JournalModeAsync(first.DatabasePath, "delete"));

        await using var second = await first.RestartAsync();

        Assert.Equal("wal", await JournalModeAsync(second.DatabasePath));
    }

    /// <summary>Reads, or sets and reads back, the journal mode through a connection of its own.</summary>
    private static async Task<string?> JournalModeAsync(string databasePath, string? set = null)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync();
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = set is null ? "PRAGMA journal_mode" : $"PRAGMA journal_mode={set}";
        return (string?)await pragma.ExecuteScalarAsync();
    }

    [Fact]
    public async Task MigratorLeavesAnUpToDateDatabaseAndItsDataAlone()
    {
        await using var first = await EngineHost.StartAsync();
        var cluster = await first.AddClusterAsync(ClusterSpecs.Valid());

        await using var second = await first.RestartAsync();

        Assert.Equal("demo", (await second.GetClusterAsync(cluster.Id)).Name);
    }

    [Fact]
    public async Task ClusterNodesJobsAndLogsRoundTripThroughTheDatabaseFile()
    {
        await using var first = await EngineHost.StartAsync();
        var created = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
        var spec = ClusterSpecs.Valid() with { KubernetesVersion = "1.18.20", Cni = Cni.Canal, LoadBalancer = LoadBalancerMode.Nlb, Label = "blue", KeepMachinesOnFailure = true };
        var cluster = await first.AddClusterAsync(spec, ClusterPhase.Failed, c =>
        {
            c.SetPhase(ClusterPhase.Failed, created, FailureReason.JoinWorkerFailed, "w1-1 could not join");
            c.InfraNamespace = "ladybug";
            c.InfraId = "demo-infra";
            c.Nodes.Add(new Node
            {
                ClusterId = c.Id, PoolId = c.Pools[1].Id, Name = "w1-1", Role = NodeRole.Worker, Connection = "gcp-asia-northeast3",
                Csp = "gcp", Region = "asia-northeast3", Zone = "asia-northeast3-a", Latitude = 37.5665, Longitude = 126.978,
                PublicIp = "127.0.3.7", PrivateIp = "10.0.0.7", SshPort = 2207, Spec = "e2-standard-2", Status = NodeStatus.Failed,
                StatusMessage = "join timed out", HostKeyFingerprint = "SHA256:abc", CreatedAt = created,
            });
        });
        var job = new Job { ClusterId = cluster.Id, Kind = JobKind.AddNodes, State = JobState.Failed, Attempts = 2, CreatedAt = created, Payload = "{}", Error = "JoinWorkerFailedReason: timeout" };
        await using (var db = await first.OpenDbAsync())
        {
            db.Jobs.Add(job);
            db.JobSteps.Add(new JobStep { JobId = job.Id, Order = 3, Name = "join", NodeName = "w1-1", State = StepState.Failed, StartedAt = created, FinishedAt = created.AddMinutes(2), ExitCode = 1, Message = "timeout" });
            await db.SaveChangesAsync();
        }
        first.JobLog.Append(cluster.Id, job.Id, "w1-1", "join", LogStream.Stderr, "error: timed out");

        await using var second = await first.RestartAsync();

        var stored = await second.GetClusterAsync(cluster.Id);
        Assert.Equal((ClusterPhase.Failed, FailureReason.JoinWorkerFailed, "w1-1 could not join", created), (stored.Phase, stored.Reason, stored.Message, stored.UpdatedAt));
        Assert.Equal(("1.18.20", Cni.Canal, LoadBalancerMode.Nlb, "blue", true), (stored.KubernetesVersion, stored.Cni, stored.LoadBalancer, stored.Label, stored.KeepMachinesOnFailure));
        Assert.Equal(("ladybug", "demo-infra"), (stored.InfraNamespace, stored.InfraId));
        Assert.Equal(["cp", "w1"], stored.Pools.OrderBy(p => p.Name).Select(p => p.Name));
        var node = Assert.Single(stored.Nodes);
        Assert.Equal(("gcp", "asia-northeast3", "asia-northeast3-a", 37.5665, 126.978), (node.Csp, node.Region, node.Zone, node.Latitude, node.Longitude));
        Assert.Equal(("127.0.3.7", "10.0.0.7", 2207, "cb-user", NodeStatus.Failed, "SHA256:abc"), (node.PublicIp, node.PrivateIp, node.SshPort, node.SshUser, node.Status, node.HostKeyFingerprint));
        var storedJob = await second.GetJobAsync(job.Id);
        Assert.Equal((JobKind.AddNodes, JobState.Failed, 2, created), (storedJob.Kind, storedJob.State, storedJob.Attempts, storedJob.CreatedAt));
        var step = Assert.Single(await second.StepsOfAsync(job.Id));
        Assert.Equal(("join", "w1-1", StepState.Failed, 1, created.AddMinutes(2)), (step.Name, step.NodeName, step.State, step.ExitCode, step.FinishedAt));
        var line = Assert.Single(await second.JobLog.ReadAsync(cluster.Id, 0, 10));
        Assert.Equal((1L, "w1-1", "join", LogStream.Stderr, "error: timed out"), (line.Sequence, line.NodeName, line.Step, line.Stream, line.Text));
    }

    [Fact]
    public async Task SecretsAreUnreadableInTheDatabaseFilesAndUnsealAfterARestart()
    {
        await using var first = await EngineHost.StartAsync();
        var sealer = first.Sealer;
        var cluster = await first.AddClusterAsync(ClusterSpecs.Valid("sealed-demo"), ClusterPhase.Provisioned, c =>
        {
            c.SealedKubeconfig = sealer.Seal(Kubeconfig);
            c.Nodes.Add(new Node
            {
                ClusterId = c.Id, PoolId = c.Pools[0].Id, Name = "cp-1", Role = NodeRole.ControlPlane,
                PublicIp = "127.0.3.9", SealedSshPrivateKey = sealer.Seal(PrivateKey), CreatedAt = c.CreatedAt,
            });
        });

        // Read while the console runs, so the write-ahead log still holds the fresh pages.
        var bytes = ReadDatabaseFiles(first.DatabasePath);
        Assert.Contains("sealed-demo", bytes);
        Assert.Contains("127.0.3.9", bytes);
        foreach (var secret in new[] { "PRIVATE KEY", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ", "QyNTUxOQAAACBsYWR5YnVn", "client-key-data", "TGFkeWJ1Z1Rlc3RDbGllbnRLZXlEYXRhRm9yU2VhbGluZw", "apiVersion: v1" })
            Assert.DoesNotContain(secret, bytes);

        await using var second = await first.RestartAsync();

        await using (var db = await second.OpenDbAsync())
            Assert.Equal(PrivateKey, second.Sealer.Unseal(db.Nodes.Single(n => n.ClusterId == cluster.Id).SealedSshPrivateKey!));
        Assert.Equal(Kubeconfig, await second.Queries.ReadKubeconfigAsync(cluster.Id, "admin"));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(second.DataDir, "keys"), "key-*.xml"));
    }

    [Fact]
    public async Task SecretSealedUnderOneDataDirCannotBeUnsealedUnderAnother()
    {
        await using var first = await EngineHost.StartAsync();
        await using var other = await EngineHost.StartAsync();
        var sealedKey = first.Sealer.Seal(PrivateKey);

        Assert.ThrowsAny<CryptographicException>(() => other.Sealer.Unseal(sealedKey));
    }

    [Fact]
    public async Task KubeconfigReadsAreAuditedAndStopOnceTheClusterIsBeingDeleted()
    {
        await using var engine = await EngineHost.StartAsync();
        var sealedKubeconfig = engine.Sealer.Seal(Kubeconfig);
        var cluster = await engine.AddClusterAsync(ClusterSpecs.Valid(), ClusterPhase.Provisioned, c => c.SealedKubeconfig = sealedKubeconfig);

        var read = await engine.Queries.ReadKubeconfigAsync(cluster.Id, "alice");
        await using (var db = await engine.OpenDbAsync())
            await db.Clusters.Where(c => c.Id == cluster.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Phase, ClusterPhase.Deleting));
        var afterDelete = await engine.Queries.ReadKubeconfigAsync(cluster.Id, "bob");

        Assert.Equal(Kubeconfig, read);
        Assert.Null(afterDelete);
        await using var audit = await engine.OpenDbAsync();
        var entry = Assert.Single(await audit.AuditEntries.ToListAsync());
        Assert.Equal((cluster.Id, "alice", "kubeconfig.download", "demo"), (entry.ClusterId, entry.User, entry.Action, entry.Detail));
    }

    /// <summary>The database file and its write-ahead log as text: what anyone who copies the data dir can read.</summary>
    private static string ReadDatabaseFiles(string databasePath)
    {
        var text = new StringBuilder();
        foreach (var path in new[] { databasePath, databasePath + "-wal" }.Where(File.Exists))
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            text.Append(Encoding.Latin1.GetString(memory.ToArray()));
        }
        return text.ToString();
    }
}
