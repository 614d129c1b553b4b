using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Ladybug.Engine.Persistence;

/// <summary>
/// Per-connection SQLite settings, applied whenever EF Core opens a connection (they are not stored in the file).
/// <list type="bullet">
/// <item><c>synchronous=NORMAL</c>: in WAL mode a commit no longer waits for an fsync of the log, only checkpoints
/// do. The database cannot be corrupted by a crash; a power loss may lose the last commits. With FULL (SQLite's
/// default), 51 nodes starting and finishing their steps at once queued behind ~20 ms fsyncs: 204 small commits took
/// 3–7 s on the 2-core machine, against 20 ms with NORMAL, and delayed every node's first SSH contact.</item>
/// <item><c>busy_timeout</c>: a writer that finds the database locked waits inside SQLite (short, growing sleeps)
/// instead of Microsoft.Data.Sqlite's 150 ms retry sleep, for as long as the connection string's
/// <c>Default Timeout</c> lets a command run.</item>
/// </list>
/// </summary>
internal sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas(connection);
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas(connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The lock wait follows the connection string's <c>Default Timeout</c>: one setting, not a second literal.</summary>
    private static string Pragmas(DbConnection connection) =>
        $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={((SqliteConnection)connection).DefaultTimeout * 1000};";
}
