using System.Net;

namespace Ladybug.Tests.Unit.Web.Api;

/// <summary>MCKS returned each node's SSH private key as <c>credential</c>; Ladybug never returns one.</summary>
[Collection(McksApiCollection.Name)]
public sealed class SecretLeakTests(McksApiFixture fixture)
{
    [Fact]
    public async Task NoResponseCarriesAPrivateKeyOrTheKubeconfigOutsideItsOwnRoute()
    {
        var ns = McksApiFixture.NewNamespace();
        var seeded = await ClusterSeeder.ProvisionedAsync(fixture.Services, ns, "secret");
        await ClusterSeeder.AppendLogAsync(fixture.Services, seeded.Id, "bootstrapping secret-cp-1");
        var cluster = $"/mcks/ns/{ns}/clusters/secret";
        string[] routes =
        [
            $"/mcks/ns/{ns}/clusters", cluster, $"{cluster}/nodes", $"{cluster}/nodes/secret-cp-1", $"{cluster}/nodes/secret-w1-1",
            $"{cluster}/logs", $"{cluster}/kubeconfig", $"{cluster}/nodes/nobody", "/openapi/v1.json",
        ];
        var keyBody = ClusterSeeder.PrivateKey.Split('\n')[1];
        var kubeconfigKey = "c2VlZGVkLWt1YmVjb25maWcta2V5";

        foreach (var route in routes)
        {
            var response = await fixture.Admin.GetAsync(route);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{route}: {(int)response.StatusCode}");
            Assert.DoesNotContain("PRIVATE KEY", body);
            Assert.DoesNotContain(keyBody, body);
            Assert.DoesNotContain("credential", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("CfDJ8", body); // the Data Protection payload prefix: no sealed value either
            if (!route.EndsWith("/kubeconfig"))
            {
                Assert.DoesNotContain(kubeconfigKey, body);
                Assert.DoesNotContain("clusterConfig", body);
            }
        }
    }
}
