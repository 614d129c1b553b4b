using Bunit;
using Ladybug.Engine.Infrastructure;
using Ladybug.Tests.Support;
using Ladybug.Web.Components.Layout;
using Ladybug.Web.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Ladybug.Tests.Unit.Web.Components;

[Trait(TestTier.Category, TestTier.Unit)]
public sealed class CloudStatusTests : ComponentTest
{
    private readonly ApplicationLifetime _lifetime = new(NullLogger<ApplicationLifetime>.Instance);
    private readonly FakeCloud _broker = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly ServiceProvider _cloud;

    public CloudStatusTests()
    {
        _cloud = new ServiceCollection().AddSingleton<IInfrastructure>(_broker).BuildServiceProvider();
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddSingleton(new CloudCatalog(_cloud.GetRequiredService<IServiceScopeFactory>(), _lifetime, _time, NullLogger<CloudCatalog>.Instance));
    }

    [Fact]
    public void ShowsTheSandboxBadgeWhenTheBrokerAnswers()
    {
        var cut = Render<CloudStatus>();

        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=tumblebug-status]").GetAttribute("data-ready")));
        Assert.NotEmpty(cut.FindAll("[data-testid=sandbox-badge]"));
    }

    [Fact]
    public void AnUnreachableBrokerIsAskedAgainSoonAndShownReadyOnceItAnswers()
    {
        _broker.Reachable = false;
        var cut = Render<CloudStatus>();
        cut.WaitForAssertion(() => Assert.Contains("not reachable", cut.Find("[data-testid=tumblebug-status]").GetAttribute("aria-label")));

        _broker.Reachable = true;
        _time.Advance(CloudCatalog.UnreachableRecheck);

        // Well before the 30 s a reachable broker waits between checks.
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=tumblebug-status]").GetAttribute("data-ready")));
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
