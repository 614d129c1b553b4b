using Bunit;
using MudBlazor;
using MudBlazor.Services;
using Microsoft.Extensions.DependencyInjection;
using Ladybug.Tests.Unit.Engine;

namespace Ladybug.Tests.Unit.Web.Components;

/// <summary>bUnit with MudBlazor, JS interop in loose mode and, when asked, the real engine behind the components.</summary>
public abstract class ComponentTest : BunitContext, IAsyncLifetime
{
    private readonly bool _withEngine;

    protected ComponentTest(bool withEngine = false)
    {
        _withEngine = withEngine;
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(TimeProvider.System);
    }

    protected EngineHost Engine { get; private set; } = default!;

    /// <summary>Where menus and selects render their items (one provider per test: a second one is refused).</summary>
    protected IRenderedComponent<MudPopoverProvider> Popovers { get; private set; } = default!;

    /// <summary>True when the test renders MainLayout, which brings MudBlazor's providers itself.</summary>
    protected virtual bool RendersLayout => false;

    async Task IAsyncLifetime.InitializeAsync()
    {
        if (_withEngine)
        {
            Engine = await ConsoleEngine.StartAsync();
            Services.AddFallbackServiceProvider(Engine.Services);
        }
        // Interactive Server, as in the console; the renderer exists from here on, so services are complete.
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        if (RendersLayout) return;
        // MainLayout hosts these; components with selects and dialogs need them.
        Popovers = Render<MudPopoverProvider>();
        Render<MudDialogProvider>();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        // MudBlazor's services only dispose asynchronously; xUnit's later Dispose() then finds nothing left to do.
        await DisposeAsync();
        if (_withEngine) await Engine.DisposeAsync();
    }
}
