using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Support;

/// <summary>
/// The real console (Program) in this process on a real loopback port, with a fresh data directory,
/// so tests can reach its services (seed data, publish events) and drive it over HTTP, SignalR or a browser.
/// </summary>
public sealed class TestConsole : WebApplicationFactory<Program>
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "test-Secret-pass";

    private readonly Action<IServiceCollection>? _services;

    public TestConsole(Action<IServiceCollection>? services = null)
    {
        _services = services;
        UseKestrel(FreePort());
    }

    public string DataDir { get; } = Directory.CreateTempSubdirectory("ladybug-console-").FullName;

    /// <summary>Starts the server (once) and returns where it listens.</summary>
    public Uri BaseAddress
    {
        get
        {
            StartServer();
            return ClientOptions.BaseAddress;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Ladybug:DataDir", DataDir);
        builder.UseSetting("Ladybug:Admin:User", AdminUser);
        builder.UseSetting("Ladybug:Admin:Password", AdminPassword);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        if (_services is not null) builder.ConfigureServices(_services);
    }

    public HttpClient CreateBasicClient()
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = BasicHeader();
        return client;
    }

    public static System.Net.Http.Headers.AuthenticationHeaderValue BasicHeader() =>
        new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{AdminUser}:{AdminPassword}")));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
