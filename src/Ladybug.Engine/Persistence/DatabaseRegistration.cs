using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Engine.Persistence;

internal static class DatabaseRegistration
{
    /// <summary>Registers <see cref="IDbContextFactory{LadybugDbContext}"/> for the configured provider.</summary>
    public static IServiceCollection AddLadybugDatabase(this IServiceCollection services, DatabaseOptions database, LadybugOptions ladybug)
    {
        switch (database.Provider)
        {
            case DatabaseProvider.Sqlite:
                services.AddDbContextFactory<LadybugDbContext>(options =>
                    options.UseSqlite($"Data Source={ladybug.DatabasePath};Default Timeout=30",
                        sqlite => sqlite.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery))
                        .AddInterceptors(new SqliteConnectionSettings()));
                break;
            case DatabaseProvider.Postgres:
                if (string.IsNullOrWhiteSpace(database.ConnectionString))
                    throw new InvalidOperationException($"{DatabaseOptions.Section}:{nameof(DatabaseOptions.ConnectionString)} is required when the provider is {DatabaseProvider.Postgres}.");
                services.AddDbContextFactory<PostgresLadybugDbContext>(options =>
                    options.UseNpgsql(database.ConnectionString,
                        npgsql => npgsql.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery)));
                services.AddSingleton<IDbContextFactory<LadybugDbContext>, PostgresDbContextFactory>();
                break;
            default:
                throw new InvalidOperationException($"Unknown {DatabaseOptions.Section}:{nameof(DatabaseOptions.Provider)} '{database.Provider}'.");
        }
        return services;
    }
}
