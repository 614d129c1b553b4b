using System.Text.Json.Serialization;

namespace Ladybug.Sandbox.Emulator;

// Tumblebug v0.13's wire JSON for an Infra and its nodes (src/core/model/infra.go): the create requests, the Infra
// and node views, their status and access info. The catalog's (namespaces, connections, specs, images) is in
// TumblebugWire.cs, with the serializer options both use.

internal sealed class InfraDynamicReq
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    public Dictionary<string, string>? Label { get; init; }
    public string? SystemLabel { get; init; }
    public string? InstallMonAgent { get; init; }
    public string? PolicyOnPartialFailure { get; init; }
    public List<CreateNodeGroupDynamicReq>? NodeGroups { get; init; }
    /// <summary>Propagated to node groups that name none (provisioning.go:1954-1962 @v0.13.0).</summary>
    public string? SgTemplateId { get; init; }
}

/// <summary>Also AddNodeGroupDynamicReq, which only adds post commands the emulator does not run.</summary>
internal sealed class CreateNodeGroupDynamicReq
{
    public string? Name { get; init; }
    public int? NodeGroupSize { get; init; }
    public Dictionary<string, string>? Label { get; init; }
    public string? Description { get; init; }
    public string? SpecId { get; init; }
    public string? ImageId { get; init; }
    public string? RootDiskType { get; init; }
    public int? RootDiskSize { get; init; }
    public string? ConnectionName { get; init; }
    public string? Zone { get; init; }
    /// <summary>The SecurityGroup template of this node group's SG; empty = the Infra's, then "sg-default".</summary>
    public string? SgTemplateId { get; init; }
}

internal sealed class StatusCountInfo
{
    public int CountTotal { get; init; }
    public int CountCreating { get; init; }
    public int CountRunning { get; init; }
    public int CountFailed { get; init; }
    public int CountSuspended { get; init; }
    public int CountRebooting { get; init; }
    public int CountTerminated { get; init; }
    public int CountSuspending { get; init; }
    public int CountResuming { get; init; }
    public int CountTerminating { get; init; }
    public int CountRegistering { get; init; }
    public int CountReconciling { get; init; }
    public int CountUndefined { get; init; }
}

internal sealed class InfraInfo
{
    public string ResourceType { get; init; } = "infra";
    public string Id { get; init; } = "";
    public string Uid { get; init; } = "";
    public string Name { get; init; } = "";
    public string Status { get; init; } = "";
    public StatusCountInfo StatusCount { get; init; } = new();
    public string TargetStatus { get; init; } = "";
    public string TargetAction { get; init; } = "";
    public string InstallMonAgent { get; init; } = "no";
    public string ConfigureCloudAdaptiveNetwork { get; init; } = "no";
    public IReadOnlyDictionary<string, string> Label { get; init; } = new Dictionary<string, string>();
    public string SystemLabel { get; init; } = "";
    /// <summary>Nil until a message is appended (provisioning.go:1560, 2170-2185 @v0.13.0), so null on a clean create.</summary>
    public IReadOnlyList<string>? SystemMessage { get; init; }
    /// <summary>`json:"placementAlgo,omitempty"` (src/core/model/infra.go:207 @v0.13.0).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? PlacementAlgo { get; init; }
    public string Description { get; init; } = "";
    public IReadOnlyList<NodeInfo> Node { get; init; } = [];
    public IReadOnlyList<string>? NewNodeList { get; init; }
    public string PostCommandStatus { get; init; } = "None";
    /// <summary>`json:"creationErrors,omitempty"` (infra.go:237 @v0.13.0): only when some node failed (provisioning.go:1783-1805).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public InfraCreationErrors? CreationErrors { get; init; }
}

/// <summary>model.InfraCreationErrors (src/core/model/infra.go:303-336 @v0.13.0).</summary>
internal sealed class InfraCreationErrors
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<NodeCreationError>? NodeObjectCreationErrors { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<NodeCreationError>? NodeCreationErrors { get; init; }
    public int TotalNodeCount { get; init; }
    public int SuccessfulNodeCount { get; init; }
    public int FailedNodeCount { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? FailureHandlingStrategy { get; init; }
}

internal sealed record NodeCreationError(string NodeName, string Error, string Phase, string Timestamp);

internal sealed record NodeRegion(string Region, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] string? Zone);

internal sealed record SpecSummary(
    string CspSpecName,
    [property: JsonPropertyName("vCPU")] int VCpu,
    double MemoryGiB,
    string AcceleratorModel,
    int AcceleratorCount,
    double AcceleratorMemoryGB,
    string AcceleratorType,
    double CostPerHour);

internal sealed record ImageSummary(string ResourceType, string CspImageName, string OsType, string OsArchitecture, string OsDistribution);

