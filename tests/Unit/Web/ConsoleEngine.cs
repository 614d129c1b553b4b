using Ladybug.Tests.Support;
using Ladybug.Tests.Unit.Engine;
using Ladybug.Web.Services;
using Microsoft.Extensions.DependencyInjection;

namespace Ladybug.Tests.Unit.Web;

/// <summary>
/// The engine's test host plus the console's read services, for component and service tests without the
/// web server. The cloud is <see cref="FakeCloud"/> unless a test wants none.
/// </summary>
public static class ConsoleEngine
{
    public static Task<EngineHost> StartAsync(bool withCloud = true) =>
        EngineHost.StartAsync(services =>
        {
            services.AddSingleton<ConsoleQueries>();
            services.AddSingleton<CloudCatalog>();
            if (withCloud) services.AddFakeCloud();
        });
}
