using System.Net;
using System.Net.Http.Headers;
using Ladybug.Api.Contracts;
using Ladybug.Engine.Accounts;
using Microsoft.Extensions.DependencyInjection;
using Ladybug.Tests.Support;

namespace Ladybug.Tests.Unit.Web.Api;

[Collection(McksApiCollection.Name)]
public sealed class McksAuthTests(McksApiFixture fixture)
{
    public static TheoryData<string, string> ProtectedRoutes => new()
    {
        { "GET", "/mcks/ns/default/clusters" },
        { "POST", "/mcks/ns/default/clusters" },
        { "GET", "/mcks/ns/default/clusters/c" },
        { "DELETE", "/mcks/ns/default/clusters/c" },
        { "GET", "/mcks/ns/default/clusters/c/kubeconfig" },
        { "GET", "/mcks/ns/default/clusters/c/logs" },
        { "GET", "/mcks/ns/default/clusters/c/nodes" },
        { "POST", "/mcks/ns/default/clusters/c/nodes" },
        { "GET", "/mcks/ns/default/clusters/c/nodes/n" },
        { "DELETE", "/mcks/ns/default/clusters/c/nodes/n" },
        { "GET", "/mcks/mcir/connections" },
        { "GET", "/mcks/mcir/connections/config-aws-ap-northeast-2/specs" },
        { "GET", "/mcks/not-a-route" },
    };

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method is "POST" ? new StringContent(ClustersApiTests.McksSampleBody("sneaky")) : null,
    };

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task WithoutCredentialsEveryRouteIs401WithAStatusBodyNotARedirect(string method, string path)
    {
        using var anonymous = fixture.Console.CreateClientWith(null);

        var status = await (await anonymous.SendAsync(Request(method, path))).ReadStatusAsync(HttpStatusCode.Unauthorized);

        Assert.Contains("Bearer", status.Message);
    }

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task AWrongPasswordIs401OnEveryRoute(string method, string path)
    {
        using var client = fixture.Console.CreateClientWith(new AuthenticationHeaderValue("Basic", TestConsole.BasicCredentials(TestConsole.AdminUser, "wrong")));

        var response = await client.SendAsync(Request(method, path));

        var status = await response.ReadStatusAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("Wrong user name or password", status.Message);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task BasicCredentialsOfAConsoleUserWorkAsForMcksScripts()
    {
        using var client = fixture.Console.CreateClientWith(new AuthenticationHeaderValue("Basic", TestConsole.BasicCredentials(TestConsole.AdminUser, TestConsole.AdminPassword)));

        var list = await (await client.GetAsync($"/mcks/ns/{McksApiFixture.NewNamespace()}/clusters")).ReadAsync<ClusterList>(HttpStatusCode.OK);

        Assert.Empty(list.Items);
    }

    [Fact]
    public async Task AnUnknownUserIs401()
    {
        using var client = fixture.Console.CreateClientWith(new AuthenticationHeaderValue("Basic", TestConsole.BasicCredentials("mallory", TestConsole.AdminPassword)));

        await (await client.GetAsync("/mcks/ns/default/clusters")).ReadStatusAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnUnknownBearerTokenIs401()
    {
        using var client = fixture.Console.CreateClientWith(new AuthenticationHeaderValue("Bearer", "lbt_notatoken"));

        var status = await (await client.GetAsync("/mcks/ns/default/clusters")).ReadStatusAsync(HttpStatusCode.Unauthorized);

        Assert.Contains("Unknown or revoked API token", status.Message);
    }

    [Fact]
    public async Task ABearerTokenFromTheConsoleWorksUntilRevoked()
    {
        var accounts = fixture.Services.GetRequiredService<AccountService>();
        var (token, plaintext) = await accounts.CreateTokenAsync(TestConsole.AdminUser, "ci", CancellationToken.None);
        using var client = fixture.Console.CreateClientWith(new AuthenticationHeaderValue("Bearer", plaintext));
        var ns = McksApiFixture.NewNamespace();

        var created = await (await client.PostJsonAsync($"/mcks/ns/{ns}/clusters", ClustersApiTests.McksSampleBody("by-token")))
            .ReadAsync<ClusterResource>(HttpStatusCode.Accepted);
        await accounts.RevokeTokenAsync(token.Id, CancellationToken.None);
        var afterRevoke = await client.GetAsync($"/mcks/ns/{ns}/clusters");

        Assert.Equal("by-token", created.Name);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
    }

    [Fact]
    public async Task HealthyIsAnonymousAndAnswersLikeMcks()
    {
        using var anonymous = fixture.Console.CreateClientWith(null);

        var response = await anonymous.GetAsync("/mcks/healthy");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("cb-barista cb-mcks", await response.Content.ReadAsStringAsync());
    }
}
