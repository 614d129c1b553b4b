using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Infrastructure;

namespace Ladybug.Web.Api;

/// <summary>Engine exceptions as MCKS Status answers: validation 400, not found 404, wrong state 409, cloud errors 502, the rest 500.</summary>
internal sealed class McksErrorFilter(ILogger<McksErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ClusterValidationException ex)
        {
            return McksResults.Invalid(McksFieldPaths.FromEngine(ex.Errors));
        }
        catch (ClusterNotFoundException ex)
        {
            return McksResults.NotFound(ex.Message);
        }
        catch (ClusterStateException ex)
        {
            return McksResults.Conflict(ex.Message);
        }
        catch (InfrastructureException ex)
        {
            return ex.NotFound
                ? McksResults.NotFound(ex.Message)
                : McksResults.Status(StatusCodes.Status502BadGateway, $"The cloud broker failed: {ex.Message}");
        }
        catch (BadHttpRequestException ex)
        {
            // The server stopped reading the body (e.g. 413 past Ladybug:Security:MaxRequestBodyBytes): the client's fault, not ours.
            return McksResults.Status(ex.StatusCode, ex.Message);
        }
        catch (OperationCanceledException) when (context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "MCKS API {Method} {Path} failed", context.HttpContext.Request.Method, context.HttpContext.Request.Path);
            return McksResults.Status(StatusCodes.Status500InternalServerError, "An unexpected error occurred; the console's log has the details.");
        }
    }
}
