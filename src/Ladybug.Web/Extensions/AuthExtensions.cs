using Ladybug.Engine.Accounts;
using Ladybug.Web.Auth;
using Ladybug.Web.Security;
using Ladybug.Web.Startup;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

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
        var signIn = builder.Configuration.GetSection(SignInOptions.Section).Get<SignInOptions>() ?? new SignInOptions();
        var security = builder.Configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>() ?? new SecurityOptions();
        builder.Services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section);
        builder.Services.AddSingleton<SignInThrottle>();
        builder.Services.AddSingleton<BasicCredentialCache>();
        builder.Services.AddSignInRateLimits(signIn);
        builder.Services.AddLadybugForwardedHeaders(security);
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
                options.Cookie.Name = LadybugAuthentication.CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                // Secure whenever the request came over HTTPS (through a known proxy's X-Forwarded-Proto too); always with HSTS on.
                options.Cookie.SecurePolicy = security.Hsts ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
                options.SlidingExpiration = true;
                options.ExpireTimeSpan = signIn.SessionIdleTimeout;
                options.Events.OnValidatePrincipal = CookieSessions.ValidatePrincipalAsync;
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
        // Before Blazor registers its own (TryAdd): open pages recheck their session every minute.
        builder.Services.AddScoped<AuthenticationStateProvider, RevalidatingSessionState>();
        builder.Services.AddSingleton<FirstRunPassword>();
        builder.Services.AddHostedService<AdministratorSeeder>();
        builder.Services.AddHostedService<StartupBanner>();
        return builder;
    }

    /// <summary>
    /// First in the pipeline: the client's real address and scheme from a known proxy, HSTS when switched on, the
    /// security headers and the request body cap, before anything reads a body or writes an answer.
    /// </summary>
    public static WebApplication UseLadybugSecurity(this WebApplication app)
    {
        var security = app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value;
        if (security.KnownProxies.Concat(security.KnownNetworks).Any(p => !string.IsNullOrWhiteSpace(p)))
            app.UseForwardedHeaders();
        if (security.Hsts)
            app.UseHsts();
        app.UseMiddleware<SecurityHeaders>();
        app.UseMiddleware<RequestBodyLimit>();
        return app;
    }

    public static WebApplication UseLadybugAuth(this WebApplication app)
    {
        // Before authentication: a throttled sign-in post costs no password hash.
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<CrossSiteRequestGuard>();
        // Antiforgery validates forms (sign-in, sign-out) and must run after authentication.
        app.UseAntiforgery();
        return app;
    }

    /// <summary>Creates the first administrator once the database is migrated; a generated password waits for the start-up banner.</summary>
    private sealed class AdministratorSeeder(AccountService accounts, FirstRunPassword firstRun) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (await accounts.EnsureAdministratorAsync(cancellationToken) is { } generated)
                firstRun.Remember(generated);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
