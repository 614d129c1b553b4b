using System.Globalization;
using System.Threading.RateLimiting;
using Ladybug.Engine.Accounts;
using Microsoft.AspNetCore.RateLimiting;

namespace Ladybug.Web.Security;

/// <summary>
/// ASP.NET Core's rate limiting on the sign-in form: posts per client address per minute, right or wrong, before any
/// password is checked. Failed attempts are counted separately by <see cref="SignInThrottle"/> (per address and user name).
/// </summary>
public static class SignInRateLimits
{
    public const string FormPolicy = "sign-in-form";

    public static IServiceCollection AddSignInRateLimits(this IServiceCollection services, SignInOptions options)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : 60;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync($"Too many sign-in attempts from this address. Try again in {seconds} s.", cancellationToken);
            };
            limiter.AddPolicy(FormPolicy, context => options.FormPostsPerMinutePerAddress <= 0
                ? RateLimitPartition.GetNoLimiter("off")
                : RateLimitPartition.GetFixedWindowLimiter(ClientAddress.Of(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.FormPostsPerMinutePerAddress,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
        });
        return services;
    }
}
