using Ladybug.Engine;
using Ladybug.Engine.Infrastructure;
using Ladybug.Tests.Support;
using Ladybug.Web.Services;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ladybug.Tests.Unit.Web;

/// <summary>
/// The real engine (SQLite file with migrations, job log, events, job runner) without the web server,
/// plus the console's services, for component and service tests. The cloud is <see cref="FakeCloud"/>.
/// </summary>
public sealed class EngineHost : IAsyncDisposable
{
    private readonly IHost _host;

    private EngineHost(IHost host, string dataDir)
    {
        _host = host;
        DataDir = dataDir;
    }

    public string DataDir { get; }
    public IServiceProvider Services => _host.Services;
    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    public static async Task<EngineHost> StartAsync(bool withCloud = true, Action<IServiceCollection>? services = null)
    {
        var dataDir = Directory.CreateTempSubdirectory("ladybug-web-").FullName;
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ladybug:DataDir"] = dataDir,
            ["Ladybug:Engine:LogFlushIntervalMs"] = "10",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddLadybugEngine();
        builder.Services.AddSingleton<ConsoleQueries>();
        builder.Services.AddSingleton<CloudCatalog>();
        if (withCloud)
        {
            builder.Services.AddSingleton<FakeCloud>();
            builder.Services.AddSingleton<IInfrastructure>(sp => sp.GetRequiredService<FakeCloud>());
        }
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new EngineHost(host, dataDir);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { }
    }
}
