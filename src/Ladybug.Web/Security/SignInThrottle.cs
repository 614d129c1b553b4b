using System.Threading.RateLimiting;
using Ladybug.Engine.Accounts;
using Microsoft.Extensions.Options;

namespace Ladybug.Web.Security;

/// <summary>
/// Counts failed sign-ins (form and Basic) per client address and per user name in token buckets
/// (System.Threading.RateLimiting, the limiters behind ASP.NET Core's rate limiting middleware). Once a bucket is
/// empty, further attempts from that address or for that name are answered 429 before any password is hashed, so a
/// guessing flood neither gets far nor eats the CPU that signed-in users need.
/// </summary>
public sealed class SignInThrottle : IAsyncDisposable
{
    private readonly PartitionedRateLimiter<string>? _byAddress;
    private readonly PartitionedRateLimiter<string>? _byUser;
    private readonly TimeSpan _addressRefill;
    private readonly TimeSpan _userRefill;

    public SignInThrottle(IOptions<SignInOptions> options)
    {
        var o = options.Value;
        (_byAddress, _addressRefill) = Create(o.FailuresPerMinutePerAddress);
        (_byUser, _userRefill) = Create(o.FailuresPerMinutePerUser);
    }

    /// <summary>How long to wait when this address or this user name has no attempts left; null when it may try.</summary>
    public TimeSpan? RetryAfter(string? userName, string address)
    {
        if (Exhausted(_byAddress, address)) return _addressRefill;
        if (userName is not null && Exhausted(_byUser, Normalize(userName))) return _userRefill;
        return null;
    }

    /// <summary>Takes one attempt from both buckets.</summary>
    public void RecordFailure(string? userName, string address)
    {
        _byAddress?.AttemptAcquire(address).Dispose();
        if (userName is not null) _byUser?.AttemptAcquire(Normalize(userName)).Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (_byAddress is not null) await _byAddress.DisposeAsync();
        if (_byUser is not null) await _byUser.DisposeAsync();
    }

    private static bool Exhausted(PartitionedRateLimiter<string>? limiter, string key) =>
        limiter?.GetStatistics(key) is { CurrentAvailablePermits: <= 0 };

    // User names are compared exactly by the store; the bucket ignores case so "Admin" and "admin" share one.
    private static string Normalize(string userName) => userName.Trim().ToLowerInvariant();

    /// <summary>A bucket of <paramref name="perMinute"/> attempts that refills one every 60/perMinute seconds.</summary>
    private static (PartitionedRateLimiter<string>?, TimeSpan) Create(int perMinute)
    {
        if (perMinute <= 0) return (null, TimeSpan.Zero);
        var refill = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(60.0 / perMinute)));
        var limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = refill,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
        return (limiter, refill);
    }
}
