using Ladybug.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Ladybug.Tests.Unit.Engine.Persistence;

/// <summary>
/// Hosted services start in registration order. Data Protection's loads the key ring at start, which on PostgreSQL
/// is a table the migrations create: a replica's first start on a fresh database logged "relation DataProtectionKeys
/// does not exist" while the migrator had not run yet.
/// </summary>
public sealed class HostedServiceOrderTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("ladybug-order-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public void TheDatabaseIsMigratedBeforeTheKeyRingIsRead(string provider)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Ladybug:DataDir"] = _dataDir;
        builder.Configuration["Ladybug:Database:Provider"] = provider;
        builder.Configuration["Ladybug:Database:ConnectionString"] = "Host=127.0.0.1;Database=unused";
        builder.AddLadybugEngine();

        var hosted = builder.Services.Where(d => d.ServiceType == typeof(IHostedService))
            .Select(d => (d.ImplementationType ?? d.ImplementationInstance?.GetType())?.Name).ToList();
        var migrator = hosted.IndexOf("DatabaseMigrator");
        var keyRing = hosted.IndexOf("DataProtectionHostedService");

        Assert.True(migrator >= 0, $"no DatabaseMigrator among {string.Join(", ", hosted)}");
        Assert.True(keyRing >= 0, $"no DataProtectionHostedService among {string.Join(", ", hosted)}");
        Assert.True(migrator < keyRing, $"the key ring's hosted service starts before the migrator: {string.Join(", ", hosted)}");
    }
}
