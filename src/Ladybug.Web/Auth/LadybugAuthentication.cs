namespace Ladybug.Web.Auth;

public static class LadybugAuthentication
{
    /// <summary>Picks the real scheme per request: Basic or Bearer when the header says so, else the cookie.</summary>
    public const string Scheme = "Ladybug";
    public const string Cookie = "Cookies";
    public const string Basic = "Basic";
    public const string Bearer = "Bearer";
    public const string CookieName = "ladybug.auth";

    public const string LoginPath = "/account/login";
    public const string LogoutPath = "/account/logout";
    public const string LogoutEverywherePath = "/account/logout-everywhere";
    /// <summary>Account administration for scripts (unlock); under /api, so it answers 401 rather than redirecting.</summary>
    public const string AccountsApiPath = "/api/accounts";

    /// <summary>Machine-facing paths answer 401 instead of redirecting to the sign-in page.</summary>
    public static bool IsMachinePath(PathString path) =>
        path.StartsWithSegments("/mcks") || path.StartsWithSegments("/hubs") || path.StartsWithSegments("/api")
        || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/metrics") || IsDownload(path);

    /// <summary>The cluster page's downloads: the kubeconfig and the full log.</summary>
    public static bool IsDownload(PathString path) =>
        path.StartsWithSegments("/clusters", out var rest) && (rest.Value?.EndsWith("/kubeconfig") == true || rest.Value?.EndsWith("/log") == true);
}
