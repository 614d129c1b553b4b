using Ladybug.Engine.Infrastructure;
using Ladybug.Tests.Support;
using Ladybug.Web.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ladybug.Tests.Unit.Web.Services;

public sealed class CloudCatalogTests
{
    private static CloudCatalog Catalog(Action<IServiceCollection> services)
    {
        var collection = new ServiceCollection();
        services(collection);
        var provider = collection.BuildServiceProvider();
        return new CloudCatalog(provider.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System, NullLogger<CloudCatalog>.Instance);
    }

    [Fact]
    public async Task BrokerFailuresBecomeMessagesAndHealthReportsTheSandbox()
    {
        var cloud = new FakeCloud { Reachable = false };
        var catalog = Catalog(s => s.AddScoped<IInfrastructure>(_ => cloud));

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
}
