using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ladybug.Sandbox.Catalog;

/// <summary>A region from cloud-regions.csv (Tumblebug's cloudinfo.yaml): real coordinates and zones.</summary>
public sealed record CatalogRegion(string Provider, string Region, string Description, string Display, double Latitude, double Longitude, IReadOnlyList<string> Zones)
{
    /// <summary>Tumblebug's connection name for the default credential holder: "{provider}-{region}", lower-cased like every Tumblebug id.</summary>
    public string ConnectionName { get; } = $"{Provider}-{Region}".ToLowerInvariant();

    /// <summary>Azure sets useEmptyRepresentativeZone; every other CSP uses its first zone.</summary>
    public string AssignedZone => Provider == "azure" ? "" : Zones.FirstOrDefault() ?? "";
}

public sealed record CatalogSpec(CatalogRegion Region, string CspSpecName, int VCpu, double MemoryGiB, double CostPerHour)
{
    /// <summary>lower("{provider}+{region}+{cspSpecName}"), as Tumblebug builds it.</summary>
    public string Id { get; } = $"{Region.Provider}+{Region.Region}+{CspSpecName}".ToLowerInvariant();

    /// <summary>
    /// "NA" for the NCP specs, x86_64 otherwise. Upstream SearchImage does not take a "" or "NA" spec architecture
    /// and filters on the request's value instead (cb-tumblebug src/core/resource/image.go:2067-2070, 2113-2119
    /// @v0.13.0); v0.13.0's extractArchitecture yields "" when a CSP's details lack the processor (spec.go:280-396),
    /// and specs registered through the API carry whatever they were given. NA is the stricter of the two cases.
    /// </summary>
    public string Architecture => Region.Provider == "ncp" ? NotAvailableArchitecture : CatalogImage.Architecture;

    public const string NotAvailableArchitecture = "NA";
}

public sealed record CatalogImage(string Provider, string Region, string UbuntuRelease, string CspImageName)
{
    /// <summary>Tumblebug's image id is the CSP's image name.</summary>
    public string Id => CspImageName;
    /// <summary>Every sandbox image is a Canonical amd64 build.</summary>
    public const string Architecture = "x86_64";
    public string OsType => $"ubuntu {UbuntuRelease}";
    public string Distribution => $"Ubuntu {UbuntuRelease} LTS ({CloudCatalog.Codename(UbuntuRelease)})";
}

/// <summary>
/// What the sandbox cloud offers: every region of cloud-regions.csv (Tumblebug's cloudinfo.yaml) for the nine CSPs
/// of sandbox-specs.json, each with its CSP's spec families — burstable, general purpose, compute and memory
/// optimised, current and previous generation, some below kubeadm's 2 vCPU / 2 GiB so filtering matters — at list
/// prices (source and date in the data file), and Ubuntu LTS images 18.04 to 24.04 in every region. Loaded once and
/// indexed by connection, spec id and CSP spec name: specs are looked up per request, and there are thousands.
/// </summary>
public sealed class CloudCatalog
{
    public static readonly IReadOnlyList<string> UbuntuReleases = ["18.04", "20.04", "22.04", "24.04"];

    private readonly Dictionary<string, CatalogRegion> _regionsByConnection;
    private readonly Dictionary<string, IReadOnlyList<CatalogSpec>> _specsByConnection;
    private readonly Dictionary<string, CatalogSpec> _specsById;
    private readonly Dictionary<string, CatalogSpec> _specsByCspName;
    private readonly Dictionary<(string Provider, string Region), IReadOnlyList<CatalogImage>> _imagesByRegion;

    public IReadOnlyList<CatalogRegion> Regions { get; }
    public IReadOnlyList<CatalogSpec> Specs { get; }
    public IReadOnlyList<CatalogImage> Images { get; }

    public CloudCatalog()
    {
        var offers = SpecCatalogFile.Load();
        Regions = [.. LoadRegions().Where(r => offers.ContainsKey(r.Provider))];
        Specs = [.. Regions.SelectMany(r => offers[r.Provider].SpecsIn(r))];
        Images = [.. Regions.SelectMany(r => UbuntuReleases.Select(release => new CatalogImage(r.Provider, r.Region, release, ImageName(r, release))))];

        _regionsByConnection = Regions.ToDictionary(r => r.ConnectionName, StringComparer.OrdinalIgnoreCase);
        _specsByConnection = Specs.GroupBy(s => s.Region.ConnectionName, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<CatalogSpec>)[.. g], StringComparer.OrdinalIgnoreCase);
        _specsById = Specs.ToDictionary(s => s.Id, StringComparer.OrdinalIgnoreCase);
        // The first region's spec answers a bare CSP name, as the linear search this replaces did.
        _specsByCspName = Specs.DistinctBy(s => s.CspSpecName, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(s => s.CspSpecName, StringComparer.OrdinalIgnoreCase);
        _imagesByRegion = Images.GroupBy(i => (i.Provider, i.Region))
            .ToDictionary(g => g.Key, g => (IReadOnlyList<CatalogImage>)[.. g]);
    }

