using Ladybug.Engine.Accounts;
using Ladybug.Engine.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Ladybug.Tests.Unit.Engine.Accounts;

/// <summary>Issue 16, items 2, 4 and 5 at the engine: lock by time, sessions ended by a new password, an owner-only data directory.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AccountSecurityTests
{
    private static readonly Dictionary<string, string?> Admin = new()
    {
        ["Ladybug:Admin:User"] = "admin",
        ["Ladybug:Admin:Password"] = "first-Password",
        ["Ladybug:SignIn:LockoutFailures"] = "3",
        ["Ladybug:SignIn:LockoutDuration"] = "00:15:00",
    };

    private static async Task<EngineHost> StartAsync(FakeTimeProvider? time = null, Dictionary<string, string?>? settings = null)
    {
        var host = await EngineHost.StartAsync(services =>
        {
            if (time is not null) services.AddSingleton<TimeProvider>(time);
        }, settings ?? Admin);
        await host.Get<AccountService>().EnsureAdministratorAsync(CancellationToken.None);
        return host;
    }

    [Fact]
    public async Task ALockEndsByItselfAfterTheLockoutDuration()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-06T12:00:00Z"));
        await using var host = await StartAsync(time);
        var accounts = host.Get<AccountService>();

        for (var i = 0; i < 3; i++) await accounts.SignInAsync("admin", "guess", "192.0.2.7", CancellationToken.None);
        var locked = await accounts.SignInAsync("admin", "first-Password", "192.0.2.7", CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(16));
        var later = await accounts.SignInAsync("admin", "first-Password", "192.0.2.7", CancellationToken.None);

        Assert.Equal(SignInOutcome.LockedOut, locked.Outcome);
        Assert.Equal(SignInOutcome.Succeeded, later.Outcome);
    }

    [Fact]
    public async Task ARightPasswordInBetweenStartsTheCountAgain()
    {
        await using var host = await StartAsync();
        var accounts = host.Get<AccountService>();

        for (var i = 0; i < 2; i++) await accounts.SignInAsync("admin", "guess", null, CancellationToken.None);
        await accounts.SignInAsync("admin", "first-Password", null, CancellationToken.None);
        for (var i = 0; i < 2; i++) await accounts.SignInAsync("admin", "guess", null, CancellationToken.None);

        Assert.Equal(SignInOutcome.Succeeded, (await accounts.SignInAsync("admin", "first-Password", null, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task ANewPasswordFromConfigurationEndsEverySession()
    {
        var host = await StartAsync();
        var accounts = host.Get<AccountService>();
        var signedIn = await accounts.SignInAsync("admin", "first-Password", null, CancellationToken.None);
        var session = await accounts.StartSessionAsync("admin", CancellationToken.None);
        Assert.True(await accounts.IsSessionLiveAsync(session, "admin", signedIn.SecurityStamp!, CancellationToken.None));

        await using var restarted = await host.RestartAsync(settings: new Dictionary<string, string?>(Admin) { ["Ladybug:Admin:Password"] = "second-Password" });
        var after = restarted.Get<AccountService>();
        await after.EnsureAdministratorAsync(CancellationToken.None);

        Assert.False(await after.IsSessionLiveAsync(session, "admin", signedIn.SecurityStamp!, CancellationToken.None));
    }

    [Fact]
    public async Task TheDataDirectoryAndTheDatabaseAreOwnerOnlyAndLooserModesAreTightenedAndLogged()
    {
        var host = await StartAsync();
        var dataDir = host.DataDir;
        File.SetUnixFileMode(dataDir, (UnixFileMode)Convert.ToInt32("755", 8));
        File.SetUnixFileMode(host.DatabasePath, (UnixFileMode)Convert.ToInt32("644", 8));

        await using var restarted = await host.RestartAsync();
        await restarted.Get<AccountService>().SignInAsync("admin", "first-Password", null, CancellationToken.None);

        Assert.Equal("700", Mode(dataDir));
        Assert.Equal("600", Mode(restarted.DatabasePath));
        Assert.Equal("600", Mode(restarted.DatabasePath + "-wal"));
        Assert.Equal("600", Mode(restarted.DatabasePath + "-shm"));
        Assert.Contains(restarted.Logs.Entries, e => e.Category == typeof(DataDirectoryPermissions).FullName && e.Level == LogLevel.Warning
                                                     && e.Message.Contains("from 644 to 600"));
    }

    [Fact]
    public async Task ANewDatabaseIsOwnerOnlyFromTheStart()
    {
        await using var host = await StartAsync();

        Assert.Equal("600", Mode(host.DatabasePath));
        Assert.DoesNotContain(host.Logs.Entries, e => e.Category == typeof(DataDirectoryPermissions).FullName && e.Message.Contains("ladybug.db"));
    }

    private static string Mode(string path) => Convert.ToString((int)File.GetUnixFileMode(path), 8);
}
