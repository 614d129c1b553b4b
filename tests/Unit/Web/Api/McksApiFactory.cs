using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Ladybug.Engine.Accounts;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Infrastructure;
using Ladybug.Engine.Jobs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ladybug.Tests.Unit.Web.Api;

/// <summary>
/// The real console (Program) on a temp data dir with a real SQLite file. Only the edges are replaced:
/// the cloud (<see cref="FakeInfrastructure"/>) and the provisioning handlers, which the test scripts
/// through <see cref="Jobs"/> until the real ones exist. With <see cref="ListenOnLoopback"/> it runs on
/// Kestrel at 127.0.0.1 so real HTTP clients (the CLI, SignalR) can reach it.
/// </summary>
public sealed class McksApiFactory : WebApplicationFactory<Program>
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "correct-horse-battery";

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "ladybug-api-tests", Guid.NewGuid().ToString("N"));

    public ScriptedJobs Jobs { get; } = new();

    /// <summary>The cloud boundary; null registers no infrastructure at all.</summary>
    public FakeInfrastructure Infrastructure { get; init; } = new();

    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromMinutes(1);

    public bool ListenOnLoopback { get; init; }

    /// <summary>
    /// An API token of the administrator. Test clients use it rather than Basic credentials: a token is one
    /// SHA-256, a password a deliberately slow hash on every request. Basic has tests of its own.
    /// </summary>
    public string AdminToken { get; private set; } = "";

    public Uri BaseAddress => ListenOnLoopback
        ? new Uri(Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First())
        : ClientOptions.BaseAddress;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Ladybug:DataDir", _dataDir);
        builder.UseSetting("Ladybug:Admin:User", AdminUser);
        builder.UseSetting("Ladybug:Admin:Password", AdminPassword);
        builder.UseSetting("Ladybug:Api:WaitTimeout", WaitTimeout.ToString());
        builder.UseSetting("Ladybug:Engine:LogFlushIntervalMs", "10");
        // Scripted jobs of one test may wait for a release that never comes; they must not hold every slot.
        builder.UseSetting("Ladybug:Engine:MaxConcurrentJobs", "256");
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<IJobHandler>();
            foreach (var kind in Enum.GetValues<JobKind>())
                services.AddSingleton<IJobHandler>(new ScriptedJobHandler(kind, Jobs));
            services.RemoveAll<IClusterSpecCheck>();
            services.RemoveAll<IInfrastructure>();
            services.AddSingleton<IInfrastructure>(Infrastructure);
        });
    }

    /// <summary>Starts the app on Kestrel at 127.0.0.1 on a free port when <see cref="ListenOnLoopback"/> is set.</summary>
    public McksApiFactory Start()
    {
        if (ListenOnLoopback)
        {
            UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            StartServer();
        }
        var accounts = Services.GetRequiredService<AccountService>();
        AdminToken = accounts.CreateTokenAsync(AdminUser, "tests", CancellationToken.None).GetAwaiter().GetResult().Plaintext;
        return this;
    }

    public HttpClient CreateAdminClient() => CreateClientWith(new AuthenticationHeaderValue("Bearer", AdminToken));

    public HttpClient CreateClientWith(AuthenticationHeaderValue? authorization)
    {
        var client = ListenOnLoopback ? new HttpClient { BaseAddress = BaseAddress } : CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = authorization;
        return client;
    }

    public static string BasicCredentials(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a closing connection; the temp folder is cleaned by the OS eventually.
        }
    }
}
