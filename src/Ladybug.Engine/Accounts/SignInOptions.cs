namespace Ladybug.Engine.Accounts;

/// <summary>Section "Ladybug:SignIn": how guessing passwords is slowed and stopped, and how long sessions last.</summary>
public sealed class SignInOptions
{
    public const string Section = "Ladybug:SignIn";

    /// <summary>Wrong passwords in a row after which the account is locked (0 = never).</summary>
    public int LockoutFailures { get; set; } = 10;
    /// <summary>How long a locked account stays locked unless an administrator unlocks it sooner.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>A wrong password longer than this after the previous one starts counting again.</summary>
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failed sign-ins (form or Basic) allowed per client address per minute before 429; 0 = off.</summary>
    public int FailuresPerMinutePerAddress { get; set; } = 20;
    /// <summary>Failed sign-ins allowed per user name per minute before 429; 0 = off.</summary>
    public int FailuresPerMinutePerUser { get; set; } = 5;
    /// <summary>Sign-in form posts allowed per client address per minute (right or wrong) before 429; 0 = off.</summary>
    public int FormPostsPerMinutePerAddress { get; set; } = 30;

    /// <summary>How long a verified Basic user name and password is remembered (by a keyed hash, never the password); zero = off.</summary>
    public TimeSpan BasicCacheLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A cookie session unused this long ends (sliding).</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(1);
    /// <summary>A cookie session ends this long after sign-in however active it is.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);
}
