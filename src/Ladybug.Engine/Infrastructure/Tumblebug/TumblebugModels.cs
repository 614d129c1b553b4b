using System.Text.Json.Serialization;

namespace Ladybug.Engine.Infrastructure.Tumblebug;

// The subset of Tumblebug v0.13's wire JSON the client reads and writes (src/core/model/*.go).
// Names follow the camelCase policy of TumblebugJsonContext; [JsonPropertyName] marks where the wire
// differs from it — the PascalCase keys Go emits for untagged fields, and the odd "connectionconfig".
// Setters, not init: the source-generated reader passes null for a missing init-only property, overriding its default.

public sealed class SimpleMsg
{
    public string Message { get; set; } = "";
}

public sealed class ReadyzResponse
{
    public string Message { get; set; } = "";
    public bool Ready { get; set; }
    public bool Initialized { get; set; }
}

public sealed class NsReq
{
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
}

public sealed class NsInfo
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
}

public sealed class IdList
{
    public List<string> Output { get; set; } = [];
}

public sealed class ConnConfigList
{
    [JsonPropertyName("connectionconfig")]
    public List<ConnConfig> ConnectionConfig { get; set; } = [];
}

public sealed class ConnConfig
{
    public string ConfigName { get; set; } = "";
    public string ProviderName { get; set; } = "";
    public string RegionZoneInfoName { get; set; } = "";
    public RegionZoneInfo RegionZoneInfo { get; set; } = new();
    public RegionDetail RegionDetail { get; set; } = new();
    public bool Verified { get; set; }
}

public sealed class RegionZoneInfo
{
    public string AssignedRegion { get; set; } = "";
    public string AssignedZone { get; set; } = "";
}

public sealed class RegionDetail
{
    public string RegionId { get; set; } = "";
    public string RegionName { get; set; } = "";
    public string Description { get; set; } = "";
    public Location? Location { get; set; }
    public List<string> Zones { get; set; } = [];
}

public sealed class Location
{
    public string Display { get; set; } = "";
    public double Latitude { get; set; }
    public double Longitude { get; set; }
}

public sealed class FilterSpecsByRangeRequest
{
    public string? ConnectionName { get; set; }
    public string? ProviderName { get; set; }
    public string? RegionName { get; set; }
    /// <summary>0 returns every match.</summary>
    public int Limit { get; set; }
}

public sealed class FilterSpecsResponse
{
    public List<SpecInfo> Spec { get; set; } = [];
}

public sealed class SpecInfo
{
    public string Id { get; set; } = "";
    public string CspSpecName { get; set; } = "";
    public string ConnectionName { get; set; } = "";
    public string ProviderName { get; set; } = "";
    public string RegionName { get; set; } = "";
    public string Architecture { get; set; } = "";
    [JsonPropertyName("vCPU")]
    public int VCpu { get; set; }
    public double MemoryGiB { get; set; }
    public double CostPerHour { get; set; }
}

public sealed class SearchImageRequest
{
    public string? MatchedSpecId { get; set; }
    public string? ProviderName { get; set; }
    public string? RegionName { get; set; }
    /// <summary>e.g. "ubuntu 22.04".</summary>
    public string? OsType { get; set; }
    public string? OsArchitecture { get; set; }
    public bool? IncludeBasicImageOnly { get; set; }
    public int? MaxResults { get; set; }
}

public sealed class SearchImageResponse
{
    public int ImageCount { get; set; }
    public List<ImageInfo> ImageList { get; set; } = [];
}

public sealed class ImageInfo
{
    public string Id { get; set; } = "";
    public string CspImageName { get; set; } = "";
    public string ProviderName { get; set; } = "";
    public string OsType { get; set; } = "";
    public string OsArchitecture { get; set; } = "";
    public string OsDistribution { get; set; } = "";
    public bool IsBasicImage { get; set; }
}

