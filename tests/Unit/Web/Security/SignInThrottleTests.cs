using System.Net;
using System.Net.Http.Headers;
using Ladybug.Api.Contracts;
using Ladybug.Engine.Accounts;
using Ladybug.Tests.Support;
using Ladybug.Tests.Unit.Web.Api;

namespace Ladybug.Tests.Unit.Web.Security;

/// <summary>Issue 16, item 2: guessing passwords is slowed per address and user name (429 + Retry-After), then stopped by a lockout.</summary>
public sealed class SignInThrottleTests
{
    private static TestConsole Console(int lockoutFailures = 0, int perUser = 0, int perAddress = 0, int formPosts = 0) =>
        new(settings: new Dictionary<string, string?>
        {
            ["Ladybug:SignIn:LockoutFailures"] = lockoutFailures.ToString(),
            ["Ladybug:SignIn:FailuresPerMinutePerUser"] = perUser.ToString(),
            ["Ladybug:SignIn:FailuresPerMinutePerAddress"] = perAddress.ToString(),
            ["Ladybug:SignIn:FormPostsPerMinutePerAddress"] = formPosts.ToString(),
        });

    private static HttpClient Basic(TestConsole console, string password) =>
        console.CreateClientWith(new AuthenticationHeaderValue("Basic", TestConsole.BasicCredentials(TestConsole.AdminUser, password)));

    [Fact]
    public async Task WrongBasicPasswordsForOneUserAre429WithRetryAfterOnceTheBucketIsEmpty()
    {
        await using var console = Console(perUser: 3);
        using var wrong = Basic(console, "guess");

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++) answers.Add(await wrong.GetAsync("/mcks/ns/default/clusters"));

        Assert.All(answers.Take(3), a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
        var status = await answers[3].ReadStatusAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("Too many failed sign-ins", status.Message);
        Assert.True(answers[3].Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 without Retry-After");
    }

    [Fact]
    public async Task WrongPasswordsFromOneAddressAre429WhateverTheUserName()
    {
        await using var console = Console(perAddress: 3);

        var answers = new List<HttpStatusCode>();
        foreach (var user in new[] { "a", "b", "c", "d" })
        {
            using var client = console.CreateClientWith(new AuthenticationHeaderValue("Basic", TestConsole.BasicCredentials(user, "guess")));
            answers.Add((await client.GetAsync("/mcks/ns/default/clusters")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], answers);
    }

    [Fact]
    public async Task AfterTheLockoutTheRightPasswordIsRefusedUntilAnAdministratorUnlocksAndBothAreAudited()
    {
        await using var console = Console(lockoutFailures: 5);
        using var wrong = Basic(console, "guess");
        using var right = console.CreateBasicClient();
        using var admin = console.CreateAdminClient();

        for (var i = 0; i < 5; i++) await wrong.GetAsync("/mcks/ns/default/clusters");
        var whileLocked = await right.GetAsync("/mcks/ns/default/clusters");
        var unlock = await admin.PostAsync($"/api/accounts/{TestConsole.AdminUser}/unlock", null);
        var afterUnlock = await right.GetAsync("/mcks/ns/default/clusters");

        var status = await whileLocked.ReadStatusAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("locked", status.Message);
        Assert.True(whileLocked.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(10), $"Retry-After {whileLocked.Headers.RetryAfter}");
        Assert.Equal(HttpStatusCode.NoContent, unlock.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterUnlock.StatusCode);
        var audit = await ClusterSeeder.AuditAsync(console.Services);
        Assert.Contains(audit, a => a.Action == AuditActions.AccountLocked && a.User == TestConsole.AdminUser && a.Detail!.Contains("127.0.0.1"));
        Assert.Contains(audit, a => a.Action == AuditActions.AccountUnlocked && a.Detail == TestConsole.AdminUser);
    }

    [Fact]
    public async Task WrongFormPasswordsLockTheAccountAndTheFormSays429()
    {
        await using var console = Console(lockoutFailures: 3);
        using var browser = new BrowserSession(console);

        var wrong = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++) wrong.Add((await browser.SignInAsync(TestConsole.AdminUser, "guess")).StatusCode);
        var withRightPassword = await browser.SignInAsync(TestConsole.AdminUser, TestConsole.AdminPassword);

        // The third wrong password locks the account and is answered as such.
        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests], wrong);
        Assert.Equal(HttpStatusCode.TooManyRequests, withRightPassword.StatusCode);
        Assert.NotNull(withRightPassword.Headers.RetryAfter);
        Assert.Null(browser.AuthCookie);
    }

    [Fact]
    public async Task TheSignInFormIsRateLimitedPerAddress()
    {
        await using var console = Console(formPosts: 3);
        using var browser = new BrowserSession(console);

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++) answers.Add((await browser.SignInAsync("nobody", "guess")).StatusCode);

        Assert.Equal(HttpStatusCode.TooManyRequests, answers[3]);
        Assert.All(answers.Take(3), a => Assert.Equal(HttpStatusCode.Redirect, a));
    }

    [Fact]
    public async Task UnlockingIsForSignedInUsersOnly()
    {
        await using var console = Console();
        using var anonymous = console.CreateClientWith(null);

        var response = await anonymous.PostAsync($"/api/accounts/{TestConsole.AdminUser}/unlock", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
