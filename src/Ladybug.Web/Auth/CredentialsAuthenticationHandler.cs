using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Ladybug.Engine.Accounts;
using Ladybug.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Ladybug.Web.Auth;

/// <summary>
/// HTTP Basic (user and password) for scripts written against MCKS, and Bearer API tokens for everything else.
/// Basic goes through the sign-in throttle and the account lockout like the sign-in form (429 with Retry-After), and
/// credentials verified a moment ago are taken from <see cref="BasicCredentialCache"/> instead of being hashed again.
/// </summary>
internal sealed class CredentialsAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AccountService accounts,
    SignInThrottle throttle,
    BasicCredentialCache cache,
    TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private TimeSpan? _retryAfter;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header) || string.IsNullOrEmpty(header.Parameter))
            return AuthenticateResult.NoResult();

        if (Scheme.Name == LadybugAuthentication.Basic && header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            return await AuthenticateBasicAsync(header.Parameter);
        if (Scheme.Name == LadybugAuthentication.Bearer && header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            var user = await accounts.ValidateTokenAsync(header.Parameter, Context.RequestAborted);
            return user is null ? AuthenticateResult.Fail("Unknown or revoked API token.") : Success(user);
        }
        return AuthenticateResult.NoResult();
    }

    private async Task<AuthenticateResult> AuthenticateBasicAsync(string parameter)
    {
        var address = ClientAddress.Of(Context);
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
        }
        catch (FormatException)
        {
            throttle.RecordFailure(null, address);
            return AuthenticateResult.Fail("Malformed Basic credentials.");
        }
        var colon = decoded.IndexOf(':');
        if (colon <= 0)
        {
            throttle.RecordFailure(null, address);
            return AuthenticateResult.Fail("Malformed Basic credentials.");
        }
        var user = decoded[..colon];
        var password = decoded[(colon + 1)..];

        if (cache.Find(user, password) is { } rememberedStamp)
        {
            var security = await accounts.GetSecurityAsync(user, Context.RequestAborted);
            if (security is not null && security.SecurityStamp == rememberedStamp && !(security.LockedUntil > time.GetUtcNow()))
                return Success(user);
            cache.Forget(user, password);
        }
        if (throttle.RetryAfter(user, address) is { } wait)
            return TooMany(wait, "Too many failed sign-ins from this address or for this user; wait before trying again.");

        var result = await accounts.SignInAsync(user, password, address, Context.RequestAborted);
        switch (result.Outcome)
        {
            case SignInOutcome.Succeeded:
                cache.Remember(user, password, result.SecurityStamp!);
                return Success(user);
            case SignInOutcome.LockedOut:
                return TooMany(result.LockedUntil!.Value - time.GetUtcNow(),
                    "This account is locked after repeated wrong passwords; it unlocks by itself later, or an administrator can unlock it.");
            default:
                throttle.RecordFailure(user, address);
                return AuthenticateResult.Fail("Wrong user name or password.");
        }
    }

    private AuthenticateResult TooMany(TimeSpan retryAfter, string message)
    {
        _retryAfter = retryAfter < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retryAfter;
        return AuthenticateResult.Fail(message);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (_retryAfter is { } wait)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = Scheme.Name == LadybugAuthentication.Basic ? "Basic realm=\"ladybug\"" : "Bearer";
        return Task.CompletedTask;
    }

    private AuthenticateResult Success(string user)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }
}
