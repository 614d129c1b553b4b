using System.Net;
using System.Text.Json;

namespace Ladybug.Tests.Unit.Web.Api;

[Collection(McksApiCollection.Name)]
public sealed class McksOpenApiTests(McksApiFixture fixture)
{
    [Fact]
    public async Task TheDocumentIsAnonymousAndDescribesEveryMcksRouteAndNothingElse()
    {
        using var anonymous = fixture.Console.CreateClientWith(null);

        var response = await anonymous.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths");
        var operations = paths.EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => $"{o.Name.ToUpperInvariant()} {p.Name}"))
            .Order(StringComparer.Ordinal);
        Assert.Equal(
        [
            "DELETE /mcks/ns/{ns}/clusters/{cluster}",
            "DELETE /mcks/ns/{ns}/clusters/{cluster}/nodes/{node}",
            "GET /mcks/healthy",
            "GET /mcks/mcir/connections",
            "GET /mcks/mcir/connections/{connection}/specs",
            "GET /mcks/ns/{ns}/clusters",
            "GET /mcks/ns/{ns}/clusters/{cluster}",
            "GET /mcks/ns/{ns}/clusters/{cluster}/kubeconfig",
            "GET /mcks/ns/{ns}/clusters/{cluster}/logs",
            "GET /mcks/ns/{ns}/clusters/{cluster}/nodes",
            "GET /mcks/ns/{ns}/clusters/{cluster}/nodes/{node}",
            "POST /mcks/ns/{ns}/clusters",
            "POST /mcks/ns/{ns}/clusters/{cluster}/certificates/renew",
            "POST /mcks/ns/{ns}/clusters/{cluster}/nodes",
        ], operations);
        var schemes = document.RootElement.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal(("basic", "bearer"), (schemes.GetProperty("basic").GetProperty("scheme").GetString(), schemes.GetProperty("bearer").GetProperty("scheme").GetString()));
        var createBody = paths.GetProperty("/mcks/ns/{ns}/clusters").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema").GetRawText();
        Assert.Contains("\"controlPlane\"", createBody);
        Assert.Contains("\"loadbalancer\"", createBody);
        Assert.DoesNotContain("credential", document.RootElement.GetRawText());
        Assert.DoesNotContain("clusterConfig", document.RootElement.GetRawText());
    }

    [Fact]
    public async Task TheReferencePageAndItsScriptAreServedWithoutSignIn()
    {
        using var anonymous = fixture.Console.CreateClientWith(null);

        var page = await anonymous.GetAsync("/api/reference/");
        var script = await anonymous.GetAsync("/api/reference/scalar.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("openapi/v1.json", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }
}
