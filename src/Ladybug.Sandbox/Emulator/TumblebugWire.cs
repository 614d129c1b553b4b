using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ladybug.Sandbox.Emulator;

// Tumblebug v0.13's wire JSON (src/core/model/*.go) for the calls the emulator serves. Written independently of
// the engine's client models on purpose: both sides are pinned to the same sample payloads by tests, so a shared
// mistake cannot hide. Go's encoding/json writes untagged fields in PascalCase (InfraId, NodeAccessInfo…) and
// "omitempty" fields only when set; reading is case-insensitive, as in Go.

internal static class TumblebugWire
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        // Readable messages, like Go's encoder (the default one escapes quotes and apostrophes).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

internal sealed record SimpleMsg(string Message);

internal sealed record ReadyzResponse(string Message, bool Ready, bool Initialized);

/// <summary>model.IdList: `json:"output"`, nil when nothing matched.</summary>
internal sealed record IdList(IReadOnlyList<string>? Output);

internal sealed class NsReq
{
    public string? Name { get; init; }
    public string? Description { get; init; }
}

internal sealed record NsInfo(string ResourceType, string Id, string Uid, string Name, string Description);

/// <summary>Go's nil slice when no connection is left (none verified under filterVerified=true): {"connectionconfig":null}.</summary>
internal sealed record ConnConfigList([property: JsonPropertyName("connectionconfig")] IReadOnlyList<ConnConfig>? ConnectionConfig);

internal sealed record ConnConfig(
    string ConfigName,
    string ProviderName,
    string DriverName,
    string CredentialName,
    string CredentialHolder,
    string RegionZoneInfoName,
    RegionZoneInfo RegionZoneInfo,
    RegionDetail RegionDetail,
    bool RegionRepresentative,
    bool Verified);

internal sealed record RegionZoneInfo(string AssignedRegion, string AssignedZone);

internal sealed record RegionDetail(
    string RegionId,
    string RegionName,
    string Description,
    Location Location,
    IReadOnlyList<string> Zones,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] string? RepresentativeZone);

internal sealed record Location(string Display, double Latitude, double Longitude);

internal sealed class ValueRange
{
    public double? Min { get; init; }
    public double? Max { get; init; }
}

/// <summary>The fields of FilterSpecsByRangeRequest the emulator filters on; the rest are accepted and ignored.</summary>
internal sealed class FilterSpecsByRangeRequest
{
    public string? Id { get; init; }
    public string? ConnectionName { get; init; }
    public string? ProviderName { get; init; }
    public string? RegionName { get; init; }
    public string? CspSpecName { get; init; }
    public string? Architecture { get; init; }
    [JsonPropertyName("vCPU")]
    public ValueRange? VCpu { get; init; }
    public ValueRange? MemoryGiB { get; init; }
    public ValueRange? CostPerHour { get; init; }
    public int Limit { get; init; }
}

internal sealed record FilterSpecsResponse(IReadOnlyList<SpecInfo> Spec);

internal sealed record KeyValue(string Key, string Value);

internal sealed class SpecInfo
{
    public string Id { get; init; } = "";
    public string Uid { get; init; } = "";
    public string CspSpecName { get; init; } = "";
    public string Name { get; init; } = "";
    public string Namespace { get; init; } = "";
    public string ConnectionName { get; init; } = "";
    public string ProviderName { get; init; } = "";
    public string RegionName { get; init; } = "";
    public double RegionLatitude { get; init; }
    public double RegionLongitude { get; init; }
    public string InfraType { get; init; } = "vm";
    public string Architecture { get; init; } = "";
    public string OsType { get; init; } = "";
    [JsonPropertyName("vCPU")]
    public int VCpu { get; init; }
    public double MemoryGiB { get; init; }
    public double DiskSizeGB { get; init; }
    public int MaxTotalStorageTiB { get; init; }
    public int NetBwGbps { get; init; }
    public string AcceleratorModel { get; init; } = "";
    public int AcceleratorCount { get; init; }
    public double AcceleratorMemoryGB { get; init; }
    public string AcceleratorType { get; init; } = "";
    public double CostPerHour { get; init; }
    public string Description { get; init; } = "";
    public int OrderInFilteredResult { get; init; }
    public string EvaluationStatus { get; init; } = "";
    public string RootDiskType { get; init; } = "";
    public int RootDiskSize { get; init; }
    /// <summary>`json:"associatedObjectList,omitempty"` (src/core/model/spec.go:185 @v0.13.0): absent when empty.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? AssociatedObjectList { get; init; }
    public bool IsAutoGenerated { get; init; }
    public string SystemLabel { get; init; } = "";
    public IReadOnlyList<KeyValue> Details { get; init; } = [];
}

internal sealed class SearchImageRequest
{
    public string? MatchedSpecId { get; init; }
    public string? ProviderName { get; init; }
    public string? RegionName { get; init; }
    public string? OsType { get; init; }
    public string? OsArchitecture { get; init; }
    public int? MaxResults { get; init; }
}

internal sealed record SearchImageResponse(int ImageCount, IReadOnlyList<ImageInfo> ImageList);

internal sealed class ImageInfo
{
    public string ResourceType { get; init; } = "image";
    public string Namespace { get; init; } = "";
    public string ProviderName { get; init; } = "";
    public string CspImageName { get; init; } = "";
    public IReadOnlyList<string> RegionList { get; init; } = [];
    public string Id { get; init; } = "";
    public string Uid { get; init; } = "";
    public string Name { get; init; } = "";
    public string CspImageId { get; init; } = "";
    public string SourceNodeUid { get; init; } = "";
    public string SourceCspImageName { get; init; } = "";
    public string ConnectionName { get; init; } = "";
    public string InfraType { get; init; } = "vm";
    public string FetchedTime { get; init; } = "";
    public string CreationDate { get; init; } = "";
    public bool IsGPUImage { get; init; }
    public bool IsKubernetesImage { get; init; }
    public bool IsBasicImage { get; init; }
    public bool IsBasicGpuImage { get; init; }
    public string OsType { get; init; } = "";
    public string OsArchitecture { get; init; } = "";
    public string OsPlatform { get; init; } = "";
    public string OsDistribution { get; init; } = "";
    public string OsDiskType { get; init; } = "";
    public double OsDiskSizeGB { get; init; }
    public string ImageStatus { get; init; } = "";
    public IReadOnlyList<KeyValue> Details { get; init; } = [];
    public string SystemLabel { get; init; } = "";
    public string Description { get; init; } = "";
}
