namespace Ladybug.Engine.Accounts;

public enum SignInOutcome
{
    Succeeded,
    WrongCredentials,
    LockedOut,
}

/// <summary>How a password check ended: the user's security stamp when it succeeded, the end of the lock when locked.</summary>
public sealed record SignInResult(SignInOutcome Outcome, string? SecurityStamp = null, DateTimeOffset? LockedUntil = null)
{
    public static readonly SignInResult Wrong = new(SignInOutcome.WrongCredentials);

    public static SignInResult Succeeded(string securityStamp) => new(SignInOutcome.Succeeded, securityStamp);

    public static SignInResult Locked(DateTimeOffset until) => new(SignInOutcome.LockedOut, LockedUntil: until);
}

/// <summary>What a request needs to know about a user without checking a password.</summary>
public sealed record UserSecurity(string Name, string SecurityStamp, DateTimeOffset? LockedUntil);

/// <summary>The audit trail's action names for accounts.</summary>
public static class AuditActions
{
    public const string AccountLocked = "account.locked";
    public const string AccountUnlocked = "account.unlocked";
    public const string SignedOutEverywhere = "account.signed-out-everywhere";
}
