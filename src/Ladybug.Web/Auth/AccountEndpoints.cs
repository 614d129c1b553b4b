using System.Security.Claims;
using Ladybug.Engine.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace Ladybug.Web.Auth;

public static class AccountEndpoints
{
    /// <summary>Cookie sign-in and sign-out, posted from the static sign-in page.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(LadybugAuthentication.LoginPath, SignInAsync).AllowAnonymous();
        app.MapPost(LadybugAuthentication.LogoutPath, (Delegate)SignOutAsync);
        return app;
    }

    private static async Task<IResult> SignInAsync(HttpContext context, AccountService accounts,
        [FromForm] string? userName, [FromForm] string? password, [FromForm] string? returnUrl)
    {
        var target = SafeReturnUrl(returnUrl);
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password)
            || !await accounts.CheckPasswordAsync(userName.Trim(), password, context.RequestAborted))
        {
            return Results.Redirect($"{LadybugAuthentication.LoginPath}?error=1&returnUrl={Uri.EscapeDataString(target)}");
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, userName.Trim())], LadybugAuthentication.Cookie);
        await context.SignInAsync(LadybugAuthentication.Cookie, new ClaimsPrincipal(identity),
            new AuthenticationProperties { IsPersistent = true });
        return Results.LocalRedirect(target);
    }

    private static async Task<IResult> SignOutAsync(HttpContext context)
    {
        await context.SignOutAsync(LadybugAuthentication.Cookie);
        return Results.LocalRedirect(LadybugAuthentication.LoginPath);
    }

    /// <summary>Only local paths: a crafted link must not bounce a signed-in user to another site.</summary>
    private static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") && !returnUrl.StartsWith("/\\")
            ? returnUrl
            : "/";
}