    public CatalogRegion? FindConnection(string name) => _regionsByConnection.GetValueOrDefault(name);

    /// <summary>The specs of one connection (none for an unknown one).</summary>
    public IReadOnlyList<CatalogSpec> SpecsOf(string connectionName) => _specsByConnection.GetValueOrDefault(connectionName) ?? [];

    /// <summary>Case-insensitive by id, with the CSP spec name as a fallback — Tumblebug's own lookup rule.</summary>
    public CatalogSpec? FindSpec(string specId) =>
        _specsById.GetValueOrDefault(specId) ?? _specsByCspName.GetValueOrDefault(specId);

    public IReadOnlyList<CatalogImage> ImagesOf(CatalogRegion region) => _imagesByRegion.GetValueOrDefault((region.Provider, region.Region)) ?? [];

    public CatalogImage? FindImage(CatalogRegion region, string imageId) =>
        ImagesOf(region).FirstOrDefault(i => i.Id.Equals(imageId, StringComparison.OrdinalIgnoreCase));

    public static string Codename(string release) => release switch
    {
        "18.04" => "Bionic Beaver",
        "20.04" => "Focal Fossa",
        "22.04" => "Jammy Jellyfish",
        "24.04" => "Noble Numbat",
        _ => "LTS",
    };

    /// <summary>Image names in each CSP's own style; per-region ids (AWS AMIs) are derived from the region so they differ like real ones.</summary>
    private static string ImageName(CatalogRegion region, string release)
    {
        var compact = release.Replace(".", "");
        var word = Codename(release).Split(' ')[0].ToLowerInvariant();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{region.Provider}/{region.Region}/{release}")));
        return region.Provider switch
        {
            "aws" => $"ami-0{hash[..16]}",
            "gcp" => $"https://www.googleapis.com/compute/v1/projects/ubuntu-os-cloud/global/images/ubuntu-{compact}-{word}-v20250110",
            "azure" => $"Canonical:ubuntu-{release.Replace('.', '_')}-lts:server:latest",
            "alibaba" => $"ubuntu_{release.Replace('.', '_')}_x64_20G_alibase_20250113.vhd",
            "tencent" => $"img-{hash[..8]}",
            "ibm" => $"r006-{hash[..8]}-{hash[8..12]}-{hash[12..16]}-{hash[16..20]}-{hash[20..32]}",
            "ncp" => $"SW.VSVR.OS.LNX64.UBNTU.SVR{compact}.B050",
            "nhn" => $"{hash[..8]}-{hash[8..12]}-{hash[12..16]}-{hash[16..20]}-{hash[20..32]}",
            _ => $"ubuntu-{release}-server-cloudimg-amd64",
        };
    }

    private static List<CatalogRegion> LoadRegions()
    {
        using var stream = typeof(CloudCatalog).Assembly.GetManifestResourceStream("Ladybug.Sandbox.Catalog.cloud-regions.csv")
            ?? throw new InvalidOperationException("The embedded cloud-regions.csv is missing from Ladybug.Sandbox.");
        using var reader = new StreamReader(stream);
        var header = ParseCsvLine(reader.ReadLine() ?? "");
        int Column(string name) => header.IndexOf(name) is >= 0 and var i ? i : throw new InvalidOperationException($"cloud-regions.csv has no '{name}' column.");
        var (provider, region, description, display, latitude, longitude, zones) =
            (Column("provider"), Column("region"), Column("description"), Column("display"), Column("latitude"), Column("longitude"), Column("zones"));
        var regions = new List<CatalogRegion>();
        while (reader.ReadLine() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var f = ParseCsvLine(line);
            regions.Add(new CatalogRegion(f[provider], f[region], f[description], f[display],
                double.Parse(f[latitude], CultureInfo.InvariantCulture), double.Parse(f[longitude], CultureInfo.InvariantCulture),
                f[zones].Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        }
        return regions;
    }

    private static List<string> ParseCsvLine(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }
}
