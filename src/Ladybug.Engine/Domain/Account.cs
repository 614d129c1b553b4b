namespace Ladybug.Engine.Domain;

public sealed class User
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public string Name { get; set; } = "";
    /// <summary>ASP.NET Identity's PBKDF2 hash; the password itself is never stored.</summary>
    public string PasswordHash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>
    /// Changes when the password changes or the user signs out everywhere; every session carries the stamp it was
    /// issued with and is refused once they differ.
    /// </summary>
    public string SecurityStamp { get; set; } = NewSecurityStamp();
    /// <summary>Wrong passwords in a row (within <see cref="SignInOptions.FailureWindow"/> of each other).</summary>
    public int FailedSignIns { get; set; }
    public DateTimeOffset? LastFailedSignInAt { get; set; }
    /// <summary>Until when every sign-in is refused, the right password included (<see cref="SignInOptions.LockoutFailures"/>).</summary>
    public DateTimeOffset? LockedUntil { get; set; }

    public static string NewSecurityStamp() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}

/// <summary>
/// A cookie sign-in, stored so that signing out ends it on the server: a copied cookie of an ended session is refused
/// even though its own expiry has not come.
/// </summary>
public sealed class UserSession
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public string UserName { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A bearer token for the REST API and the CLI. Only its SHA-256 is stored; the token is shown once.</summary>
public sealed class ApiToken
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public string Name { get; set; } = "";
    public string UserName { get; set; } = "";
    public string TokenHash { get; set; } = "";
    /// <summary>The first characters, so a person can tell tokens apart.</summary>
    public string Prefix { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
