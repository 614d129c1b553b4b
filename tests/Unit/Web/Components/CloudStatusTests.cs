using Bunit;
using Ladybug.Engine.Infrastructure;
using Ladybug.Tests.Support;
using Ladybug.Web.Components.Layout;
using Ladybug.Web.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ladybug.Tests.Unit.Web.Components;

public sealed class CloudStatusTests : ComponentTest
{
    private readonly ApplicationLifetime _lifetime = new(NullLogger<ApplicationLifetime>.Instance);
    private readonly ServiceProvider _cloud = new ServiceCollection().AddSingleton<IInfrastructure>(new FakeCloud()).BuildServiceProvider();

    public CloudStatusTests() =>
        Services.AddSingleton(new CloudCatalog(_cloud.GetRequiredService<IServiceScopeFactory>(), _lifetime, TimeProvider.System, NullLogger<CloudCatalog>.Instance));

    [Fact]
    public void ShowsTheSandboxBadgeWhenTheBrokerAnswers()
    {
        var cut = Render<CloudStatus>();

        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=tumblebug-status]").GetAttribute("data-ready")));
        Assert.NotEmpty(cut.FindAll("[data-testid=sandbox-badge]"));
    }

    [Fact]
    public async Task ACheckAfterTheConsoleStoppedEndsQuietly()
    {
        // As when the app bar's timer ticks during shutdown: stopping was signalled, then the services were disposed.
        _lifetime.StopApplication();
        _cloud.Dispose();

        var cut = Render<CloudStatus>();

        var unhandled = Renderer.UnhandledException;
        if (unhandled.IsCompleted) Assert.Fail($"The app bar failed: {await unhandled}");
        Assert.Equal("false", cut.Find("[data-testid=tumblebug-status]").GetAttribute("data-ready"));
    }
}
