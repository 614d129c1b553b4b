using Ladybug.Web.Auth;

namespace Ladybug.Web.Security;

/// <summary>
/// Headers every answer carries: no MIME sniffing, no referrer leaving the console, no framing by any page (the sign-in
/// page had it from antiforgery; every page needs it). Downloads and API answers hold secrets (kubeconfigs, logs) and
/// are never stored by a browser or a shared cache.
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            // Set last: antiforgery writes SAMEORIGIN on pages with a form; no page of the console is meant to be framed.
            headers.XFrameOptions = "DENY";
            if (!headers.ContainsKey("Content-Security-Policy")) headers.ContentSecurityPolicy = "frame-ancestors 'none'";
            if (LadybugAuthentication.IsDownload(context.Request.Path) || context.Request.Path.StartsWithSegments("/mcks"))
                headers.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
