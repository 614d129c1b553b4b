using System.Security.Cryptography;
using System.Text;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ladybug.Engine.Accounts;

/// <summary>Users and API tokens: password checks, the first administrator, token issue and validation.</summary>
public sealed class AccountService(
    IDbContextFactory<LadybugDbContext> dbFactory,
    IOptions<AdminOptions> admin,
    IOptions<SignInOptions> signIn,
    TimeProvider time,
    ILogger<AccountService> logger)
{
    public const string TokenPrefix = "lbt_";
    private static readonly PasswordHasher<User> Hasher = new();

    /// <summary>
    /// Creates the configured administrator, or updates its password when configuration says so.
    /// With no password configured the first start generates one and returns it, so the console can show it once
    /// (never through logging); null when nothing was generated.
    /// </summary>
    public async Task<string?> EnsureAdministratorAsync(CancellationToken cancellationToken)
    {
        var options = admin.Value;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Name == options.User, cancellationToken);
        if (user is null)
        {
            var password = string.IsNullOrEmpty(options.Password) ? GeneratePassword() : options.Password;
            user = new User { Name = options.User, CreatedAt = time.GetUtcNow() };
            user.PasswordHash = Hasher.HashPassword(user, password);
            db.Users.Add(user);
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Created administrator {User}", options.User);
            return string.IsNullOrEmpty(options.Password) ? password : null;
        }
        else if (!string.IsNullOrEmpty(options.Password)
                 && Hasher.VerifyHashedPassword(user, user.PasswordHash, options.Password) == PasswordVerificationResult.Failed)
        {
            user.PasswordHash = Hasher.HashPassword(user, options.Password);
            // A new password ends every session and every remembered Basic check made with the old one.
            user.SecurityStamp = User.NewSecurityStamp();
            await db.UserSessions.Where(s => s.UserName == user.Name).ExecuteDeleteAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Administrator {User} password updated from configuration; their sessions were ended", options.User);
        }
        return null;
    }

    /// <summary>
    /// Checks a password and keeps count of wrong ones: after <see cref="SignInOptions.LockoutFailures"/> in a row the
    /// account is locked (audited) and even the right password is refused until the lock ends or an administrator lifts it.
    /// <paramref name="source"/> (the client address) goes into the audit entry.
    /// </summary>
    public async Task<SignInResult> SignInAsync(string userName, string password, string? source, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Name == userName, cancellationToken);
        if (user is null)
        {
            // Same work either way, so response time does not reveal which user names exist.
            Hasher.HashPassword(new User(), password);
            return SignInResult.Wrong;
        }
        var now = time.GetUtcNow();
        // A locked account costs no hash: a flood against it does not slow anyone else down.
        if (user.LockedUntil > now) return SignInResult.Locked(user.LockedUntil.Value);
        if (Hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed)
        {
            if (user.FailedSignIns > 0)
                await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.FailedSignIns, 0), cancellationToken);
            return SignInResult.Succeeded(user.SecurityStamp);
        }
        return await CountFailureAsync(db, user, source, now, cancellationToken);
    }

    private async Task<SignInResult> CountFailureAsync(LadybugDbContext db, User user, string? source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var options = signIn.Value;
        var windowStart = now - options.FailureWindow;
        // One UPDATE, so parallel wrong passwords each count.
        await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(u => u
            .SetProperty(x => x.FailedSignIns, x => x.LastFailedSignInAt != null && x.LastFailedSignInAt > windowStart ? x.FailedSignIns + 1 : 1)
            .SetProperty(x => x.LastFailedSignInAt, now), cancellationToken);
        if (options.LockoutFailures <= 0) return SignInResult.Wrong;
        var until = now + options.LockoutDuration;
        var locked = await db.Users
            .Where(u => u.Id == user.Id && u.FailedSignIns >= options.LockoutFailures && (u.LockedUntil == null || u.LockedUntil <= now))
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.LockedUntil, until).SetProperty(x => x.FailedSignIns, 0), cancellationToken);
        if (locked == 0) return SignInResult.Wrong;
        db.AuditEntries.Add(new AuditEntry
        {
            User = user.Name, Action = AuditActions.AccountLocked, Time = now,
            Detail = $"{options.LockoutFailures} wrong passwords in a row, the last from {source ?? "an unknown address"}; locked until {until:u}",
        });
        await db.SaveChangesAsync(cancellationToken);
        logger.LogWarning("Account {User} locked until {Until:u} after {Failures} wrong passwords in a row, the last from {Source}",
            user.Name, until, options.LockoutFailures, source);
        return SignInResult.Locked(until);
    }

    /// <summary>The security stamp and lock of a user, for checks that skip the password hash (remembered Basic credentials).</summary>
    public async Task<UserSecurity?> GetSecurityAsync(string userName, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().Where(u => u.Name == userName)
            .Select(u => new UserSecurity(u.Name, u.SecurityStamp, u.LockedUntil))
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Lifts a lock before its time (audited); false when the user does not exist or was not locked.</summary>
    public async Task<bool> UnlockAsync(string userName, string unlockedBy, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var unlocked = await db.Users.Where(u => u.Name == userName && u.LockedUntil > now)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.LockedUntil, (DateTimeOffset?)null).SetProperty(x => x.FailedSignIns, 0), cancellationToken);
        if (unlocked == 0) return false;
        db.AuditEntries.Add(new AuditEntry { User = unlockedBy, Action = AuditActions.AccountUnlocked, Detail = userName, Time = now });
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Account {User} unlocked by {Admin}", userName, unlockedBy);
        return true;
    }

    public async Task<IReadOnlyList<UserSecurity>> ListUsersAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().OrderBy(u => u.Name)
            .Select(u => new UserSecurity(u.Name, u.SecurityStamp, u.LockedUntil > now ? u.LockedUntil : null))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Stores a new cookie session; its id goes into the cookie.</summary>
    public async Task<Guid> StartSessionAsync(string userName, CancellationToken cancellationToken)
    {
        var session = new UserSession { UserName = userName, CreatedAt = time.GetUtcNow() };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.UserSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return session.Id;
    }

    public async Task EndSessionAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.UserSessions.Where(s => s.Id == sessionId).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>
    /// Whether a cookie's session still stands: not signed out, younger than <see cref="SignInOptions.SessionLifetime"/>,
    /// and issued under the user's current security stamp.
    /// </summary>
    public async Task<bool> IsSessionLiveAsync(Guid sessionId, string userName, string securityStamp, CancellationToken cancellationToken)
    {
        var bornAfter = time.GetUtcNow() - signIn.Value.SessionLifetime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.UserSessions.AnyAsync(s => s.Id == sessionId && s.UserName == userName && s.CreatedAt > bornAfter, cancellationToken)
               && await db.Users.AnyAsync(u => u.Name == userName && u.SecurityStamp == securityStamp, cancellationToken);
    }

    /// <summary>Ends every session of the user (audited): a new security stamp, and their stored sessions removed.</summary>
    public async Task SignOutEverywhereAsync(string userName, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stamp = User.NewSecurityStamp();
        await db.Users.Where(u => u.Name == userName).ExecuteUpdateAsync(u => u.SetProperty(x => x.SecurityStamp, stamp), cancellationToken);
        var ended = await db.UserSessions.Where(s => s.UserName == userName).ExecuteDeleteAsync(cancellationToken);
        db.AuditEntries.Add(new AuditEntry { User = userName, Action = AuditActions.SignedOutEverywhere, Detail = $"{ended} session(s) ended", Time = time.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Issues a token; the returned plaintext is the only copy that will ever exist.</summary>
    public async Task<(ApiToken Token, string Plaintext)> CreateTokenAsync(string userName, string name, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
            throw new ArgumentException("Give the token a name of 1 to 100 characters.", nameof(name));
        var plaintext = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var token = new ApiToken
        {
            Name = name.Trim(), UserName = userName, TokenHash = Hash(plaintext),
            Prefix = plaintext[..(TokenPrefix.Length + 6)], CreatedAt = time.GetUtcNow(),
        };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        return (token, plaintext);
    }

    public async Task<IReadOnlyList<ApiToken>> ListTokensAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ApiTokens.AsNoTracking().Where(t => t.RevokedAt == null).OrderByDescending(t => t.CreatedAt).ToListAsync(cancellationToken);
    }

    public async Task<bool> RevokeTokenAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == id && t.RevokedAt == null, cancellationToken);
        if (token is null) return false;
        token.RevokedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>The user a live token belongs to, or null.</summary>
    public async Task<string?> ValidateTokenAsync(string plaintext, CancellationToken cancellationToken)
    {
        if (!plaintext.StartsWith(TokenPrefix, StringComparison.Ordinal)) return null;
        var hash = Hash(plaintext);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.TokenHash == hash && t.RevokedAt == null, cancellationToken);
        if (token is null) return null;
        token.LastUsedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return token.UserName;
    }

    private static string Hash(string plaintext) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(plaintext)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string GeneratePassword() => Base64Url(RandomNumberGenerator.GetBytes(15));
}
