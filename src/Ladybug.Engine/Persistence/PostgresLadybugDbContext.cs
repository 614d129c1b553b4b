using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Ladybug.Engine.Persistence;

/// <summary>
/// The same model on PostgreSQL. A type of its own because EF Core picks migrations by context type: the SQLite
/// migrations (Persistence/Migrations) belong to <see cref="LadybugDbContext"/>, the PostgreSQL ones
/// (Persistence/PostgresMigrations) to this type, each with its own model snapshot. It also holds the Data
/// Protection key ring that every replica shares.
/// </summary>
public sealed class PostgresLadybugDbContext(DbContextOptions<PostgresLadybugDbContext> options) : LadybugDbContext(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        // PostgreSQL orders timestamptz natively, so no ticks conversion; Npgsql refuses a non-zero offset for
        // timestamptz, and every stored time means an instant, so it is normalised to UTC on the way in.
        builder.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeOffsetConverter>();
        builder.Properties<Enum>().HaveConversion<string>();
    }

    private sealed class UtcDateTimeOffsetConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(v => v.ToUniversalTime(), v => v);
}

/// <summary>Lets `dotnet ef migrations add --context PostgresLadybugDbContext` build the model; it never connects.</summary>
internal sealed class PostgresDesignTimeDbContextFactory : IDesignTimeDbContextFactory<PostgresLadybugDbContext>
{
    public PostgresLadybugDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresLadybugDbContext>().UseNpgsql("Host=localhost;Database=ladybug_design").Options);
}

/// <summary>Hands the PostgreSQL context to everything that asks for a <see cref="LadybugDbContext"/>.</summary>
internal sealed class PostgresDbContextFactory(IDbContextFactory<PostgresLadybugDbContext> inner) : IDbContextFactory<LadybugDbContext>
{
    public LadybugDbContext CreateDbContext() => inner.CreateDbContext();

    public async Task<LadybugDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await inner.CreateDbContextAsync(cancellationToken);
}
