namespace Ladybug.Engine.Persistence;

public enum DatabaseProvider
{
    /// <summary>One file under the data dir: the embedded default, for one console.</summary>
    Sqlite,
    /// <summary>A PostgreSQL database the team already runs: required for several console replicas.</summary>
    Postgres,
}

/// <summary>Section "Ladybug:Database": which database holds the console's state.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Ladybug:Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Npgsql connection string; required for Postgres, ignored for SQLite (which uses the data dir).</summary>
    public string? ConnectionString { get; set; }
}
