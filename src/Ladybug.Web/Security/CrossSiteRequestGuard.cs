using Ladybug.Web.Auth;
using Microsoft.Net.Http.Headers;

namespace Ladybug.Web.Security;

/// <summary>
/// The sign-in cookie is sent by the browser whoever made the page: another site on the same host (another port) or a
/// sibling subdomain counts as "same site" for SameSite=Lax. So a request that rides on the cookie must show it comes
/// from the console's own pages: an unsafe method needs an <c>Origin</c> equal to the console's own (browsers send it on
/// every cross-origin and form POST), and a download needs a browser's <c>Sec-Fetch-Site</c> to say same-origin or none
/// (typed or bookmarked) when it sends one. API bodies must also be declared <c>application/json</c>: a cross-site
/// form or a no-CORS fetch can only send text/plain, form or multipart bodies. Basic and Bearer requests carry their
/// credentials themselves and a foreign page cannot make a browser add them, so only the content type applies to them.
/// Runs after authentication and authorization, so a request without credentials still gets its 401 first.
/// </summary>
internal sealed class CrossSiteRequestGuard(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var byCookie = !request.Headers.ContainsKey(HeaderNames.Authorization) && request.Cookies.ContainsKey(LadybugAuthentication.CookieName);
        if (byCookie && Refusal(request) is { } reason)
        {
            await WriteAsync(context, StatusCodes.Status403Forbidden, reason);
            return;
        }
        if (request.Path.StartsWithSegments("/mcks") && HasBody(request) && !IsJson(request.ContentType))
        {
            await WriteAsync(context, StatusCodes.Status415UnsupportedMediaType,
                $"The request body must be JSON sent as Content-Type: application/json, not '{request.ContentType ?? "none"}'.");
            return;
        }
        await next(context);
    }

    private static string? Refusal(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method))
        {
            var origin = request.Headers.Origin.ToString();
            if (origin.Length > 0)
                return SameOrigin(origin, request) ? null : $"Cross-origin request refused: Origin '{origin}' is not this console.";
            // No Origin: only a browser that says the request is its own page's passes.
            return request.Headers["Sec-Fetch-Site"].ToString() == "same-origin" ? null
                : "A request signed in by the console's cookie must carry the console's Origin; scripts send Basic credentials or an API token instead.";
        }
        if (LadybugAuthentication.IsDownload(request.Path) || request.Path.StartsWithSegments("/mcks"))
        {
            var site = request.Headers["Sec-Fetch-Site"].ToString();
            if (site.Length > 0 && site is not ("same-origin" or "none"))
                return $"Download refused: the browser says another site ({site}) asked for it.";
        }
        return null;
    }

    private static bool SameOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && uri.Scheme.Equals(request.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}",
            request.Host.Port is null || IsDefaultPort(request.Scheme, request.Host.Port.Value) ? request.Host.Host : request.Host.Value,
            StringComparison.OrdinalIgnoreCase);

    private static bool IsDefaultPort(string scheme, int port) =>
        scheme == Uri.UriSchemeHttp && port == 80 || scheme == Uri.UriSchemeHttps && port == 443;

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || request.ContentLength is null && request.Headers.TransferEncoding.Count > 0;

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));

    private static Task WriteAsync(HttpContext context, int status, string message)
    {
        if (context.Request.Path.StartsWithSegments("/mcks"))
            return Api.McksResults.Status(status, message).ExecuteAsync(context);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message);
    }
}
