using Microsoft.Extensions.Options;

namespace Ladybug.Web.Api;

/// <summary>
/// The roots the MCKS-compatible API answers under. cb-mcks served its routes under one root URL — "/mcks" up to
/// v0.7.1, "/ladybug" from v0.7.2, or the BASE_URL environment variable (cb-mcks src/core/app/config.go:33 @v0.7.0
/// and @v0.7.2) — so scripts written for either release, or for a deployment with its own BASE_URL, work unchanged.
/// The routes are mapped once, under <see cref="Canonical"/>; a request under another root is rewritten to it before
/// anything else runs (routing, authentication, body limits and status bodies all see "/mcks"), and the Location
/// header of the answer is written back in the caller's root.
/// </summary>
public static class McksRoots
{
    public const string Canonical = "/mcks";

    /// <summary>cb-mcks v0.7.2's default root URL.</summary>
    public const string Ladybug = "/ladybug";

    /// <summary>Where the caller's root is kept for the request's own messages.</summary>
    public const string OriginalPathKey = "Ladybug.McksOriginalPath";

    /// <summary>First segments the console itself uses, which an extra root must not shadow.</summary>
    private static readonly string[] Reserved = ["/account", "/api", "/clusters", "/connections", "/hubs", "/openapi", "/healthz", "/readyz", "/metrics", "/not-found", "/sandbox", "/_framework", "/_blazor", "/_content"];

    /// <summary>The aliases of <see cref="Canonical"/>: /ladybug and, when set, <see cref="ApiOptions.BaseUrl"/>.</summary>
    public static IReadOnlyList<PathString> Aliases(ApiOptions options) =>
        string.IsNullOrEmpty(options.BaseUrl) || IsCanonical(options.BaseUrl) || options.BaseUrl.Equals(Ladybug, StringComparison.OrdinalIgnoreCase)
            ? [new PathString(Ladybug)]
            : [new PathString(Ladybug), new PathString(options.BaseUrl)];

    /// <summary>Why a BaseUrl cannot be a root (null when it can).</summary>
    public static string? Problem(string? baseUrl)
    {
        if (string.IsNullOrEmpty(baseUrl)) return null;
        if (!baseUrl.StartsWith('/') || baseUrl.Length == 1 || baseUrl.EndsWith('/'))
            return $"Ladybug:Api:BaseUrl must be a path like /cb-mcks: starting with '/', not ending with '/' (got '{baseUrl}').";
        if (baseUrl.Any(c => char.IsWhiteSpace(c) || c is '?' or '#' or '{' or '}'))
            return $"Ladybug:Api:BaseUrl must be a plain path (got '{baseUrl}').";
        if (Reserved.Any(r => new PathString(baseUrl).StartsWithSegments(r, StringComparison.OrdinalIgnoreCase)))
            return $"Ladybug:Api:BaseUrl '{baseUrl}' would hide the console's own {string.Join(", ", Reserved)} paths: choose another root.";
        return null;
    }

    /// <summary>The caller's path, for messages that quote it.</summary>
    public static PathString OriginalPath(HttpContext context) =>
        context.Items[OriginalPathKey] is PathString original ? original : context.Request.Path;

    private static bool IsCanonical(string root) => root.Equals(Canonical, StringComparison.OrdinalIgnoreCase);

    /// <summary>Runs ahead of the whole pipeline (including the routing WebApplication adds first), so every later piece sees /mcks.</summary>
    internal sealed class StartupFilter(IOptions<ApiOptions> options) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            var aliases = Aliases(options.Value);
            app.Use((context, nextMiddleware) =>
            {
                foreach (var alias in aliases)
                {
                    if (!context.Request.Path.StartsWithSegments(alias, StringComparison.OrdinalIgnoreCase, out var rest)) continue;
                    Rewrite(context, alias, rest);
                    break;
                }
                return nextMiddleware(context);
            });
            next(app);
        };

        private static void Rewrite(HttpContext context, PathString alias, PathString rest)
        {
            context.Items[OriginalPathKey] = context.Request.Path;
            context.Request.Path = new PathString(Canonical).Add(rest);
            var response = context.Response;
            response.OnStarting(() =>
            {
                var location = response.Headers.Location.ToString();
                if (location.Length > 0 && new PathString(location.Split('?')[0]).StartsWithSegments(Canonical, out var tail))
                    response.Headers.Location = alias.Add(tail) + location[(location.Split('?')[0].Length)..];
                return Task.CompletedTask;
            });
        }
    }
}
