using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ladybug.Sandbox.Catalog;

/// <summary>A region from cloud-regions.csv (Tumblebug's cloudinfo.yaml): real coordinates and zones.</summary>
public sealed record CatalogRegion(string Provider, string Region, string Description, string Display, double Latitude, double Longitude, IReadOnlyList<string> Zones)
{
    /// <summary>Tumblebug's connection name for the default credential holder: "{provider}-{region}", lower-cased like every Tumblebug id.</summary>
    public string ConnectionName => $"{Provider}-{Region}".ToLowerInvariant();

    /// <summary>Azure sets useEmptyRepresentativeZone; every other CSP uses its first zone.</summary>
    public string AssignedZone => Provider == "azure" ? "" : Zones.FirstOrDefault() ?? "";
}

public sealed record CatalogSpec(CatalogRegion Region, string CspSpecName, int VCpu, double MemoryGiB, double CostPerHour)
{
    /// <summary>lower("{provider}+{region}+{cspSpecName}"), as Tumblebug builds it.</summary>
    public string Id => $"{Region.Provider}+{Region.Region}+{CspSpecName}".ToLowerInvariant();

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
/// What the sandbox cloud offers: 9 CSPs, 22 regions (rows copied from shared/reference/tumblebug/cloud-regions.csv
/// into the embedded cloud-regions.csv), each CSP's usual small specs — some below kubeadm's 2 vCPU / 2 GiB so
/// filtering matters — and Ubuntu LTS images 18.04 to 24.04 in every region.
/// </summary>
public sealed class CloudCatalog
{
    public static readonly IReadOnlyList<string> UbuntuReleases = ["18.04", "20.04", "22.04", "24.04"];

    private static readonly Dictionary<string, (string Name, int VCpu, double MemoryGiB, double CostPerHour)[]> SpecsByProvider = new()
    {
        ["aws"] = [("t2.micro", 1, 1, 0.0116), ("t3.small", 2, 2, 0.0208), ("t3.medium", 2, 4, 0.0416), ("t3.large", 2, 8, 0.0832), ("m5.xlarge", 4, 16, 0.192)],
        ["gcp"] = [("f1-micro", 1, 0.6, 0.0076), ("e2-small", 2, 2, 0.0168), ("e2-medium", 2, 4, 0.0335), ("n2-standard-2", 2, 8, 0.0971), ("e2-standard-4", 4, 16, 0.134)],
        ["azure"] = [("Standard_B1s", 1, 1, 0.0104), ("Standard_B1ms", 1, 2, 0.0207), ("Standard_B2s", 2, 4, 0.0416), ("Standard_D2s_v5", 2, 8, 0.096), ("Standard_D4s_v5", 4, 16, 0.192)],
        ["alibaba"] = [("ecs.t5-lc1m1.small", 1, 1, 0.009), ("ecs.t6-c1m1.large", 2, 2, 0.02), ("ecs.c7.large", 2, 4, 0.06), ("ecs.g7.large", 2, 8, 0.08), ("ecs.g7.xlarge", 4, 16, 0.16)],
        ["tencent"] = [("S5.SMALL1", 1, 1, 0.01), ("S5.MEDIUM2", 2, 2, 0.02), ("S5.MEDIUM4", 2, 4, 0.04), ("S5.LARGE8", 4, 8, 0.08)],
        ["ibm"] = [("nxf-2x1", 2, 1, 0.035), ("cx2-2x4", 2, 4, 0.083), ("bx2-2x8", 2, 8, 0.096), ("cx2-4x8", 4, 8, 0.166), ("bx2-4x16", 4, 16, 0.192)],
        ["openstack"] = [("m1.tiny", 1, 0.5, 0), ("m1.small", 1, 2, 0), ("m1.medium", 2, 4, 0), ("m1.large", 4, 8, 0)],
        ["ncp"] = [("mi1-g3", 1, 1, 0.0125), ("c2-g3", 2, 4, 0.05), ("s2-g3", 2, 8, 0.07), ("c4-g3", 4, 8, 0.1)],
        ["nhn"] = [("u2.c1m1", 1, 1, 0.012), ("c2.c2m2", 2, 2, 0.03), ("u2.c2m4", 2, 4, 0.045), ("m2.c4m8", 4, 8, 0.09)],
    };

    public IReadOnlyList<CatalogRegion> Regions { get; }
    public IReadOnlyList<CatalogSpec> Specs { get; }
    public IReadOnlyList<CatalogImage> Images { get; }

    public CloudCatalog()
    {
        Regions = LoadRegions();
        Specs = [.. Regions.SelectMany(r => SpecsByProvider[r.Provider].Select(s => new CatalogSpec(r, s.Name, s.VCpu, s.MemoryGiB, s.CostPerHour)))];
        Images = [.. Regions.SelectMany(r => UbuntuReleases.Select(release => new CatalogImage(r.Provider, r.Region, release, ImageName(r, release))))];
    }

    public CatalogRegion? FindConnection(string name) =>
        Regions.FirstOrDefault(r => r.ConnectionName.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Case-insensitive by id, with the CSP spec name as a fallback — Tumblebug's own lookup rule.</summary>
    public CatalogSpec? FindSpec(string specId) =>
        Specs.FirstOrDefault(s => s.Id.Equals(specId, StringComparison.OrdinalIgnoreCase))
        ?? Specs.FirstOrDefault(s => s.CspSpecName.Equals(specId, StringComparison.OrdinalIgnoreCase));

    public CatalogImage? FindImage(CatalogRegion region, string imageId) =>
        Images.FirstOrDefault(i => i.Provider == region.Provider && i.Region == region.Region && i.Id.Equals(imageId, StringComparison.OrdinalIgnoreCase));

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