public sealed class InfraDynamicReq
{
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public Dictionary<string, string> Label { get; set; } = [];
    public string InstallMonAgent { get; set; } = "no";
    public string PolicyOnPartialFailure { get; set; } = "continue";
    public List<CreateNodeGroupDynamicReq> NodeGroups { get; set; } = [];
    /// <summary>The SecurityGroup template of every node group's SG (model/infra.go InfraDynamicReq.SgTemplateId); empty = "sg-default", SSH only.</summary>
    public string SgTemplateId { get; set; } = "";
}

/// <summary>Also the body of POST .../nodeGroupDynamic (AddNodeGroupDynamicReq has the same fields plus post commands we do not use).</summary>
public sealed class CreateNodeGroupDynamicReq
{
    public string Name { get; set; } = "";
    public int NodeGroupSize { get; set; } = 1;
    public string Description { get; set; } = "";
    public Dictionary<string, string> Label { get; set; } = [];
    public string SpecId { get; set; } = "";
    public string ImageId { get; set; } = "";
    public string ConnectionName { get; set; } = "";
    public string RootDiskType { get; set; } = "default";
    /// <summary>GB; 0 lets the CSP choose.</summary>
    public int RootDiskSize { get; set; }
    /// <summary>Overrides the Infra's; sent on every node group so an added one gets the cluster's firewall too.</summary>
    public string SgTemplateId { get; set; } = "";
}

public sealed class InfraInfo
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Status { get; set; } = "";
    public string TargetAction { get; set; } = "";
    public List<NodeInfo> Node { get; set; } = [];
    public List<string>? NewNodeList { get; set; }
}

public sealed class NodeInfo
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string NodeGroupId { get; set; } = "";
    public Location? Location { get; set; }
    public string Status { get; set; } = "";
    public string SystemMessage { get; set; } = "";
    public NodeRegion? Region { get; set; }
    public string PublicIP { get; set; } = "";
    public string PrivateIP { get; set; } = "";
    public int SshPort { get; set; }
    public string ConnectionName { get; set; } = "";
    public ConnConfig? ConnectionConfig { get; set; }
    public string SpecId { get; set; } = "";
}

public sealed class NodeRegion
{
    public string Region { get; set; } = "";
    public string Zone { get; set; } = "";
}

public sealed class InfraStatusResponse
{
    public InfraStatusInfo Status { get; set; } = new();
}

public sealed class InfraStatusInfo
{
    public string Id { get; set; } = "";
    public string Status { get; set; } = "";
    /// <summary>"Create" while Tumblebug is still creating; "None" once every node reached a final state.</summary>
    public string TargetAction { get; set; } = "";
    public List<NodeStatusInfo> Node { get; set; } = [];
}

public sealed class NodeStatusInfo
{
    public string Id { get; set; } = "";
    public string Status { get; set; } = "";
    public string SystemMessage { get; set; } = "";
    public string PublicIp { get; set; } = "";
    public string PrivateIp { get; set; } = "";
}

/// <summary>Go emits these untagged fields in PascalCase, whatever the swagger says.</summary>
public sealed class InfraAccessInfo
{
    [JsonPropertyName("InfraId")]
    public string InfraId { get; set; } = "";
    [JsonPropertyName("InfraNodeGroupAccessInfo")]
    public List<InfraNodeGroupAccessInfo> NodeGroups { get; set; } = [];
}

public sealed class InfraNodeGroupAccessInfo
{
    [JsonPropertyName("NodeGroupId")]
    public string NodeGroupId { get; set; } = "";
    [JsonPropertyName("BastionNodeId")]
    public string BastionNodeId { get; set; } = "";
    [JsonPropertyName("NodeAccessInfo")]
    public List<InfraNodeAccessInfo> Nodes { get; set; } = [];
}

public sealed class InfraNodeAccessInfo
{
    public string NodeId { get; set; } = "";
    public string PublicIP { get; set; } = "";
    public string PrivateIP { get; set; } = "";
    public int SshPort { get; set; }
    public string PrivateKey { get; set; } = "";
    public string NodeUserName { get; set; } = "";
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
[JsonSerializable(typeof(SecurityGroupTemplateReq))]
[JsonSerializable(typeof(SecurityGroupTemplateInfo))]
public sealed partial class TumblebugJsonContext : JsonSerializerContext;
