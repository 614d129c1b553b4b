using System.Net;
using Ladybug.Tests.Support;

namespace Ladybug.Tests.Unit.Web.Security;

/// <summary>Issue 16, item 8: behind a TLS proxy, HSTS and Secure cookies, and forwarded headers believed from listed proxies only.</summary>
public sealed class TlsProxyTests
{
    private static TestConsole Console(bool behindProxy) => new(settings: new Dictionary<string, string?>
    {
        ["Ladybug:Security:Hsts"] = "true",
        ["Ladybug:Security:KnownProxies:0"] = behindProxy ? "127.0.0.1" : null,
    });

    private const string PublicHost = "ladybug.example";

    private static HttpRequestMessage ViaProxy(HttpMethod method, string path)
    {
        // The proxy's public name: ASP.NET Core's HSTS leaves localhost and loopback addresses out on purpose.
        var request = new HttpRequestMessage(method, path) { Headers = { Host = PublicHost } };
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        return request;
    }

    [Fact]
    public async Task BehindAListedProxyHttpsAnswersCarryHstsAndTheCookieIsSecure()
    {
        await using var console = Console(behindProxy: true);
        using var browser = new BrowserSession(console);
        var token = await browser.AntiforgeryTokenAsync();

        var page = await browser.Http.SendAsync(ViaProxy(HttpMethod.Get, "/account/login"));
        using var signIn = ViaProxy(HttpMethod.Post, "/account/login");
        signIn.Headers.Add("Origin", "https://" + PublicHost);
        signIn.Content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userName"] = TestConsole.AdminUser, ["password"] = TestConsole.AdminPassword, ["returnUrl"] = "/", ["__RequestVerificationToken"] = token,
        });
        var signedIn = await browser.Http.SendAsync(signIn);

        Assert.Contains("max-age=", page.Headers.GetValues("Strict-Transport-Security").Single());
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ladybug.auth=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task WithoutAListedProxyForwardedHeadersAreIgnored()
    {
        await using var console = Console(behindProxy: false);
        using var client = console.CreateClientWith(null);

        var page = await client.SendAsync(ViaProxy(HttpMethod.Get, "/account/login"));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.False(page.Headers.Contains("Strict-Transport-Security"));
    }
}
