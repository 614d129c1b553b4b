using System.Security.Claims;
using Ladybug.Engine.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Ladybug.Web.Auth;

/// <summary>
/// Every cookie names a stored session and the security stamp it was issued under; each request checks both, so a
/// copied cookie stops working when its session signs out, when the user signs out everywhere, when the password
/// changes, and <see cref="SignInOptions.SessionLifetime"/> after sign-in — not only when the cookie itself expires.
/// </summary>
public static class CookieSessions
{
    public const string SessionClaim = "ladybug:session";
    public const string StampClaim = "ladybug:stamp";

    public static Guid? SessionOf(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(SessionClaim), out var id) ? id : null;

    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var name = principal?.Identity?.Name;
        var session = principal is null ? null : SessionOf(principal);
        var stamp = principal?.FindFirstValue(StampClaim);
        var accounts = context.HttpContext.RequestServices.GetRequiredService<AccountService>();
        if (name is not null && session is not null && stamp is not null
            && await accounts.IsSessionLiveAsync(session.Value, name, stamp, context.HttpContext.RequestAborted))
            return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(LadybugAuthentication.Cookie);
    }
}
