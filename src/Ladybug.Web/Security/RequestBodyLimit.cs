using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Ladybug.Web.Security;

/// <summary>
/// Caps every request body at <see cref="SecurityOptions.MaxRequestBodyBytes"/>: a declared length above it is answered
/// 413 before a byte is read, and a chunked body that grows past it makes the server stop reading with 413
/// (BadHttpRequestException, which the API maps to a Status). Bodies are parsed only after this, so parallel huge
/// bodies cannot fill memory.
/// </summary>
internal sealed class RequestBodyLimit(RequestDelegate next, IOptions<SecurityOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var max = options.Value.MaxRequestBodyBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = max;
        if (context.Request.ContentLength > max)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            context.Response.Headers.Connection = "close";
            await WriteTooLargeAsync(context, max);
            return;
        }
        await next(context);
    }

    /// <summary>An MCKS Status under /mcks, a sentence elsewhere.</summary>
    private static Task WriteTooLargeAsync(HttpContext context, long max)
    {
        var message = $"The request body is larger than {max} bytes, the most the console accepts.";
        if (context.Request.Path.StartsWithSegments("/mcks"))
            return Api.McksResults.Status(StatusCodes.Status413PayloadTooLarge, message).ExecuteAsync(context);
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message);
    }
}
