using Ladybug.Engine.Accounts;
using Ladybug.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;

namespace Ladybug.Web.Extensions;

public static class AuthExtensions
{
    /// <summary>
    /// Everything requires a signed-in user (the fallback policy): people sign in with a cookie,
    /// scripts and the CLI send Basic credentials or a Bearer API token. Pages redirect to the
    /// sign-in page; the API, the hub and the kubeconfig download answer 401.
    /// </summary>
    public static IHostApplicationBuilder AddLadybugAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(LadybugAuthentication.Scheme)
            .AddPolicyScheme(LadybugAuthentication.Scheme, "Cookie, Basic or Bearer", options =>
            {
                options.ForwardDefaultSelector = context =>
                {
                    string authorization = context.Request.Headers.Authorization.ToString();
                    if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return LadybugAuthentication.Basic;
                    if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return LadybugAuthentication.Bearer;
                    return LadybugAuthentication.Cookie;
                };
            })
            .AddCookie(LadybugAuthentication.Cookie, options =>
            {
                options.LoginPath = LadybugAuthentication.LoginPath;
                options.Cookie.Name = "ladybug.auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.SlidingExpiration = true;
                options.ExpireTimeSpan = TimeSpan.FromHours(12);
                options.Events.OnRedirectToLogin = context =>
                {
                    if (LadybugAuthentication.IsMachinePath(context.Request.Path))
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    else
                        context.Response.Redirect(context.RedirectUri);
                    return Task.CompletedTask;
                };
            })
            .AddScheme<AuthenticationSchemeOptions, CredentialsAuthenticationHandler>(LadybugAuthentication.Basic, null)
            .AddScheme<AuthenticationSchemeOptions, CredentialsAuthenticationHandler>(LadybugAuthentication.Bearer, null);

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(LadybugAuthentication.Scheme).RequireAuthenticatedUser().Build());
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddHostedService<AdministratorSeeder>();
        return builder;
    }

    public static WebApplication UseLadybugAuth(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        // Antiforgery validates forms (sign-in, sign-out) and must run after authentication.
        app.UseAntiforgery();
        return app;
    }

    /// <summary>Creates the first administrator once the database is migrated.</summary>
    private sealed class AdministratorSeeder(AccountService accounts) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => accounts.EnsureAdministratorAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
