using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Ladybug.Engine.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Ladybug.Web.Auth;

/// <summary>HTTP Basic (user and password) for scripts written against MCKS, and Bearer API tokens for everything else.</summary>
internal sealed class CredentialsAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AccountService accounts) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header) || string.IsNullOrEmpty(header.Parameter))
            return AuthenticateResult.NoResult();

        if (Scheme.Name == LadybugAuthentication.Basic && header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
            }
            catch (FormatException)
            {
                return AuthenticateResult.Fail("Malformed Basic credentials.");
            }
            var colon = decoded.IndexOf(':');
            if (colon <= 0) return AuthenticateResult.Fail("Malformed Basic credentials.");
            var user = decoded[..colon];
            return await accounts.CheckPasswordAsync(user, decoded[(colon + 1)..], Context.RequestAborted)
                ? Success(user)
                : AuthenticateResult.Fail("Wrong user name or password.");
        }
        if (Scheme.Name == LadybugAuthentication.Bearer && header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            var user = await accounts.ValidateTokenAsync(header.Parameter, Context.RequestAborted);
            return user is null ? AuthenticateResult.Fail("Unknown or revoked API token.") : Success(user);
        }
        return AuthenticateResult.NoResult();
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
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
