using System.Net;
using Ladybug.Api.Contracts;
using Ladybug.Tests.Support;
using Ladybug.Web.Api;

namespace Ladybug.Tests.Unit.Web.Api;

/// <summary>
/// cb-mcks's root URL moved from /mcks (≤ v0.7.1) to /ladybug (v0.7.2) and could be set with BASE_URL
/// (cb-mcks src/core/app/config.go:33 @v0.7.0, @v0.7.2): Ladybug answers under both, and under its BaseUrl.
/// </summary>
[Collection(McksApiCollection.Name)]
public sealed class McksRootsTests(McksApiFixture fixture)
{
    private readonly HttpClient _admin = fixture.Admin;

    [Theory]
    [InlineData("/mcks/healthy")]
    [InlineData("/ladybug/healthy")]
    [InlineData("/LADYBUG/healthy")]
    public async Task TheProbeAnswersUnderEveryRoot(string path)
    {
        using var anonymous = fixture.Console.CreateClientWith(null);

        var response = await anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("cb-barista cb-mcks", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AClusterCreatedUnderLadybugIsAnsweredWithALadybugLocationAndIsTheSameClusterUnderMcks()
    {
        var ns = McksApiFixture.NewNamespace();

        var created = await _admin.PostJsonAsync($"/ladybug/ns/{ns}/clusters", ClustersApiTests.McksSampleBody("cluster-01"));

        await created.ReadAsync<ClusterResource>(HttpStatusCode.Accepted);
        Assert.Equal($"/ladybug/ns/{ns}/clusters/cluster-01", created.Headers.Location?.OriginalString);
        var viaMcks = await (await _admin.GetAsync($"/mcks/ns/{ns}/clusters/cluster-01")).ReadAsync<ClusterResource>(HttpStatusCode.OK);
        var viaLadybug = await (await _admin.GetAsync($"/ladybug/ns/{ns}/clusters/cluster-01")).ReadAsync<ClusterResource>(HttpStatusCode.OK);
        Assert.Equal(("cluster-01", viaMcks.CreatedTime), (viaLadybug.Name, viaLadybug.CreatedTime));
        Assert.Equal("multi", viaLadybug.ServiceType);
    }

    [Fact]
    public async Task AnUnknownPathUnderLadybugIsAStatus404QuotingThePathAsSent()
    {
        var status = await (await _admin.GetAsync("/ladybug/ns/x/clusterz")).ReadStatusAsync(HttpStatusCode.NotFound);

        Assert.Contains("GET /ladybug/ns/x/clusterz is not a route of the MCKS API", status.Message);
    }

    [Fact]
    public async Task SignInIsRequiredUnderLadybugAndItsRefusalIsAStatus()
    {
        using var anonymous = fixture.Console.CreateClientWith(null);

        var status = await (await anonymous.GetAsync($"/ladybug/ns/{McksApiFixture.NewNamespace()}/clusters")).ReadStatusAsync(HttpStatusCode.Unauthorized);

        Assert.Contains("Authentication required", status.Message);
    }

    [Fact]
    public async Task APathThatOnlyStartsWithTheRootsLettersIsNotRewritten()
    {
        var response = await _admin.GetAsync("/ladybugs/ns/x/clusters");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEqual("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("multi")]
    [InlineData("MULTI")]
    [InlineData("")]
    public async Task ServiceTypeMultiIsTodaysCluster(string serviceType)
    {
        var ns = McksApiFixture.NewNamespace();

        var response = await _admin.PostJsonAsync($"/ladybug/ns/{ns}/clusters", WithServiceType(serviceType));

        await response.ReadAsync<ClusterResource>(HttpStatusCode.Accepted);
    }

    [Theory]
    [InlineData("single", "Single-cloud clusters (serviceType \"single\", nodes joined over private addresses) are not supported yet")]
    [InlineData("hybrid", "serviceType must be \"multi\" or \"single\" (got 'hybrid').")]
    public async Task AnyOtherServiceTypeIsAFieldError(string serviceType, string expected)
    {
        var response = await _admin.PostJsonAsync($"/ladybug/ns/{McksApiFixture.NewNamespace()}/clusters", WithServiceType(serviceType));

        var status = await response.ReadStatusAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith(expected, Assert.Single(status.Errors!["serviceType"]));
    }

    [Theory]
    [InlineData("/cb-mcks", null)]
    [InlineData("/apis/mcks/v1", null)]
    [InlineData("", null)]
    [InlineData("/", "must be a path like /cb-mcks")]
    [InlineData("cb-mcks", "must be a path like /cb-mcks")]
    [InlineData("/cb-mcks/", "must be a path like /cb-mcks")]
    [InlineData("/clusters", "would hide the console's own")]
    [InlineData("/api/mcks", "would hide the console's own")]
    [InlineData("/cb mcks", "must be a plain path")]
    public void ABaseUrlMustBeAPathTheConsoleDoesNotUse(string baseUrl, string? problem)
    {
        var found = McksRoots.Problem(baseUrl);

        if (problem is null) Assert.Null(found);
        else Assert.Contains(problem, found);
    }

    private static string WithServiceType(string serviceType) =>
        ClustersApiTests.McksSampleBody("cluster-01").Replace("\"description\": \"\",", $"\"description\": \"\", \"serviceType\": \"{serviceType}\",", StringComparison.Ordinal);
}

/// <summary>Ladybug:Api:BaseUrl adds a root, as cb-mcks's BASE_URL set its only one.</summary>
public sealed class McksBaseUrlTests : IDisposable
{
    private readonly TestConsole _console = new(
        services => services.AddScriptedJobs(new ScriptedJobs()).AddFakeCloud(new FakeCloud()),
        new Dictionary<string, string?> { ["Ladybug:Api:BaseUrl"] = "/cb-mcks" });

    public void Dispose() => _console.Dispose();

    [Fact]
    public async Task TheApiAnswersUnderTheBaseUrlBesidesMcksAndLadybug()
    {
        using var admin = _console.CreateAdminClient();
        var ns = McksApiFixture.NewNamespace();

        foreach (var root in new[] { "/cb-mcks", "/mcks", "/ladybug" })
            Assert.Empty((await (await admin.GetAsync($"{root}/ns/{ns}/clusters")).ReadAsync<ClusterList>(HttpStatusCode.OK)).Items);
    }
}
