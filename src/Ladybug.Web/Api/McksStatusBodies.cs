using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.WebUtilities;

namespace Ladybug.Web.Api;

/// <summary>
/// Gives every bodiless error under /mcks (401 from sign-in, 405, 415…) an MCKS Status body, so a script
/// always gets <c>{"kind":"Status",…}</c> to print, and the console's HTML status pages never answer the API.
/// </summary>
internal sealed class McksStatusBodies(RequestDelegate next)
{
    public const string SignInHint = "Send HTTP Basic credentials of a console user, or a Bearer API token (Authorization: Bearer lbt_…) created in the console.";

    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        var response = context.Response;
        if (response.HasStarted || response.StatusCode < 400 || response.ContentLength > 0 || response.ContentType is not null)
            return;
        var message = response.StatusCode is StatusCodes.Status401Unauthorized or StatusCodes.Status429TooManyRequests
            ? await SignInMessageAsync(context)
            : ReasonPhrases.GetReasonPhrase(response.StatusCode);
        await McksResults.Status(response.StatusCode, message).ExecuteAsync(context);
    }

    /// <summary>Why sign-in failed ("Wrong user name or password."); handlers cache their result per request, so nothing is checked twice.</summary>
    private static async Task<string> SignInMessageAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync();
        return result.Failure is { } failure ? $"{failure.Message} {SignInHint}" : $"Authentication required. {SignInHint}";
    }
}
