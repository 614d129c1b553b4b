using System.Text.Json;

namespace Ladybug.Sandbox.Catalog;

/// <summary>
/// The embedded sandbox-specs.json: per CSP, spec families priced in one reference region, the regions a family is
/// not sold in, and a price factor per region. Read once at start-up with JsonDocument (the serializer's first use alone would cost more than the whole
/// file); a region of cloud-regions.csv without a factor is a broken data file, not a region without specs, so
/// loading fails instead of offering nothing there.
/// </summary>
internal static class SpecCatalogFile
{
    public const string ResourceName = "Ladybug.Sandbox.Catalog.sandbox-specs.json";

    public static IReadOnlyDictionary<string, ProviderOffer> Load()
    {
        using var stream = typeof(SpecCatalogFile).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded {ResourceName} is missing from Ladybug.Sandbox.");
        using var document = JsonDocument.Parse(stream);
        var offers = new Dictionary<string, ProviderOffer>(StringComparer.Ordinal);
        foreach (var provider in document.RootElement.GetProperty("providers").EnumerateObject())
        {
            var factors = provider.Value.GetProperty("regionPriceFactors").EnumerateObject()
                .ToDictionary(f => f.Name, f => f.Value.GetDouble(), StringComparer.Ordinal);
            var specs = provider.Value.GetProperty("families").EnumerateArray()
                .SelectMany(family =>
                {
                    IReadOnlySet<string> notSoldIn = family.TryGetProperty("notSoldIn", out var regions)
                        ? regions.EnumerateArray().Select(r => r.GetString()!).ToHashSet(StringComparer.Ordinal)
                        : new HashSet<string>();
                    foreach (var region in notSoldIn.Where(r => !factors.ContainsKey(r)))
                        throw new InvalidOperationException($"sandbox-specs.json: {provider.Name} family {family.GetProperty("family").GetString()} is 'not sold in' {region}, which is no {provider.Name} region.");
                    return family.GetProperty("specs").EnumerateArray()
                        .Select(row => new SpecRow(row[0].GetString()!, row[1].GetInt32(), row[2].GetDouble(), row[3].GetDouble(), notSoldIn));
                })
                .ToList();
            offers[provider.Name] = new ProviderOffer(provider.Name, factors, specs);
        }
        return offers;
    }
}

/// <summary>One row of a family: [cspSpecName, vCpu, memoryGiB, costPerHourInReferenceRegion], and the regions its family is not sold in.</summary>
internal sealed record SpecRow(string Name, int VCpu, double MemoryGiB, double ReferenceCostPerHour, IReadOnlySet<string> NotSoldIn);

internal sealed record ProviderOffer(string Provider, IReadOnlyDictionary<string, double> RegionPriceFactors, IReadOnlyList<SpecRow> Specs)
{
    /// <summary>
    /// The specs sold in <paramref name="region"/>. One not sold there has no row at all, as Tumblebug's spec table holds
    /// only what CB-Spider listed for the connection; a create naming it then fails at the spec lookup
    /// (cb-tumblebug src/core/resource/spec.go:2944-2969, src/core/infra/provisioning.go:3876-3880 @v0.13.0).
    /// </summary>
    public IEnumerable<CatalogSpec> SpecsIn(CatalogRegion region)
    {
        if (!RegionPriceFactors.TryGetValue(region.Region, out var factor))
            throw new InvalidOperationException($"sandbox-specs.json has no price factor for {region.Provider} region {region.Region}.");
        return Specs.Where(row => !row.NotSoldIn.Contains(region.Region)).Select(row => new CatalogSpec(region, row.Name, row.VCpu, row.MemoryGiB, Math.Round(row.ReferenceCostPerHour * factor, 6)));
    }
}
