using Ladybug.Web.Startup;

namespace Ladybug.Tests.Unit.Web.Startup;

[Trait(TestTier.Category, TestTier.Unit)]
public sealed class StartupBannerTextTests
{
    private static readonly StartupBannerFacts FirstStart = new("http://localhost:1470", "admin", "s3cret-Pass", PasswordConfigured: false,
        "http://127.0.0.1:40001/tumblebug");

    [Fact]
    public void AFirstStartShowsWhereToOpenWhoToBeAndThePasswordThenTheLabelledEmulator()
    {
        var lines = StartupBannerText.Lines(FirstStart);

        Assert.Equal(
        [
            "",
            StartupBannerText.Rule,
            "  Open Ladybug:  http://localhost:1470",
            "  User:          admin",
            "  Password:      s3cret-Pass   (shown only this once)",
            "",
            "  Sandbox cloud's Tumblebug emulator (its API, not the console): http://127.0.0.1:40001/tumblebug",
            StartupBannerText.Rule,
            "",
        ], lines);
    }

    [Fact]
    public void ALaterStartSaysHowToResetThePasswordAndShowsNone()
    {
        var lines = StartupBannerText.Lines(FirstStart with { GeneratedPassword = null });

        var password = Assert.Single(lines, l => l.StartsWith("  Password:", StringComparison.Ordinal));
        Assert.Equal("  Password:      the one shown at the first start; to reset it, start once with --Ladybug:Admin:Password='<new password>'", password);
        Assert.DoesNotContain(lines, l => l.Contains("s3cret-Pass", StringComparison.Ordinal));
    }

    [Fact]
    public void AConfiguredPasswordIsNamedByItsSettingNotPrinted()
    {
        var lines = StartupBannerText.Lines(FirstStart with { GeneratedPassword = null, PasswordConfigured = true });

        Assert.Contains("  Password:      the one set in Ladybug:Admin:Password", lines);
    }

    [Fact]
    public void ARealTumblebugLeavesTheEmulatorLineOut()
    {
        var lines = StartupBannerText.Lines(FirstStart with { SandboxUrl = null });

        Assert.DoesNotContain(lines, l => l.Contains("Tumblebug", StringComparison.Ordinal));
        Assert.Equal(StartupBannerText.Rule, lines[^2]);
    }

    [Fact]
    public void ASandboxThatFailedToStartSaysWhy()
    {
        var lines = StartupBannerText.Lines(FirstStart with { SandboxUrl = null, SandboxProblem = "sshd was not found" });

        Assert.Contains("  Sandbox cloud's Tumblebug emulator did not start: sshd was not found", lines);
    }
}
