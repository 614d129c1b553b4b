using System.Net;
using Ladybug.Api.Contracts;
using Ladybug.Tests.Support;

namespace Ladybug.Tests.Unit.Web.Api;

[Collection(McksApiCollection.Name)]
public sealed class SpecsApiTests(McksApiFixture fixture)
{
    /// <summary>A connection of the fake cloud's catalog; it offers <see cref="McksApiFixture.AwsSizes"/>.</summary>
    public const string Connection = "aws-ap-northeast-1";

    private readonly HttpClient _admin = fixture.Admin;

    private static string Specs(string connection, string query = "") => $"/mcks/mcir/connections/{connection}/specs{query}";

    private async Task<IReadOnlyList<string>> NamesAsync(string query)
    {
        var list = await (await _admin.GetAsync(Specs(Connection, query))).ReadAsync<SpecList>(HttpStatusCode.OK);
        Assert.Equal(("specList", Connection), (list.Kind, list.ConnectionName));
        return [.. list.Items.Select(i => i.Name)];
    }

    [Fact]
    public async Task ForWorkersTheDefaultMinimumIsOneCpuAndOneGib() =>
        Assert.Equal(["t3.micro", "t3.small", "t3.medium", "c5.xlarge", "m5.4xlarge"], await NamesAsync(""));

    [Fact]
    public async Task ForAControlPlaneTheDefaultMinimumIsTwoCpusAndTwoGib() =>
        Assert.Equal(["t3.medium", "c5.xlarge", "m5.4xlarge"], await NamesAsync("?control-plane=Y"));

    [Fact]
    public async Task ExplicitFiltersBoundCpuAndMemory() =>
        Assert.Equal(["c5.xlarge"], await NamesAsync("?control-plane=N&cpu-min=2&cpu-max=8&memory-min=5&memory-max=32"));

    [Fact]
    public async Task ItemsCarryMemoryInGibAndTheCpuCount()
    {
        var list = await (await _admin.GetAsync(Specs(Connection, "?cpu-min=16"))).ReadAsync<SpecList>(HttpStatusCode.OK);

        var item = Assert.Single(list.Items);
        Assert.Equal(("m5.4xlarge", 64d, 16, 0.768), (item.Name, item.Memory, item.Cpu.Count, item.CostPerHour));
    }

    [Theory]
    [InlineData("?control-plane=maybe", "control-plane")]
    [InlineData("?cpu-min=two", "cpu-min")]
    [InlineData("?memory-max=-1", "memory-max")]
    [InlineData("?cpu-min=8&cpu-max=4", "cpu-min")]
    [InlineData("?memory-min=8&memory-max=4", "memory-min")]
    public async Task BadFiltersAre400WithTheParameterNamed(string query, string field)
    {
        var status = await (await _admin.GetAsync(Specs(Connection, query))).ReadStatusAsync(HttpStatusCode.BadRequest);

        Assert.Contains(field, status.Errors!.Keys);
    }

    [Fact]
    public async Task AnUnknownConnectionIs404() =>
        Assert.Contains("does not exist", (await (await _admin.GetAsync(Specs("config-nowhere"))).ReadStatusAsync(HttpStatusCode.NotFound)).Message);

    [Fact]
    public async Task ABrokerFailureIs502WithItsMessage() =>
        Assert.Contains("connection refused by the CSP driver",
            (await (await _admin.GetAsync(Specs(FakeCloud.BrokenConnection))).ReadStatusAsync(HttpStatusCode.BadGateway)).Message);
}
