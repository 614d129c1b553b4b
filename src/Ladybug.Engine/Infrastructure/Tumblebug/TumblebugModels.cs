using System.Text.Json.Serialization;

namespace Ladybug.Engine.Infrastructure.Tumblebug;

// The subset of Tumblebug v0.13's wire JSON the client reads and writes (src/core/model/*.go).
// Names follow the camelCase policy of TumblebugJsonContext; [JsonPropertyName] marks where the wire
// differs from it — the PascalCase keys Go emits for untagged fields, and the odd "connectionconfig".
// Setters, not init: the source-generated reader passes null for a missing init-only property, overriding its default.
// Every list read from Tumblebug turns null into empty: Go writes a nil slice as null (no connection verified yet, a
// node group whose nodes are all Terminated…), and System.Text.Json would otherwise assign that null over the default.

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
    private List<string> _output = [];

    public List<string> Output { get => _output; set => _output = value ?? []; }
}

public sealed class ConnConfigList
{
    private List<ConnConfig> _connectionConfig = [];

    [JsonPropertyName("connectionconfig")]
    public List<ConnConfig> ConnectionConfig { get => _connectionConfig; set => _connectionConfig = value ?? []; }
}

public sealed class ConnConfig
{
    private RegionZoneInfo _regionZoneInfo = new();
    private RegionDetail _regionDetail = new();

    public string ConfigName { get; set; } = "";
    public string ProviderName { get; set; } = "";
    public string RegionZoneInfoName { get; set; } = "";
    public RegionZoneInfo RegionZoneInfo { get => _regionZoneInfo; set => _regionZoneInfo = value ?? new(); }
    public RegionDetail RegionDetail { get => _regionDetail; set => _regionDetail = value ?? new(); }
    public bool Verified { get; set; }
}

public sealed class RegionZoneInfo
{
    public string AssignedRegion { get; set; } = "";
    public string AssignedZone { get; set; } = "";
}

public sealed class RegionDetail
{
    private List<string> _zones = [];

    public string RegionId { get; set; } = "";
    public string RegionName { get; set; } = "";
    public string Description { get; set; } = "";
    public Location? Location { get; set; }
    public List<string> Zones { get => _zones; set => _zones = value ?? []; }
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
    private List<SpecInfo> _spec = [];

    public List<SpecInfo> Spec { get => _spec; set => _spec = value ?? []; }
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
    private List<ImageInfo> _imageList = [];

    public int ImageCount { get; set; }
    public List<ImageInfo> ImageList { get => _imageList; set => _imageList = value ?? []; }
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
    private List<NodeInfo> _node = [];

    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Status { get; set; } = "";
    public string TargetAction { get; set; } = "";
    public List<NodeInfo> Node { get => _node; set => _node = value ?? []; }
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
    private InfraStatusInfo _status = new();

    public InfraStatusInfo Status { get => _status; set => _status = value ?? new(); }
}

public sealed class InfraStatusInfo
{
    private List<NodeStatusInfo> _node = [];

    public string Id { get; set; } = "";
    public string Status { get; set; } = "";
    /// <summary>"Create" while Tumblebug is still creating; "None" once every node reached a final state.</summary>
    public string TargetAction { get; set; } = "";
    public List<NodeStatusInfo> Node { get => _node; set => _node = value ?? []; }
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
    private List<InfraNodeGroupAccessInfo> _nodeGroups = [];

    [JsonPropertyName("InfraId")]
    public string InfraId { get; set; } = "";
    [JsonPropertyName("InfraNodeGroupAccessInfo")]
    public List<InfraNodeGroupAccessInfo> NodeGroups { get => _nodeGroups; set => _nodeGroups = value ?? []; }
}

public sealed class InfraNodeGroupAccessInfo
{
    private List<InfraNodeAccessInfo> _nodes = [];

    [JsonPropertyName("NodeGroupId")]
    public string NodeGroupId { get; set; } = "";
    [JsonPropertyName("BastionNodeId")]
    public string BastionNodeId { get; set; } = "";
    [JsonPropertyName("NodeAccessInfo")]
    public List<InfraNodeAccessInfo> Nodes { get => _nodes; set => _nodes = value ?? []; }
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

/// <summary>clientManager.RequestDetails: the fields that tell a running call from a finished one (responseData is not read).</summary>
public sealed class RequestDetails
{
    /// <summary>"Handling", "Success" or "Error".</summary>
    public string Status { get; set; } = "";
    public string ErrorResponse { get; set; } = "";
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
[JsonSerializable(typeof(RequestDetails))]
[JsonSerializable(typeof(SecurityGroupTemplateReq))]
[JsonSerializable(typeof(SecurityGroupTemplateInfo))]
public sealed partial class TumblebugJsonContext : JsonSerializerContext;
