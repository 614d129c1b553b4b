namespace Ladybug.Engine.Accounts;

/// <summary>Section "Ladybug:Admin": the first administrator.</summary>
public sealed class AdminOptions
{
    public const string Section = "Ladybug:Admin";

    public string User { get; set; } = "admin";
    /// <summary>When unset, a random password is generated at first start and printed once.</summary>
    public string? Password { get; set; }
}
