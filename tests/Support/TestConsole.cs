using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Ladybug.Engine.Accounts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Support;

/// <summary>
/// The real console (Program) in this process on a real loopback port, with a fresh data directory (a real
/// SQLite file), so tests can reach its services (seed data, publish events) and drive it over HTTP, SignalR,
/// the CLI or a browser. Without <c>services</c> it runs exactly what Program registers: the embedded sandbox
/// cloud and the kubeadm bootstrap; tests replace only the edges (see <see cref="FakeCloud"/>,
/// <see cref="ScriptedJobs"/>, <see cref="ScriptedProvisioning"/>).
/// </summary>
public sealed class TestConsole : WebApplicationFactory<Program>
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "test-Secret-pass";

    private readonly Action<IServiceCollection>? _services;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Lazy<string> _adminToken;

    /// <param name="services">Runs after Program's registrations, so it can replace them.</param>
    /// <param name="settings">Configuration on top of the test defaults (e.g. Ladybug:Sandbox:StepLatency).</param>
    public TestConsole(Action<IServiceCollection>? services = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        _services = services;
        _settings = settings ?? new Dictionary<string, string?>();
        _adminToken = new Lazy<string>(() => Services.GetRequiredService<AccountService>()
            .CreateTokenAsync(AdminUser, "tests", CancellationToken.None).GetAwaiter().GetResult().Plaintext);
        // Port 0: the OS picks a free port when the server binds, so parallel consoles never race for one.
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    }

    public string DataDir { get; } = Directory.CreateTempSubdirectory("ladybug-console-").FullName;

    /// <summary>Starts the server (once) and returns where it listens.</summary>
    public Uri BaseAddress
    {
        get
        {
            StartServer();
            return new Uri(Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        }
    }

    /// <summary>
    /// An API token of the administrator, created on first use. Test clients use it rather than Basic credentials:
    /// a token is one SHA-256, a password a deliberately slow hash on every request. Basic has tests of its own.
    /// </summary>
    public string AdminToken => _adminToken.Value;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Ladybug:DataDir", DataDir);
        builder.UseSetting("Ladybug:Admin:User", AdminUser);
        builder.UseSetting("Ladybug:Admin:Password", AdminPassword);
        builder.UseSetting("Ladybug:Engine:LogFlushIntervalMs", "10");
        // Seeded clusters name documentation addresses (203.0.113.x): no scheduled certificate reading may dial them.
        builder.UseSetting("Ladybug:Certificates:CheckInterval", "00:00:00");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // Seeded and scripted clusters name endpoints no test serves (203.0.113.x): a console that watches them would
        // reach off this machine. Tests on the sandbox turn the watch on.
        builder.UseSetting("Ladybug:Watch:Enabled", "false");
        // Many tests share one console and one client address, and some send wrong passwords on purpose: the sign-in
        // throttles and the lockout would turn their 401s into 429s. Security tests switch them back on in their settings.
        builder.UseSetting("Ladybug:SignIn:LockoutFailures", "0");
        builder.UseSetting("Ladybug:SignIn:FailuresPerMinutePerAddress", "0");
        builder.UseSetting("Ladybug:SignIn:FailuresPerMinutePerUser", "0");
        builder.UseSetting("Ladybug:SignIn:FormPostsPerMinutePerAddress", "0");
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        if (_services is not null) builder.ConfigureTestServices(_services);
    }

    /// <summary>A client of the running server that sends <paramref name="authorization"/> and never follows redirects.</summary>
    public HttpClient CreateClientWith(AuthenticationHeaderValue? authorization)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = authorization;
        return client;
    }

    public HttpClient CreateAdminClient() => CreateClientWith(new AuthenticationHeaderValue("Bearer", AdminToken));

    public HttpClient CreateBasicClient() => CreateClientWith(BasicHeader());

    public static AuthenticationHeaderValue BasicHeader() => new("Basic", BasicCredentials(AdminUser, AdminPassword));

    public static string BasicCredentials(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a closing connection; the temp folder is cleaned by the OS eventually.
        }
    }
}
