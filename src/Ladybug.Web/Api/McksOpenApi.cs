using Ladybug.Api.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Ladybug.Web.Api;

/// <summary>The OpenAPI document describes the MCKS routes only, with the two ways to sign in.</summary>
internal static class McksOpenApi
{
    /// <summary>
    /// Documents a JSON body that the handler reads itself. Not <c>Accepts&lt;T&gt;</c>: that makes routing
    /// refuse requests without a JSON Content-Type, and MCKS scripts often send none (curl -d).
    /// </summary>
    /// <summary>Declares that the route answers an MCKS Status body with each of <paramref name="statusCodes"/>.</summary>
    public static RouteHandlerBuilder ProducesStatus(this RouteHandlerBuilder builder, params int[] statusCodes)
    {
        foreach (var statusCode in statusCodes)
            builder.Produces<ApiStatus>(statusCode);
        return builder;
    }

    public static RouteHandlerBuilder WithJsonBody<T>(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });

    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/{documentName}.json";
    public const string ReferencePath = "/api/reference";
    private const string BasicScheme = "basic";
    private const string BearerScheme = "bearer";

    public static void Configure(OpenApiOptions options)
    {
        options.ShouldInclude = description => description.RelativePath?.StartsWith("mcks/", StringComparison.Ordinal) == true;
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Ladybug MCKS-compatible API",
                Version = DocumentName,
                Description = "cb-mcks's REST API (paths, JSON field names, Status errors), served by Ladybug. "
                    + "Create, add-node and delete answer 202 at once; add ?wait=true to block until the job ends. "
                    + "Sign in with HTTP Basic (a console user) or a Bearer API token created in the console. "
                    + "Every /mcks path is served under /ladybug too (cb-mcks v0.7.2's root) and under Ladybug:Api:BaseUrl when it is set.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BasicScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "basic", Description = "A console user name and password.",
            };
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "An API token (lbt_…) created in the console.",
            };
            document.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BasicScheme, document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
            ];
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any())
                operation.Security = [];
            return Task.CompletedTask;
        });
    }
}
