namespace Ladybug.Web.Startup;

/// <summary>What the start-up banner needs to know, gathered once the console listens.</summary>
/// <param name="ConsoleUrl">Where a browser opens the console.</param>
/// <param name="GeneratedPassword">The administrator's password when this start created it; null on later starts.</param>
/// <param name="PasswordConfigured">Ladybug:Admin:Password is set, so the password is the configured one.</param>
/// <param name="SandboxUrl">The embedded sandbox's Tumblebug emulator; null with a real Tumblebug.</param>
/// <param name="SandboxProblem">Why the embedded sandbox did not start, when it did not.</param>
public sealed record StartupBannerFacts(
    string ConsoleUrl,
    string User,
    string? GeneratedPassword,
    bool PasswordConfigured,
    string? SandboxUrl,
    string? SandboxProblem = null);

/// <summary>
/// The one block that ends the console's start-up output: what to open and how to sign in, then the sandbox
/// emulator's own address, labelled so nobody opens it instead of the console.
/// </summary>
public static class StartupBannerText
{
    public const string Rule = "  ────────────────────────────────────────────────────────────────────";
    public const string PasswordSetting = "--Ladybug:Admin:Password";

    public static IReadOnlyList<string> Lines(StartupBannerFacts facts)
    {
        var lines = new List<string>
        {
            "",
            Rule,
            $"  Open Ladybug:  {facts.ConsoleUrl}",
            $"  User:          {facts.User}",
            $"  Password:      {PasswordLine(facts)}",
        };
        if (facts.SandboxUrl is not null)
        {
            lines.Add("");
            lines.Add($"  Sandbox cloud's Tumblebug emulator (its API, not the console): {facts.SandboxUrl}");
        }
        else if (facts.SandboxProblem is not null)
        {
            lines.Add("");
            lines.Add($"  Sandbox cloud's Tumblebug emulator did not start: {facts.SandboxProblem}");
        }
        lines.Add(Rule);
        lines.Add("");
        return lines;
    }

    private static string PasswordLine(StartupBannerFacts facts) =>
        facts.GeneratedPassword is { } password ? $"{password}   (shown only this once)"
        : facts.PasswordConfigured ? "the one set in Ladybug:Admin:Password"
        : $"the one shown at the first start; to reset it, start once with {PasswordSetting}='<new password>'";
}