internal sealed class NodeInfo
{
    public string ResourceType { get; init; } = "node";
    public string Id { get; init; } = "";
    public string Uid { get; init; } = "";
    public string CspResourceName { get; init; } = "";
    public string CspResourceId { get; init; } = "";
    public string Name { get; init; } = "";
    public string NodeGroupId { get; init; } = "";
    public Location Location { get; init; } = new("", 0, 0);
    public string Status { get; init; } = "";
    public string TargetStatus { get; init; } = "";
    public string TargetAction { get; init; } = "";
    public string MonAgentStatus { get; init; } = "";
    public string NetworkAgentStatus { get; init; } = "";
    public string SystemMessage { get; init; } = "";
    public string CreatedTime { get; init; } = "";
    public IReadOnlyDictionary<string, string> Label { get; init; } = new Dictionary<string, string>();
    public string Description { get; init; } = "";
    public NodeRegion Region { get; init; } = new("", null);
    public string PublicIP { get; init; } = "";
    public int SshPort { get; init; }
    public string PublicDNS { get; init; } = "";
    public string PrivateIP { get; init; } = "";
    public string PrivateDNS { get; init; } = "";
    public string RootDiskType { get; init; } = "";
    public int RootDiskSize { get; init; }
    [JsonPropertyName("RootDeviceName")]
    public string RootDeviceName { get; init; } = "";
    public string ConnectionName { get; init; } = "";
    public ConnConfig? ConnectionConfig { get; init; }
    public string SpecId { get; init; } = "";
    public string CspSpecName { get; init; } = "";
    public SpecSummary? Spec { get; init; }
    public string ImageId { get; init; } = "";
    public string CspImageName { get; init; } = "";
    public ImageSummary? Image { get; init; }
    public string VNetId { get; init; } = "";
    public string CspVNetId { get; init; } = "";
    public string SubnetId { get; init; } = "";
    public string CspSubnetId { get; init; } = "";
    public string NetworkInterface { get; init; } = "";
    public IReadOnlyList<string> SecurityGroupIds { get; init; } = [];
    /// <summary>Nil unless data disks are attached (infra.go:941 @v0.13.0, `json:"dataDiskIds"` without omitempty).</summary>
    public IReadOnlyList<string>? DataDiskIds { get; init; }
    public string SshKeyId { get; init; } = "";
    public string CspSshKeyId { get; init; } = "";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? NodeUserName { get; init; }
}

internal sealed record InfraStatusResponse(InfraStatusInfo Status);

internal sealed class InfraStatusInfo
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string Status { get; init; } = "";
    public StatusCountInfo StatusCount { get; init; } = new();
    public string TargetStatus { get; init; } = "";
    public string TargetAction { get; init; } = "";
    public string InstallMonAgent { get; init; } = "no";
    public string MasterNodeId { get; init; } = "";
    public string MasterIp { get; init; } = "";
    public int MasterSSHPort { get; init; }
    public IReadOnlyDictionary<string, string> Label { get; init; } = new Dictionary<string, string>();
    public string SystemLabel { get; init; } = "";
    public IReadOnlyList<NodeStatusInfo> Node { get; init; } = [];
}

internal sealed class NodeStatusInfo
{
    public string Id { get; init; } = "";
    public string Uid { get; init; } = "";
    public string CspResourceName { get; init; } = "";
    public string CspResourceId { get; init; } = "";
    public string Name { get; init; } = "";
    public string Status { get; init; } = "";
    public string TargetStatus { get; init; } = "";
    public string TargetAction { get; init; } = "";
    public string NativeStatus { get; init; } = "";
    public string MonAgentStatus { get; init; } = "";
    public string SystemMessage { get; init; } = "";
    public string CreatedTime { get; init; } = "";
    public string PublicIp { get; init; } = "";
    public string PrivateIp { get; init; } = "";
    public int SshPort { get; init; }
    public Location Location { get; init; } = new("", 0, 0);
}

/// <summary>The untagged Go fields of InfraAccessInfo come out in PascalCase on the wire (the swagger is wrong about them).</summary>
/// <remarks>
/// Both lists are only ever appended to (src/core/infra/manageInfo.go:747-821 @v0.13.0), so an Infra without node
/// groups has "InfraNodeGroupAccessInfo": null and a group whose nodes are all Terminated "NodeAccessInfo": null.
/// </remarks>
internal sealed record InfraAccessInfo(
    [property: JsonPropertyName("InfraId")] string InfraId,
    [property: JsonPropertyName("InfraNodeGroupAccessInfo")] IReadOnlyList<InfraNodeGroupAccessInfo>? InfraNodeGroupAccessInfo);

internal sealed record InfraNodeGroupAccessInfo(
    [property: JsonPropertyName("NodeGroupId")] string NodeGroupId,
    [property: JsonPropertyName("BastionNodeId")] string BastionNodeId,
    [property: JsonPropertyName("NodeAccessInfo")] IReadOnlyList<InfraNodeAccessInfo>? NodeAccessInfo);

/// <summary>privateKey, nodeUserName and nodeUserPassword are omitempty (src/core/model/infra.go:970-979 @v0.13.0).</summary>
internal sealed record InfraNodeAccessInfo(
    string NodeId,
    [property: JsonPropertyName("publicIP")] string PublicIP,
    [property: JsonPropertyName("privateIP")] string PrivateIP,
    int SshPort,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PrivateKey,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NodeUserName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NodeUserPassword,
    ConnConfig ConnectionConfig);
