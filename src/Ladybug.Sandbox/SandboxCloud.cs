using System.Net;
using Ladybug.Sandbox.Catalog;
using Ladybug.Sandbox.Emulator;
using Ladybug.Sandbox.KubeApi;
using Ladybug.Sandbox.Machines;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ladybug.Sandbox;

/// <summary>
/// The embedded sandbox cloud: a Tumblebug emulator on a loopback port whose VMs are real sshd processes. The
/// console starts one in-process, tests start their own, and <c>dotnet run --project src/Ladybug.Sandbox</c>
/// serves one on 127.0.0.1:1323. Disposing it stops every VM. On a kept state directory (the console's) it saves
/// its state as it goes and the next start brings the same Infras and VMs back.
/// </summary>
public sealed class SandboxCloud : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SandboxMachines _machines;
    private readonly SandboxOptions _options;
    private readonly InfraProvisioner _provisioner;
    private readonly EmulatorStateStore? _store;
    private readonly NodeTermination _termination;
    private readonly KubeApiHost _kubeApi;

    private SandboxCloud(WebApplication app, SandboxMachines machines, InfraProvisioner provisioner, NodeTermination termination, EmulatorStateStore? store, SandboxControl control, SandboxOptions options, Uri address, KubeApiHost kubeApi)
    {
        _kubeApi = kubeApi;
        _termination = termination;
        _app = app;
        _machines = machines;
        _provisioner = provisioner;
        _store = store;
        _options = options;
        Control = control;
        Address = address;
    }

    /// <summary>The emulator's root, e.g. http://127.0.0.1:41234/ (admin endpoints under /sandbox).</summary>
    public Uri Address { get; }
    /// <summary>Tumblebug's base URL, ending in /tumblebug.</summary>
    public Uri TumblebugUrl => new(Address, TumblebugEmulatorApi.BasePath.TrimStart('/'));
    public string User => _options.User;
    public string Password => _options.Password;
    /// <summary>Null when VMs can run; otherwise what to install (the emulator still answers, and reports it from /readyz).</summary>
    public string? Problem => _machines.Problem;
    public string StateDirectory => _machines.StateDirectory;
    public SandboxControl Control { get; }
    public IReadOnlyList<SandboxMachineInfo> Machines => SandboxAdminApi.Describe(_machines);

    public static async Task<SandboxCloud> StartAsync(SandboxOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        var endpoint = LoopbackEndpoint(options.Url);
        loggerFactory ??= NullLoggerFactory.Instance;
        var machines = new SandboxMachines(options, loggerFactory.CreateLogger<SandboxMachines>());
        EmulatorStateStore? store = null;
        InfraProvisioner? provisioner = null;
        NodeTermination? termination = null;
        KubeApiHost? kubeApi = null;
        try
        {
            if (machines.Problem is { } problem)
                loggerFactory.CreateLogger<SandboxCloud>().LogError("The sandbox cloud cannot start VMs: {Problem}", problem);
            var control = new SandboxControl(options, machines);
            var catalog = new CloudCatalog();
            store = machines.KeepsState ? EmulatorStateStore.Open(machines.StateDirectory, catalog, loggerFactory.CreateLogger<EmulatorStateStore>()) : null;
            var state = store?.State ?? new EmulatorState();
            provisioner = new InfraProvisioner(state, machines, control, options, catalog, loggerFactory.CreateLogger<InfraProvisioner>());
            termination = new NodeTermination(state, provisioner, machines, options.Timing, loggerFactory.CreateLogger<NodeTermination>());
            if (store is not null)
            {
                await provisioner.RestoreAsync(store.SavedMachines, cancellationToken);
                termination.ResumeAfterRestart();
            }

            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(SandboxCloud).Assembly.GetName().Name });
            builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(endpoint));
            builder.Services.AddRoutingCore();
            // The host owning this process (the console, a test) handles Ctrl+C and SIGTERM, not the emulator.
            builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
            builder.Services.AddSingleton(loggerFactory);
            builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
            var ledger = new RequestLedger();
            builder.Services.AddSingleton(options).AddSingleton(machines).AddSingleton(control).AddSingleton(ledger)
                .AddSingleton(new TumblebugRateLimits(options.Timing, TimeProvider.System))
                .AddSingleton(new EmulatorServices(state, catalog, provisioner, machines, control, new InitializationClock(options.InitializationDelay), ledger) { Termination = termination });
            var app = builder.Build();
            app.UseMiddleware<TumblebugGate>();
            app.UseSandboxAdminCredentials(options);
            app.MapTumblebugEmulator();
            app.MapSandboxAdmin();
            await app.StartAsync(cancellationToken);
            kubeApi = new KubeApiHost(machines, options, loggerFactory);

            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            return new SandboxCloud(app, machines, provisioner, termination, store, control, options, new Uri(address.TrimEnd('/') + "/"), kubeApi);
        }
        catch
        {
            if (kubeApi is not null) await kubeApi.DisposeAsync();
            if (termination is not null) await termination.DisposeAsync();
            if (provisioner is not null) await provisioner.StopAllAsync();
            if (store is not null) await store.DisposeAsync();
            await machines.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(grace.Token);
            await _app.DisposeAsync();
            await _kubeApi.DisposeAsync();
            await _termination.DisposeAsync();
            await _provisioner.StopAllAsync();
        }
        finally
        {
            // The state is saved before the VMs stop: a stopped sandbox leaves nothing the next start would not know.
            if (_store is not null) await _store.DisposeAsync();
            await _machines.DisposeAsync();
        }
    }

    /// <summary>Powers a VM off as from the cloud's console (POST /sandbox/machines/{infra}/{node}/stop); false when there is no such VM.</summary>
    public Task<bool> StopMachineAsync(string infraId, string nodeId, string? ns = null) =>
        SandboxAdminApi.PowerAsync(_machines, infraId, nodeId, ns, on: false, CancellationToken.None);

    /// <summary>Boots a VM <see cref="StopMachineAsync"/> stopped.</summary>
    public Task<bool> StartMachineAsync(string infraId, string nodeId, string? ns = null, CancellationToken cancellationToken = default) =>
        SandboxAdminApi.PowerAsync(_machines, infraId, nodeId, ns, on: true, cancellationToken);

    /// <summary>
    /// Makes every control plane's certificates of the Infra expire at <paramref name="notAfter"/>
    /// (POST /sandbox/clusters/{infra}/certificates?expiresInDays=N); null when there is no such Infra.
    /// </summary>
    public Task<AgedCertificates?> AgeCertificatesAsync(string infraId, DateTimeOffset notAfter, string? ns = null, CancellationToken cancellationToken = default) =>
        SandboxAdminApi.AgeCertificatesAsync(_machines, infraId, ns, notAfter, cancellationToken);

    private sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>The sandbox only ever listens on loopback.</summary>
    private static IPEndPoint LoopbackEndpoint(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
            throw new ArgumentException($"{SandboxOptions.Section}:Url '{url}' must be an http URL such as http://127.0.0.1:1323.");
        var address = uri.IsLoopback && !IPAddress.TryParse(uri.Host, out _) ? IPAddress.Loopback
            : IPAddress.TryParse(uri.Host, out var parsed) && IPAddress.IsLoopback(parsed) ? parsed
            : throw new ArgumentException($"{SandboxOptions.Section}:Url '{url}' is not a loopback address; the sandbox listens on 127.x.y.z only.");
        return new IPEndPoint(address, uri.Port);
    }
}
