using System.Text.Json;
using Ladybug.Engine.Infrastructure.Tumblebug;

namespace Ladybug.Tests.Unit.Engine.Infrastructure.Tumblebug;

/// <summary>The client's models against the sample payloads written from the swagger and the reference page.</summary>
[Trait(TestTier.Category, TestTier.Unit)]
public sealed class TumblebugWireSampleTests
{
    private static T Read<T>(string sample) =>
        (T)JsonSerializer.Deserialize(WireSamples.Text(sample), typeof(T), TumblebugJsonContext.Default)!;

    private static JsonElement Written<T>(T value) =>
        JsonSerializer.SerializeToElement(value, typeof(T), TumblebugJsonContext.Default);

    [Fact]
    public void AccessInfoIsReadFromItsPascalCaseKeys()
    {
        var access = Read<InfraAccessInfo>("infra-access-info.json");

        Assert.Equal("c1", access.InfraId);
        var group = Assert.Single(access.NodeGroups);
        Assert.Equal("cp", group.NodeGroupId);
        var node = Assert.Single(group.Nodes);
        Assert.Equal(("cp-1", "13.112.40.21", "10.1.0.4", 22, "cb-user"), (node.NodeId, node.PublicIP, node.PrivateIP, node.SshPort, node.NodeUserName));
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", node.PrivateKey);
    }

    [Fact]
    public void AccessInfoInTheSwaggersCamelCaseIsNotTakenForTheWireShape()
    {
        const string swaggerShape = """{"infraId":"c1","infraNodeGroupAccessInfo":[{"nodeGroupId":"cp","nodeAccessInfo":[{"nodeId":"cp-1"}]}]}""";

        var access = (InfraAccessInfo)JsonSerializer.Deserialize(swaggerShape, typeof(InfraAccessInfo), TumblebugJsonContext.Default)!;

        Assert.Equal("", access.InfraId);
        Assert.Empty(access.NodeGroups);
    }

    [Fact]
    public void ConnectionListIsReadFromItsLowerCaseWrapperWithLocation()
    {
        var connection = Assert.Single(Read<ConnConfigList>("conn-config-list.json").ConnectionConfig);

        Assert.Equal(("aws-ap-northeast-1", "aws", "ap-northeast-1", "ap-northeast-1a"),
            (connection.ConfigName, connection.ProviderName, connection.RegionZoneInfo.AssignedRegion, connection.RegionZoneInfo.AssignedZone));
        Assert.Equal(("Japan (Tokyo)", 35.41, 139.42),
            (connection.RegionDetail.Location!.Display, connection.RegionDetail.Location.Latitude, connection.RegionDetail.Location.Longitude));
    }

    [Fact]
    public void SpecsAreReadWithVcpuAndMemory()
    {
        var spec = Assert.Single(Read<FilterSpecsResponse>("filter-specs-response.json").Spec);

        Assert.Equal(("aws+ap-northeast-1+t3.medium", "t3.medium", "aws-ap-northeast-1", 2, 4.0, 0.0416),
            (spec.Id, spec.CspSpecName, spec.ConnectionName, spec.VCpu, spec.MemoryGiB, spec.CostPerHour));
    }

    [Fact]
    public void ImageSearchIsReadWithOsType()
    {
        var found = Read<SearchImageResponse>("search-image-response.json");

        Assert.Equal(1, found.ImageCount);
        var image = Assert.Single(found.ImageList);
        Assert.Equal(("ami-0e07ba22543b43e47", "ubuntu 22.04", true), (image.Id, image.OsType, image.IsBasicImage));
    }

