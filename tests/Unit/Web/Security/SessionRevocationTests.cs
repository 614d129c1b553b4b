using System.Net;
using Ladybug.Tests.Support;

namespace Ladybug.Tests.Unit.Web.Security;

/// <summary>Issue 16, item 4: a copied cookie stops working when its session ends, not when the cookie expires.</summary>
public sealed class SessionRevocationTests : IAsyncLifetime
{
    private readonly TestConsole _console = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _console.DisposeAsync();

    private async Task<BrowserSession> SignedInAsync()
    {
        var browser = new BrowserSession(_console);
        var answer = await browser.SignInAsync(TestConsole.AdminUser, TestConsole.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.NotNull(browser.AuthCookie);
        return browser;
    }

    [Fact]
    public async Task ACopiedCookieIsRefusedAfterSignOut()
    {
        using var browser = await SignedInAsync();
        using var thief = BrowserSession.WithCopiedCookie(_console.BaseAddress, browser.AuthCookie!);
        var before = await thief.GetAsync("/mcks/ns/default/clusters");

        var signOut = await browser.PostFormAsync("/account/logout");
        var after = await thief.GetAsync("/mcks/ns/default/clusters");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task SignOutEverywhereEndsTheUsersOtherSessions()
    {
        using var laptop = await SignedInAsync();
        using var phone = await SignedInAsync();

        var answer = await laptop.PostFormAsync("/account/logout-everywhere");
        var phoneAfter = await phone.Http.GetAsync("/mcks/ns/default/clusters");

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, phoneAfter.StatusCode);
    }
}
