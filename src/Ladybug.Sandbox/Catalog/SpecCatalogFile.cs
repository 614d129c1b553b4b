using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ladybug.Sandbox.Catalog;

/// <summary>
/// The embedded sandbox-specs.json: per CSP, spec families priced in one reference region, and a price factor per
/// region. Read once at start-up; a region of cloud-regions.csv without a factor is a broken data file, not a region
/// without specs, so loading fails instead of offering nothing there.
/// </summary>
internal sealed class SpecCatalogFile
{
    public const string ResourceName = "Ladybug.Sandbox.Catalog.sandbox-specs.json";

    public required Dictionary<string, ProviderOffer> Providers { get; init; }

    public static IReadOnlyDictionary<string, ProviderOffer> Load()
    {
        using var stream = typeof(SpecCatalogFile).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded {ResourceName} is missing from Ladybug.Sandbox.");
        var file = JsonSerializer.Deserialize<SpecCatalogFile>(stream, Json)
            ?? throw new InvalidOperationException("sandbox-specs.json is empty.");
        return file.Providers;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { NumberHandling = JsonNumberHandling.Strict };
}

internal sealed class ProviderOffer
{
    public required string PriceSource { get; init; }
    public required string ReferenceRegion { get; init; }
    public required Dictionary<string, double> RegionPriceFactors { get; init; }
    public required List<SpecFamily> Families { get; init; }

    public IEnumerable<CatalogSpec> SpecsIn(CatalogRegion region)
    {
        if (!RegionPriceFactors.TryGetValue(region.Region, out var factor))
            throw new InvalidOperationException($"sandbox-specs.json has no price factor for {region.Provider} region {region.Region}.");
        foreach (var family in Families)
            foreach (var row in family.Specs)
                yield return new CatalogSpec(region, row[0].GetString()!, row[1].GetInt32(), row[2].GetDouble(), Math.Round(row[3].GetDouble() * factor, 6));
    }
}

internal sealed class SpecFamily
{
    public required string Family { get; init; }
    /// <summary>[cspSpecName, vCpu, memoryGiB, costPerHourInReferenceRegion]</summary>
    public required List<JsonElement[]> Specs { get; init; }
}
