using Ladybug.Tests.Support;
using Ladybug.Tests.Unit.Web.Api;

namespace Ladybug.Tests.Unit.Web.Security;

/// <summary>One console (fake cloud, scripted jobs) for the attack tests that do not lock anything.</summary>
public sealed class SecurityConsoleFixture : IAsyncLifetime
{
    public ScriptedJobs Jobs { get; } = new();
    public TestConsole Console { get; private set; } = default!;

    public Task InitializeAsync()
    {
        Console = McksApiFixture.StartConsole(Jobs);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Console.DisposeAsync();

    public async Task<BrowserSession> SignedInAsync()
    {
        var browser = new BrowserSession(Console);
        await browser.SignInAsync(TestConsole.AdminUser, TestConsole.AdminPassword);
        Assert.NotNull(browser.AuthCookie);
        return browser;
    }
}
