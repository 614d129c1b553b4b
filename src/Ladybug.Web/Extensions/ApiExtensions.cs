using Ladybug.Web.Api;
using Scalar.AspNetCore;

namespace Ladybug.Web.Extensions;

public static class ApiExtensions
{
    /// <summary>The MCKS-compatible REST API's services and its OpenAPI document.</summary>
    public static IHostApplicationBuilder AddMcksApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section)
            .Validate(o => McksRoots.Problem(o.BaseUrl) is null, "Ladybug:Api:BaseUrl must be a path like /cb-mcks that the console does not use itself.")
            .ValidateOnStart();
        // /ladybug and BaseUrl are rewritten to /mcks before anything else: one mapping, one OpenAPI document.
        builder.Services.AddTransient<IStartupFilter, McksRoots.StartupFilter>();
        builder.Services.AddSingleton<JobWaiter>();
        builder.Services.AddOpenApi(McksOpenApi.DocumentName, McksOpenApi.Configure);
        return builder;
    }

    /// <summary>Before authentication: so that its 401s under /mcks get a Status body too.</summary>
    public static WebApplication UseMcksApi(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/mcks"), branch => branch.UseMiddleware<McksStatusBodies>());
        return app;
    }

    /// <summary>
    /// /mcks (cb-mcks's routes; sign-in required except /mcks/healthy; also under /ladybug and Ladybug:Api:BaseUrl,
    /// see <see cref="McksRoots"/>), the OpenAPI document at
    /// /openapi/v1.json and its reference page at /api/reference. The document and the page are
    /// anonymous: they describe only the API's shape, which is public in this repository.
    /// </summary>
    public static WebApplication MapMcksApi(this WebApplication app)
    {
        app.MapOpenApi(McksOpenApi.DocumentPath).AllowAnonymous();
        app.MapScalarApiReference(McksOpenApi.ReferencePath, options => options
            .WithTitle("Ladybug API")
            .WithOpenApiRoutePattern(McksOpenApi.DocumentPath)).AllowAnonymous();

        var mcks = app.MapGroup("/mcks").AddEndpointFilter<McksErrorFilter>();
        // A probe needs no credentials and learns nothing from the answer; cb-mcks's exact text is kept for old checks.
        mcks.MapGet("/healthy", () => TypedResults.Text("cb-barista cb-mcks")).WithName("Healthy").WithTags("Health")
            .WithSummary("Liveness probe (anonymous)").AllowAnonymous();
        mcks.MapClustersApi();
        mcks.MapNodesApi();
        mcks.MapConnectionsApi();
        mcks.MapSpecsApi();
        mcks.MapFallback("{**path}", (HttpRequest request) =>
                McksResults.NotFound($"{request.Method} {McksRoots.OriginalPath(request.HttpContext)} is not a route of the MCKS API; see /api/reference."))
            .ExcludeFromDescription();
        return app;
    }
}
