using System.Net;
using System.Text;
using Ladybug.Api.Contracts;
using Ladybug.Tests.Support;
using Ladybug.Tests.Unit.Web.Api;

namespace Ladybug.Tests.Unit.Web.Security;

/// <summary>
/// Issue 16, item 3: a page on another port of the same host or a sibling subdomain is "same site", so the browser
/// sends it the console's cookie; it must not create, delete or download anything with it.
/// </summary>
public sealed class CrossSiteRequestTests(SecurityConsoleFixture fixture) : IClassFixture<SecurityConsoleFixture>
{
    private static HttpRequestMessage Create(string ns, string? origin, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/mcks/ns/{ns}/clusters")
        {
            Content = new StringContent(ClustersApiTests.McksSampleBody("csrf"), Encoding.UTF8, contentType),
        };
        if (origin is not null) request.Headers.Add("Origin", origin);
        return request;
    }

    [Theory]
    [InlineData("http://127.0.0.1:1")]
    [InlineData("http://evil.localhost")]
    [InlineData("null")]
    public async Task ACookieCreateFromAnotherOriginIs403AndCreatesNothing(string origin)
    {
        using var browser = await fixture.SignedInAsync();
        var ns = McksApiFixture.NewNamespace();

        var response = await browser.Http.SendAsync(Create(ns, origin));

        await response.ReadStatusAsync(HttpStatusCode.Forbidden);
        var list = await (await browser.Http.GetAsync($"/mcks/ns/{ns}/clusters")).ReadAsync<ClusterList>(HttpStatusCode.OK);
        Assert.Empty(list.Items);
    }

    [Fact]
    public async Task ACookieCreateWithoutOriginIs403()
    {
        using var browser = await fixture.SignedInAsync();

        var response = await browser.Http.SendAsync(Create(McksApiFixture.NewNamespace(), origin: null));

        await response.ReadStatusAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ACookieCreateFromTheConsolesOwnPageIsAccepted()
    {
        using var browser = await fixture.SignedInAsync();

        var response = await browser.Http.SendAsync(Create(McksApiFixture.NewNamespace(), browser.Origin));

        await response.ReadAsync<ClusterResource>(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task ACookieDeleteFromASiblingIs403()
    {
        using var browser = await fixture.SignedInAsync();
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/mcks/ns/default/clusters/anything");
        request.Headers.Add("Origin", "http://other.localhost:8080");

        var response = await browser.Http.SendAsync(request);

        await response.ReadStatusAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data")]
    public async Task AnApiBodyThatIsNotDeclaredJsonIs415EvenWithCredentials(string contentType)
    {
        using var client = fixture.Console.CreateAdminClient();
        var ns = McksApiFixture.NewNamespace();

        var response = await client.SendAsync(Create(ns, origin: null, contentType));

        await response.ReadStatusAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task ADownloadAFetchFromAnotherSiteAsksForIs403()
    {
        using var browser = await fixture.SignedInAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/clusters/default/anything/log");
        request.Headers.Add("Sec-Fetch-Site", "same-site");

        var response = await browser.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task SignOutFromAnotherOriginIs403()
    {
        using var browser = await fixture.SignedInAsync();

        var response = await browser.PostFormAsync("/account/logout", origin: "http://127.0.0.1:1");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/mcks/ns/default/clusters")).StatusCode);
    }
}
