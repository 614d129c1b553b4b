using System.Security.Cryptography;
using System.Text;
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
    TimeProvider time,
    ILogger<AccountService> logger)
{
    public const string TokenPrefix = "lbt_";
    private static readonly PasswordHasher<User> Hasher = new();

    /// <summary>
    /// Creates the configured administrator, or updates its password when configuration says so.
    /// With no password configured the first start generates one and prints it once.
    /// </summary>
    public async Task EnsureAdministratorAsync(CancellationToken cancellationToken)
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
            if (string.IsNullOrEmpty(options.Password))
            {
                // Printed on the console once, never logged through the logging pipeline.
                Console.WriteLine();
                Console.WriteLine($"  Ladybug administrator created. Sign in as '{options.User}' with password: {password}");
                Console.WriteLine("  (shown only now; set Ladybug:Admin:Password to choose your own)");
                Console.WriteLine();
            }
            logger.LogInformation("Created administrator {User}", options.User);
        }
        else if (!string.IsNullOrEmpty(options.Password)
                 && Hasher.VerifyHashedPassword(user, user.PasswordHash, options.Password) == PasswordVerificationResult.Failed)
        {
            user.PasswordHash = Hasher.HashPassword(user, options.Password);
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Administrator {User} password updated from configuration", options.User);
        }
    }

    public async Task<bool> CheckPasswordAsync(string userName, string password, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Name == userName, cancellationToken);
        if (user is null)
        {
            // Same work either way, so response time does not reveal which user names exist.
            Hasher.HashPassword(new User(), password);
            return false;
        }
        return Hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;
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
