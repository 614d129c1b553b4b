using System.Text.Json.Serialization;

namespace Ladybug.Engine.Infrastructure.Tumblebug;

// The subset of Tumblebug v0.13's wire JSON the client reads and writes (src/core/model/*.go).
// Names follow the camelCase policy of TumblebugJsonContext; [JsonPropertyName] marks where the wire
// differs from it — the PascalCase keys Go emits for untagged fields, and the odd "connectionconfig".

public sealed class SimpleMsg
{
    public string Message { get; init; } = "";
}

public sealed class ReadyzResponse
{
    public string Message { get; init; } = "";
    public bool Ready { get; init; }
    public bool Initialized { get; init; }
}

public sealed class NsReq
{
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
}

public sealed class NsInfo
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
}

public sealed class IdList
{
    public List<string> Output { get; init; } = [];
}

public sealed class ConnConfigList
{
    [JsonPropertyName("connectionconfig")]
    public List<ConnConfig> ConnectionConfig { get; init; } = [];
}

public sealed class ConnConfig
{
    public string ConfigName { get; init; } = "";
    public string ProviderName { get; init; } = "";
    public string RegionZoneInfoName { get; init; } = "";
    public RegionZoneInfo RegionZoneInfo { get; init; } = new();
    public RegionDetail RegionDetail { get; init; } = new();
    public bool Verified { get; init; }
}

public sealed class RegionZoneInfo
{
    public string AssignedRegion { get; init; } = "";
    public string AssignedZone { get; init; } = "";
}

public sealed class RegionDetail
{
    public string RegionId { get; init; } = "";
    public string RegionName { get; init; } = "";
    public string Description { get; init; } = "";
    public Location? Location { get; init; }
    public List<string> Zones { get; init; } = [];
}

public sealed class Location
{
    public string Display { get; init; } = "";
    public double Latitude { get; init; }
    public double Longitude { get; init; }
}

public sealed class FilterSpecsByRangeRequest
{
    public string? ConnectionName { get; init; }
    public string? ProviderName { get; init; }
    public string? RegionName { get; init; }
    /// <summary>0 returns every match.</summary>
    public int Limit { get; init; }
}

public sealed class FilterSpecsResponse
{
    public List<SpecInfo> Spec { get; init; } = [];
}

public sealed class SpecInfo
{
    public string Id { get; init; } = "";
    public string CspSpecName { get; init; } = "";
    public string ConnectionName { get; init; } = "";
    public string ProviderName { get; init; } = "";
    public string RegionName { get; init; } = "";
    public string Architecture { get; init; } = "";
    [JsonPropertyName("vCPU")]
    public int VCpu { get; init; }
    public double MemoryGiB { get; init; }
    public double CostPerHour { get; init; }
}

public sealed class SearchImageRequest
{
    public string? MatchedSpecId { get; init; }
    public string? ProviderName { get; init; }
    public string? RegionName { get; init; }
    /// <summary>e.g. "ubuntu 22.04".</summary>
    public string? OsType { get; init; }
    public string? OsArchitecture { get; init; }
    public bool? IncludeBasicImageOnly { get; init; }
    public int? MaxResults { get; init; }
}

public sealed class SearchImageResponse
{
    public int ImageCount { get; init; }
    public List<ImageInfo> ImageList { get; init; } = [];
}

public sealed class ImageInfo
{
    public string Id { get; init; } = "";
    public string CspImageName { get; init; } = "";
    public string ProviderName { get; init; } = "";
    public string OsType { get; init; } = "";
    public string OsArchitecture { get; init; } = "";
    public string OsDistribution { get; init; } = "";
    public bool IsBasicImage { get; init; }
}

public sealed class InfraDynamicReq
{
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    public Dictionary<string, string> Label { get; init; } = [];
    public string InstallMonAgent { get; init; } = "no";
    public string PolicyOnPartialFailure { get; init; } = "continue";
    public List<CreateNodeGroupDynamicReq> NodeGroups { get; init; } = [];
}

