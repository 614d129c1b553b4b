using Ladybug.Engine.Persistence;

namespace Ladybug.Engine.Jobs;

/// <summary>
/// The name a console writes into the leases of the jobs it runs. A configured <see cref="EngineOptions.ReplicaId"/>
/// wins. Otherwise a SQLite console, the only one on its database, keeps one name in its data dir for good, so after a
/// crash it reclaims its own running jobs at once instead of waiting for their leases to lapse. A PostgreSQL replica
/// without a configured name gets machine name and process id: replicas may share a data dir (one host, one volume),
/// and two replicas with one name would both believe they hold each other's jobs.
/// </summary>
internal static class ReplicaIdentity
{
    public const string FileName = "replica-id";

    public static string Resolve(EngineOptions engine, DatabaseOptions database, LadybugOptions ladybug)
    {
        if (!string.IsNullOrWhiteSpace(engine.ReplicaId)) return engine.ReplicaId;
        if (database.Provider != DatabaseProvider.Sqlite) return $"{Environment.MachineName}-{Environment.ProcessId}";
        return StoredIn(Path.Combine(Path.GetFullPath(ladybug.DataDir), FileName));
    }

    private static string StoredIn(string path)
    {
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } stored) return stored;
        var created = $"{Environment.MachineName}-{Guid.NewGuid():N}";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Written whole under a temporary name first: a crash mid-write must not leave a half name behind.
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, created);
        File.Move(temporary, path, overwrite: true);
        return created;
    }
}
