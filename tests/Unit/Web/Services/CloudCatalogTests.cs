using Ladybug.Engine.Infrastructure;
using Ladybug.Tests.Support;
using Ladybug.Tests.Unit.Engine;
using Ladybug.Web.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ladybug.Tests.Unit.Web.Services;

[Trait(TestTier.Category, TestTier.Unit)]
public sealed class CloudCatalogTests
{
    /// <summary>A catalog over <paramref name="cloud"/> in its own container, with the host lifetime that tells it the console is stopping.</summary>
    private sealed class CatalogHost : IDisposable
    {
        private readonly ILoggerFactory _loggers;

        public CatalogHost(FakeCloud cloud)
        {
            _loggers = LoggerFactory.Create(b => b.AddProvider(Logs));
            Services = new ServiceCollection().AddScoped<IInfrastructure>(_ => cloud).BuildServiceProvider();
            Catalog = new CloudCatalog(Services.GetRequiredService<IServiceScopeFactory>(), Lifetime, TimeProvider.System, _loggers.CreateLogger<CloudCatalog>());
        }

        public ApplicationLifetime Lifetime { get; } = new(NullLogger<ApplicationLifetime>.Instance);
        public ServiceProvider Services { get; }
        public CloudCatalog Catalog { get; }
        public CapturedLogs Logs { get; } = new();

        /// <summary>What the host does when the console stops: stopping first, then its services are disposed.</summary>
        public void Stop()
        {
            Lifetime.StopApplication();
            Services.Dispose();
        }

        public void Dispose()
        {
            Services.Dispose();
            _loggers.Dispose();
        }
    }

    [Fact]
    public async Task BrokerFailuresBecomeMessagesAndHealthReportsTheSandbox()
    {
        var cloud = new FakeCloud { Reachable = false };
        using var console = new CatalogHost(cloud);
        var catalog = console.Catalog;

        var connections = await catalog.ConnectionsAsync();
        Assert.False(connections.Ok);
        Assert.Contains("refused the connection", connections.Error);

        var health = await catalog.CheckAsync();
        Assert.False(health.Ready);
        Assert.True(health.IsSandbox);
        cloud.Reachable = true;
        Assert.Equal(FakeCloud.Connections.Count, (await catalog.ConnectionsAsync()).Value.Count);
        Assert.Equal(4, (await catalog.SpecsAsync("aws-us-east-1")).Value.Count);
    }

    [Fact]
    public async Task OnceTheConsoleHasStoppedCallsEndCancelledInsteadOfFailingOnItsDisposedServices()
    {
        using var console = new CatalogHost(new FakeCloud());

        console.Stop();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => console.Catalog.CheckAsync());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => console.Catalog.ConnectionsAsync());
        Assert.Empty(console.Logs.Entries);
    }

    [Fact]
    public async Task ACheckUnderWayWhenTheConsoleStopsEndsCancelledAndLogsNothing()
    {
        using var console = new CatalogHost(new FakeCloud { Silent = true });
        var check = console.Catalog.CheckAsync();
        Assert.False(check.IsCompleted);

        console.Stop();

        // The bound only keeps a broken build from hanging the run; a working one ends at once.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => check.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Empty(console.Logs.Entries);
    }

    [Fact]
    public async Task ACheckItsCallerCancelsIsNotRememberedAsTheBrokersHealth()
    {
        var cloud = new FakeCloud { Silent = true };
        using var console = new CatalogHost(cloud);
        using var leaving = new CancellationTokenSource();
        var check = console.Catalog.CheckAsync(leaving.Token);

        await leaving.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => check.WaitAsync(TimeSpan.FromSeconds(30)));
        cloud.Silent = false;
        Assert.True((await console.Catalog.CheckAsync()).Ready);
        Assert.Empty(console.Logs.Entries);
    }
}
