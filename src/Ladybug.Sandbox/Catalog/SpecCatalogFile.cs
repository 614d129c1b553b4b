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
        return Load(stream);
    }

    public static IReadOnlyDictionary<string, ProviderOffer> Load(Stream stream)
    {
        using var document = JsonDocument.Parse(stream);
        var offers = new Dictionary<string, ProviderOffer>(StringComparer.Ordinal);
        foreach (var provider in document.RootElement.GetProperty("providers").EnumerateObject())
        {
            var factors = provider.Value.GetProperty("regionPriceFactors").EnumerateObject()
                .ToDictionary(f => f.Name, f => f.Value.GetDouble(), StringComparer.Ordinal);
            var sources = provider.Value.TryGetProperty("availabilitySources", out var listed)
                ? listed.EnumerateObject().Select(s => s.Name).ToHashSet(StringComparer.Ordinal)
                : [];
            var specs = provider.Value.GetProperty("families").EnumerateArray()
                .SelectMany(family =>
                {
                    var notSoldIn = NotSoldIn(provider.Name, family, factors, sources);
                    return family.GetProperty("specs").EnumerateArray()
                        .Select(row => new SpecRow(row[0].GetString()!, row[1].GetInt32(), row[2].GetDouble(), row[3].GetDouble(), notSoldIn));
                })
                .ToList();
            offers[provider.Name] = new ProviderOffer(provider.Name, factors, specs);
        }
        return offers;
    }

    /// <summary>
    /// A family's notSoldIn: region → id of its source in the provider's availabilitySources. A region that is no region
    /// of the CSP, or a fact without a listed source, is a broken data file: every regional gap must say where it comes from.
    /// </summary>
    private static HashSet<string> NotSoldIn(string provider, JsonElement family, Dictionary<string, double> regions, HashSet<string> sources)
    {
        var notSoldIn = new HashSet<string>(StringComparer.Ordinal);
        if (!family.TryGetProperty("notSoldIn", out var facts)) return notSoldIn;
        var name = family.GetProperty("family").GetString();
        foreach (var fact in facts.EnumerateObject())
        {
            if (!regions.ContainsKey(fact.Name))
                throw new InvalidOperationException($"sandbox-specs.json: {provider} family {name} is 'not sold in' {fact.Name}, which is no {provider} region.");
            if (!sources.Contains(fact.Value.GetString() ?? ""))
                throw new InvalidOperationException($"sandbox-specs.json: {provider} family {name} is 'not sold in' {fact.Name} on source '{fact.Value.GetString()}', which {provider}'s availabilitySources does not list.");
            notSoldIn.Add(fact.Name);
        }
        return notSoldIn;
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