    [Fact]
    public void InfraIsReadWithNodeRegionConnectionAndSpec()
    {
        var infra = Read<InfraInfo>("infra-info.json");

        var node = Assert.Single(infra.Node);
        Assert.Equal(("cp-1", "cp", "Running", "aws+ap-northeast-1+t3.medium"), (node.Id, node.NodeGroupId, node.Status, node.SpecId));
        Assert.Equal(("ap-northeast-1", "ap-northeast-1a"), (node.Region!.Region, node.Region.Zone));
        Assert.Equal(("13.112.40.21", "10.1.0.4", 22), (node.PublicIP, node.PrivateIP, node.SshPort));
        Assert.Equal("aws", node.ConnectionConfig!.ProviderName);
        Assert.Equal(35.41, node.Location!.Latitude);
    }

    [Fact]
    public void StatusIsReadFromItsWrapper()
    {
        var status = Read<InfraStatusResponse>("infra-status.json").Status;

        Assert.Equal(("Running:1 (R:1/1)", "None"), (status.Status, status.TargetAction));
        var node = Assert.Single(status.Node);
        Assert.Equal(("cp-1", "Running", "13.112.40.21", "10.1.0.4"), (node.Id, node.Status, node.PublicIp, node.PrivateIp));
    }

    [Fact]
    public void ReadinessErrorsAndDeletesAreRead()
    {
        Assert.True(Read<ReadyzResponse>("readyz.json").Ready);
        Assert.Equal("Deleted the Node info", Read<SimpleMsg>("simple-msg.json").Message);
        Assert.Equal(3, Read<IdList>("id-list.json").Output.Count);
        Assert.Equal("default", Read<NsInfo>("ns-info.json").Id);
    }

    [Fact]
    public void RequestsUseOnlyKeysTheSamplesKnow()
    {
        var group = new CreateNodeGroupDynamicReq
        {
            Name = "w1", NodeGroupSize = 2, Description = "pool", Label = new() { ["ladybug-pool"] = "w1" },
            SpecId = "aws+ap-northeast-1+t3.medium", ImageId = "ami-0e07ba22543b43e47", ConnectionName = "aws-ap-northeast-1",
        };
        var infra = new InfraDynamicReq { Name = "c1", Description = "d", Label = new() { ["managed-by"] = "ladybug" }, NodeGroups = [group] };
        var filter = new FilterSpecsByRangeRequest { ConnectionName = "aws-ap-northeast-1", ProviderName = "aws", RegionName = "ap-northeast-1" };
        var search = new SearchImageRequest
        {
            MatchedSpecId = "aws+ap-northeast-1+t3.medium", ProviderName = "aws", RegionName = "ap-northeast-1",
            OsType = "ubuntu 22.04", OsArchitecture = "x86_64", IncludeBasicImageOnly = true, MaxResults = 20,
        };

        Assert.Empty(WireSamples.ShapeDifferences(WireSamples.Json("infra-dynamic-request.json"), Written(infra), subset: true));
        Assert.Empty(WireSamples.ShapeDifferences(WireSamples.Json("node-group-dynamic-request.json"), Written(group), subset: true));
        Assert.Empty(WireSamples.ShapeDifferences(WireSamples.Json("filter-specs-request.json"), Written(filter), subset: true));
        Assert.Empty(WireSamples.ShapeDifferences(WireSamples.Json("search-image-request.json"), Written(search), subset: true));
        Assert.Empty(WireSamples.ShapeDifferences(WireSamples.Json("ns-request.json"), Written(new NsReq { Name = "a", Description = "b" }), subset: true));
    }

    [Fact]
    public void ShapeComparisonNoticesARenamedKey()
    {
        var renamed = JsonDocument.Parse(WireSamples.Text("infra-access-info.json").Replace("\"NodeAccessInfo\"", "\"nodeAccessInfo\"")).RootElement;

        var differences = WireSamples.ShapeDifferences(WireSamples.Json("infra-access-info.json"), renamed);

        Assert.Contains("$.InfraNodeGroupAccessInfo[0].NodeAccessInfo: missing", differences);
        Assert.Contains("$.InfraNodeGroupAccessInfo[0].nodeAccessInfo: not in the sample", differences);
    }
}
