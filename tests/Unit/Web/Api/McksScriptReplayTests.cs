using System.Net;
using Ladybug.Api.Contracts;
using Ladybug.Tests.Support;
using static Ladybug.Tests.Support.McksScriptRequests;

namespace Ladybug.Tests.Unit.Web.Api;

/// <summary>
/// cb-mcks's own docs/test scripts, replayed request for request (see <see cref="McksScriptRequests"/>): where a
/// script is broken, Ladybug's answer names what is wrong; once repaired, the body is accepted under the root of
/// the script's release. The whole journey on the sandbox is the E2E McksScriptJourneyTests.
/// </summary>
[Collection(McksApiCollection.Name)]
public sealed class McksScriptReplayTests(McksApiFixture fixture) : IDisposable
{
    // The scripts' c_AUTH is HTTP Basic (docs/test/conf.env); the console's administrator stands in for default:default.
    private readonly HttpClient _basic = fixture.Console.CreateBasicClient();

    public void Dispose() => _basic.Dispose();

    [Fact]
    public async Task TheV070CreateBodyIsRefusedAtTheMissingCommaWithItsLine()
    {
        var response = await _basic.SendAsync(Request(HttpMethod.Post, $"/mcks/ns/{McksApiFixture.NewNamespace()}/clusters", ClusterCreateV070("cluster-01")));

        var status = await response.ReadStatusAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith($"The request body is not valid JSON (line {V070MissingCommaLine}, ", status.Message);
        Assert.Contains("Expected either ','", status.Message);
    }

    [Theory]
    [InlineData("/mcks", "v0.7.0")]
    [InlineData("/ladybug", "v0.7.2")]
    public async Task DefalutRootDisksAreFieldErrorsNamingTheTypo(string root, string tag)
    {
        var body = tag == "v0.7.0" ? Repaired(ClusterCreateV070("cluster-01")).Replace("\"default\"", "\"defalut\"", StringComparison.Ordinal) : ClusterCreateV072("cluster-01", "multi");

        var response = await _basic.SendAsync(Request(HttpMethod.Post, $"{root}/ns/{McksApiFixture.NewNamespace()}/clusters", body));

        var errors = (await response.ReadStatusAsync(HttpStatusCode.BadRequest)).Errors!;
        foreach (var pool in new[] { "controlPlane[0]", "worker[0]" })
        {
            Assert.Contains("did you mean 'default'?", Assert.Single(errors[$"{pool}.rootDisk.type"]));
            Assert.Contains("got 'defalut'", Assert.Single(errors[$"{pool}.rootDisk.size"]));
        }
    }

    [Fact]
    public async Task TheV070NodeAddBodyIsRefusedForItsDefalutRootDisk()
    {
        var response = await _basic.SendAsync(Request(HttpMethod.Post, $"/mcks/ns/{McksApiFixture.NewNamespace()}/clusters/cluster-01/nodes", NodeAddV070));

        var errors = (await response.ReadStatusAsync(HttpStatusCode.BadRequest)).Errors!;
        Assert.Equal(["worker[0].rootDisk.size", "worker[0].rootDisk.type"], errors.Keys.Order());
    }

    [Fact]
    public async Task TheV072AwsBodyIsRefusedForFlannelAndTheCloudControllerRoles()
    {
        var response = await _basic.SendAsync(Request(HttpMethod.Post, $"/ladybug/ns/{McksApiFixture.NewNamespace()}/clusters", ClusterCreateAwsV072("cluster-01", "multi")));

        var errors = (await response.ReadStatusAsync(HttpStatusCode.BadRequest)).Errors!;
        Assert.Equal(["config.kubernetes.networkCni", "controlPlane[0].role", "worker[0].role"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("CNI must be canal or kilo.", Assert.Single(errors["config.kubernetes.networkCni"]));
        Assert.Contains("got 'k8s-worker-role-for-ccm'", Assert.Single(errors["worker[0].role"]));
    }

    [Fact]
    public async Task TheV072CreateWithServiceTypeSingleIsRefusedOnThatField()
    {
        var response = await _basic.SendAsync(Request(HttpMethod.Post, $"/ladybug/ns/{McksApiFixture.NewNamespace()}/clusters", Repaired(ClusterCreateV072("cluster-01", "single"))));

        var errors = (await response.ReadStatusAsync(HttpStatusCode.BadRequest)).Errors!;
        Assert.Equal(["serviceType"], errors.Keys);
    }

    [Theory]
    [InlineData("/mcks", "v0.7.0")]
    [InlineData("/ladybug", "v0.7.2")]
    public async Task RepairedBodiesAreAcceptedAndTheScriptsGetAndDeleteFindTheCluster(string root, string tag)
    {
        var ns = McksApiFixture.NewNamespace();
        var clusters = $"{root}/ns/{ns}/clusters";
        var body = Repaired(tag == "v0.7.0" ? ClusterCreateV070("cluster-01") : ClusterCreateV072("cluster-01", "multi"));

        var created = await (await _basic.SendAsync(Request(HttpMethod.Post, clusters, body))).ReadAsync<ClusterResource>(HttpStatusCode.Accepted);
        var got = await (await _basic.SendAsync(Request(HttpMethod.Get, $"{clusters}/cluster-01"))).ReadAsync<ClusterResource>(HttpStatusCode.OK);
        var deleted = await _basic.SendAsync(Request(HttpMethod.Delete, $"{clusters}/cluster-01"));

        Assert.Equal(("cluster-01", "canal", "haproxy"), (created.Name, got.NetworkCni, got.Loadbalancer));
        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        Assert.Equal($"{clusters}/cluster-01", deleted.Headers.Location?.OriginalString);
    }
}
