using Ladybug.Web.Components;
using Ladybug.Web.Auth;
using Ladybug.Web.Services;
using MudBlazor.Services;

namespace Ladybug.Web.Extensions;

public static class ConsoleExtensions
{
    /// <summary>Blazor Server with MudBlazor.</summary>
    public static WebApplicationBuilder AddLadybugConsole(this WebApplicationBuilder builder)
    {
        // Static web assets (blazor.web.js, MudBlazor, the top-level wwwroot) are found through the build's manifest
        // only in Development unless asked for: ./run.sh runs the build output in Production. Published apps have no
        // such manifest and serve their own wwwroot, so this changes nothing there.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();

        // Console services: read models for pages, and the cloud broker behind a catalog.
        builder.Services.AddSingleton<ConsoleQueries>();
        builder.Services.AddSingleton<CloudCatalog>();
        builder.Services.AddSingleton<RegionNames>();
        return builder;
    }

    public static WebApplication UseLadybugConsole(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        // People get the not-found page; machine paths (API, hub, downloads) keep their status codes, e.g. 401.
        app.UseWhen(context => !LadybugAuthentication.IsMachinePath(context.Request.Path),
            pages => pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        return app;
    }

    public static WebApplication MapLadybugConsole(this WebApplication app)
    {
        app.MapStaticAssets().AllowAnonymous();
        // Blazor's own frame-ancestors policy is 'self'; no page of the console is meant to be framed (SecurityHeaders).
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(server => server.ContentSecurityFrameAncestorsPolicy = "'none'");
        return app;
    }
}
