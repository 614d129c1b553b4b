using System.Net;
using System.Text.RegularExpressions;
using Ladybug.Tests.Support;

namespace Ladybug.Tests.Unit.Web.Security;

/// <summary>
/// A browser's view of the console over plain HTTP: a cookie jar, the sign-in form with its antiforgery token, and
/// the console's own Origin on what it posts (as a browser adds it). Redirects are not followed.
/// </summary>
public sealed partial class BrowserSession : IDisposable
{
    private readonly CookieContainer _cookies = new();

    public BrowserSession(TestConsole console)
    {
        BaseAddress = console.BaseAddress;
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = _cookies }) { BaseAddress = BaseAddress };
    }

    public Uri BaseAddress { get; }
    public HttpClient Http { get; }
    public string Origin => BaseAddress.GetLeftPart(UriPartial.Authority);

    /// <summary>The sign-in cookie's value, as someone who copied it would hold it.</summary>
    public string? AuthCookie => _cookies.GetCookies(BaseAddress)["ladybug.auth"]?.Value;

    /// <summary>Posts the sign-in form as the page would; returns the answer (302 on success and on a wrong password).</summary>
    public async Task<HttpResponseMessage> SignInAsync(string user, string password, string returnUrl = "/")
    {
        var token = await AntiforgeryTokenAsync();
        return await PostFormAsync("/account/login", new Dictionary<string, string>
        {
            ["userName"] = user, ["password"] = password, ["returnUrl"] = returnUrl, ["__RequestVerificationToken"] = token,
        });
    }

    public async Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string>? fields = null, string? origin = null)
    {
        fields ??= new Dictionary<string, string> { ["__RequestVerificationToken"] = await AntiforgeryTokenAsync() };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("Origin", origin ?? Origin);
        return await Http.SendAsync(request);
    }

    /// <summary>A token for the current user from the sign-in page's form (antiforgery tokens are bound to who asks).</summary>
    public async Task<string> AntiforgeryTokenAsync()
    {
        var html = await Http.GetStringAsync("/account/login");
        return TokenField().Match(html) is { Success: true } field && ValueAttribute().Match(field.Value) is { Success: true } value
            ? WebUtility.HtmlDecode(value.Groups[1].Value)
            : throw new InvalidOperationException("The sign-in page has no antiforgery token.");
    }

    public void Dispose() => Http.Dispose();

    /// <summary>A client that sends only the given sign-in cookie, like an attacker holding a copy of it.</summary>
    public static HttpClient WithCopiedCookie(Uri baseAddress, string cookie)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = baseAddress };
        client.DefaultRequestHeaders.Add("Cookie", $"ladybug.auth={cookie}");
        return client;
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*>")]
    private static partial Regex TokenField();

    [GeneratedRegex("value=\"([^\"]+)\"")]
    private static partial Regex ValueAttribute();
}