/// <summary>Also the body of POST .../nodeGroupDynamic (AddNodeGroupDynamicReq has the same fields plus post commands we do not use).</summary>
public sealed class CreateNodeGroupDynamicReq
{
    public string Name { get; init; } = "";
    public int NodeGroupSize { get; init; } = 1;
    public string Description { get; init; } = "";
    public Dictionary<string, string> Label { get; init; } = [];
    public string SpecId { get; init; } = "";
    public string ImageId { get; init; } = "";
    public string ConnectionName { get; init; } = "";
    public string RootDiskType { get; init; } = "default";
    /// <summary>GB; 0 lets the CSP choose.</summary>
    public int RootDiskSize { get; init; }
}

public sealed class InfraInfo
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string Status { get; init; } = "";
    public string TargetAction { get; init; } = "";
    public List<NodeInfo> Node { get; init; } = [];
    public List<string>? NewNodeList { get; init; }
}

public sealed class NodeInfo
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string NodeGroupId { get; init; } = "";
    public Location? Location { get; init; }
    public string Status { get; init; } = "";
    public string SystemMessage { get; init; } = "";
    public NodeRegion? Region { get; init; }
    public string PublicIP { get; init; } = "";
    public string PrivateIP { get; init; } = "";
    public int SshPort { get; init; }
    public string ConnectionName { get; init; } = "";
    public ConnConfig? ConnectionConfig { get; init; }
    public string SpecId { get; init; } = "";
}

public sealed class NodeRegion
{
    public string Region { get; init; } = "";
    public string Zone { get; init; } = "";
}

public sealed class InfraStatusResponse
{
    public InfraStatusInfo Status { get; init; } = new();
}

public sealed class InfraStatusInfo
{
    public string Id { get; init; } = "";
    public string Status { get; init; } = "";
    /// <summary>"Create" while Tumblebug is still creating; "None" once every node reached a final state.</summary>
    public string TargetAction { get; init; } = "";
    public List<NodeStatusInfo> Node { get; init; } = [];
}

public sealed class NodeStatusInfo
{
    public string Id { get; init; } = "";
    public string Status { get; init; } = "";
    public string SystemMessage { get; init; } = "";
    public string PublicIp { get; init; } = "";
    public string PrivateIp { get; init; } = "";
}

/// <summary>Go emits these untagged fields in PascalCase, whatever the swagger says.</summary>
public sealed class InfraAccessInfo
{
    [JsonPropertyName("InfraId")]
    public string InfraId { get; init; } = "";
    [JsonPropertyName("InfraNodeGroupAccessInfo")]
    public List<InfraNodeGroupAccessInfo> NodeGroups { get; init; } = [];
}

public sealed class InfraNodeGroupAccessInfo
{
    [JsonPropertyName("NodeGroupId")]
    public string NodeGroupId { get; init; } = "";
    [JsonPropertyName("BastionNodeId")]
    public string BastionNodeId { get; init; } = "";
    [JsonPropertyName("NodeAccessInfo")]
    public List<InfraNodeAccessInfo> Nodes { get; init; } = [];
}

public sealed class InfraNodeAccessInfo
{
    public string NodeId { get; init; } = "";
    public string PublicIP { get; init; } = "";
    public string PrivateIP { get; init; } = "";
    public int SshPort { get; init; }
    public string PrivateKey { get; init; } = "";
    public string NodeUserName { get; init; } = "";
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SimpleMsg))]
[JsonSerializable(typeof(ReadyzResponse))]
[JsonSerializable(typeof(NsReq))]
[JsonSerializable(typeof(NsInfo))]
[JsonSerializable(typeof(IdList))]
[JsonSerializable(typeof(ConnConfigList))]
[JsonSerializable(typeof(FilterSpecsByRangeRequest))]
[JsonSerializable(typeof(FilterSpecsResponse))]
[JsonSerializable(typeof(SearchImageRequest))]
[JsonSerializable(typeof(SearchImageResponse))]
[JsonSerializable(typeof(InfraDynamicReq))]
[JsonSerializable(typeof(CreateNodeGroupDynamicReq))]
[JsonSerializable(typeof(InfraInfo))]
[JsonSerializable(typeof(InfraStatusResponse))]
[JsonSerializable(typeof(InfraAccessInfo))]
public sealed partial class TumblebugJsonContext : JsonSerializerContext;
