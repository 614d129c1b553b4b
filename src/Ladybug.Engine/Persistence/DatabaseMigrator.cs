using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ladybug.Engine.Persistence;

/// <summary>
/// Applies the committed migrations of the configured provider before anything else starts: on SQLite, then
/// switches the file to WAL; on PostgreSQL, under a session advisory lock, so replicas starting together migrate
/// one after another (the second finds nothing pending) instead of racing on the same DDL.
/// </summary>
internal sealed class DatabaseMigrator(IDbContextFactory<LadybugDbContext> factory, IOptions<DatabaseOptions> database, ILogger<DatabaseMigrator> logger) : IHostedService
{
    /// <summary>The advisory lock key every Ladybug replica agrees on ("LADYBUG1" as ASCII).</summary>
    internal const long MigrationLockKey = 0x4C41_4459_4255_4731;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (database.Value.Provider == DatabaseProvider.Postgres)
        {
            // The lock belongs to the session: the context keeps this one connection open until it is disposed,
            // and MigrateAsync runs on it.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);
            try
            {
                await MigrateAsync(db, cancellationToken);
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
            }
            return;
        }
        await MigrateAsync(db, cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }

    private async Task MigrateAsync(LadybugDbContext db, CancellationToken cancellationToken)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        if (pending.Count > 0)
            logger.LogInformation("Applied {Count} database migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (database.Value.Provider == DatabaseProvider.Sqlite) SqliteConnection.ClearAllPools();
        return Task.CompletedTask;
    }
}
