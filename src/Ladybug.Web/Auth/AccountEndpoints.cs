using System.Globalization;
using System.Security.Claims;
using Ladybug.Engine.Accounts;
using Ladybug.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SignInResult = Ladybug.Engine.Accounts.SignInResult;

namespace Ladybug.Web.Auth;

public static class AccountEndpoints
{
    /// <summary>
    /// Cookie sign-in and sign-out, posted from the static sign-in page and the user menu; "sign out everywhere"; and an
    /// administrator's unlock of a locked account.
    /// </summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(LadybugAuthentication.LoginPath, SignInAsync).AllowAnonymous().RequireRateLimiting(SignInRateLimits.FormPolicy);
        app.MapPost(LadybugAuthentication.LogoutPath, (Delegate)SignOutAsync);
        app.MapPost(LadybugAuthentication.LogoutEverywherePath, (Delegate)SignOutEverywhereAsync);
        app.MapPost($"{LadybugAuthentication.AccountsApiPath}/{{user}}/unlock", UnlockAsync);
        return app;
    }

    private static async Task<IResult> SignInAsync(HttpContext context, AccountService accounts, SignInThrottle throttle, TimeProvider time,
        [FromForm] string? userName, [FromForm] string? password, [FromForm] string? returnUrl)
    {
        var target = SafeReturnUrl(returnUrl);
        var address = ClientAddress.Of(context);
        var name = userName?.Trim();
        if (throttle.RetryAfter(name, address) is { } wait)
            return TooMany(wait, "Too many failed sign-ins from this address or for this user.");
        var result = string.IsNullOrEmpty(name) || string.IsNullOrEmpty(password)
            ? SignInResult.Wrong
            : await accounts.SignInAsync(name, password, address, context.RequestAborted);
        switch (result.Outcome)
        {
            case SignInOutcome.LockedOut:
                return TooMany(result.LockedUntil!.Value - time.GetUtcNow(),
                    "This account is locked after repeated wrong passwords. It unlocks by itself later, or an administrator can unlock it.");
            case SignInOutcome.WrongCredentials:
                throttle.RecordFailure(name, address);
                return Results.Redirect($"{LadybugAuthentication.LoginPath}?error=1&returnUrl={Uri.EscapeDataString(target)}");
        }
        var session = await accounts.StartSessionAsync(name!, context.RequestAborted);
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, name!),
                new Claim(CookieSessions.SessionClaim, session.ToString()),
                new Claim(CookieSessions.StampClaim, result.SecurityStamp!),
            ],
            LadybugAuthentication.Cookie);
        await context.SignInAsync(LadybugAuthentication.Cookie, new ClaimsPrincipal(identity),
            new AuthenticationProperties { IsPersistent = true });
        return Results.LocalRedirect(target);
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, AccountService accounts)
    {
        if (CookieSessions.SessionOf(context.User) is { } session)
            await accounts.EndSessionAsync(session, context.RequestAborted);
        await context.SignOutAsync(LadybugAuthentication.Cookie);
        return Results.LocalRedirect(LadybugAuthentication.LoginPath);
    }

    /// <summary>Ends every session of the signed-in user, on every browser, and this one.</summary>
    private static async Task<IResult> SignOutEverywhereAsync(HttpContext context, AccountService accounts)
    {
        if (context.User.Identity?.Name is { } user)
            await accounts.SignOutEverywhereAsync(user, context.RequestAborted);
        await context.SignOutAsync(LadybugAuthentication.Cookie);
        return Results.LocalRedirect(LadybugAuthentication.LoginPath);
    }

    /// <summary>Any signed-in user may unlock an account (every console user is an administrator); 404 when it was not locked.</summary>
    private static async Task<IResult> UnlockAsync(string user, HttpContext context, AccountService accounts) =>
        await accounts.UnlockAsync(user, context.User.Identity?.Name ?? "unknown", context.RequestAborted)
            ? Results.NoContent()
            : Results.NotFound($"No locked account named '{user}'.");

    private static IResult TooMany(TimeSpan retryAfter, string message)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        return new TooManyRequests(seconds, $"{message} Try again in {seconds} s.");
    }

    /// <summary>Only local paths, judged exactly as the redirect will judge them: a crafted link must not bounce a signed-in user elsewhere.</summary>
    internal static string SafeReturnUrl(string? returnUrl) => RedirectHttpResult.IsLocalUrl(returnUrl) ? returnUrl! : "/";

    /// <summary>429 with Retry-After and a sentence a person can read (the sign-in form posts here from a browser).</summary>
    private sealed class TooManyRequests(int seconds, string message) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            httpContext.Response.ContentType = "text/plain; charset=utf-8";
            return httpContext.Response.WriteAsync(message);
        }
    }
}
