using System.Security.Claims;
using Ladybug.Engine.Accounts;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace Ladybug.Web.Auth;

/// <summary>
/// An open console page keeps its circuit (a WebSocket) for hours without sending the cookie again; every minute it
/// asks whether its session still stands, so signing out everywhere or a new password also closes pages already open.
/// </summary>
internal sealed class RevalidatingSessionState(ILoggerFactory loggerFactory, IServiceScopeFactory scopes)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var user = authenticationState.User;
        var name = user.Identity?.Name;
        var session = CookieSessions.SessionOf(user);
        var stamp = user.FindFirstValue(CookieSessions.StampClaim);
        if (name is null || session is null || stamp is null) return false;
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AccountService>().IsSessionLiveAsync(session.Value, name, stamp, cancellationToken);
    }
}
