using Ladybug.Sandbox.Catalog;

namespace Ladybug.Tests.Unit.Sandbox.Catalog;

[Trait(TestTier.Category, TestTier.Unit)]
public sealed class CloudCatalogTests
{
    private readonly CloudCatalog _catalog = new();

    private static readonly string[] SandboxCsps = ["alibaba", "aws", "azure", "gcp", "ibm", "ncp", "nhn", "openstack", "tencent"];

    [Fact]
    public void ItOffersEveryRegionOfTheRegionTableForItsNineCsps()
    {
        var table = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "cloud-regions.csv")).Skip(1)
            .Select(line => line.Split(',')).Where(f => SandboxCsps.Contains(f[0])).Select(f => $"{f[0]}-{f[1]}".ToLowerInvariant()).ToList();

        Assert.Equal(SandboxCsps, _catalog.Regions.Select(r => r.Provider).Distinct().Order());
        Assert.Equal(table.Order(), _catalog.Regions.Select(r => r.ConnectionName).Order());
        Assert.True(_catalog.Regions.Count > 190, $"{_catalog.Regions.Count} regions");
        Assert.Equal(_catalog.Regions.Count, _catalog.Regions.Select(r => r.ConnectionName).Distinct().Count());
    }

    [Theory]
    // The talk's demo (shared/reference/seed-cb-ladybug-talk-ko.txt): t2.medium in AWS Tokyo, e2-highcpu-4 in GCP Tokyo.
    [InlineData("aws-ap-northeast-1", "t2.medium", 2, 4)]
    [InlineData("gcp-asia-northeast1", "e2-highcpu-4", 4, 4)]
    [InlineData("gcp-asia-northeast3", "n1-standard-2", 2, 7.5)]
    [InlineData("azure-koreacentral", "Standard_B2s", 2, 4)]
    [InlineData("ibm-jp-tok", "bx2-2x8", 2, 8)]
    [InlineData("aws-ap-northeast-2", "c5.9xlarge", 36, 72)]
    [InlineData("gcp-us-central1", "n2-highmem-8", 8, 64)]
    [InlineData("azure-westeurope", "Standard_E4s_v5", 4, 32)]
    public void RegionsOfferTheSpecsUsersOfThatCloudKnow(string connection, string spec, int vCpu, double memoryGiB)
    {
        var found = Assert.Single(_catalog.SpecsOf(connection), s => s.CspSpecName == spec);

        Assert.Equal((vCpu, memoryGiB), (found.VCpu, found.MemoryGiB));
        Assert.True(found.CostPerHour > 0);
    }

    [Theory]
    // In each cloud's reference region: newer regions lack the previous generations (see the regional-gap tests).
    [InlineData("aws-us-east-1", new[] { "t2.", "t3.", "t3a.", "m4.", "m5.", "m6i.", "c4.", "c5.", "c6i.", "r5.", "r6i." })]
    [InlineData("gcp-us-central1", new[] { "e2-standard-", "e2-highcpu-", "e2-highmem-", "n1-standard-", "n1-highcpu-", "n1-highmem-", "n2-standard-", "n2-highcpu-", "n2-highmem-", "c2-standard-" })]
    [InlineData("azure-eastus", new[] { "Standard_B", "Standard_D2s_v5", "Standard_D2s_v3", "Standard_E2s_v5", "Standard_F2s_v2" })]
    public void EachCloudHasItsGeneralComputeMemoryAndBurstableFamilies(string connection, string[] prefixes)
    {
        var names = _catalog.SpecsOf(connection).Select(s => s.CspSpecName).ToList();

        Assert.All(prefixes, prefix => Assert.Contains(names, n => n.StartsWith(prefix, StringComparison.Ordinal)));
    }

    [Fact]
    public void PricesFollowTheRegionWithTheReferenceRegionAtListPrice()
    {
        // us-east-1 is AWS's reference region in sandbox-specs.json; Tokyo costs more, as on AWS's price page.
        Assert.Equal(0.096, _catalog.FindSpec("aws+us-east-1+m5.large")!.CostPerHour);
        Assert.True(_catalog.FindSpec("aws+ap-northeast-1+m5.large")!.CostPerHour > 0.096);
        Assert.Equal(0.0, _catalog.FindSpec("openstack+regionone+m1.large")!.CostPerHour);
    }

    [Fact]
    public void TheDataFileSaysWhereEachCloudsPricesComeFrom()
    {
        using var stream = typeof(CloudCatalog).Assembly.GetManifestResourceStream("Ladybug.Sandbox.Catalog.sandbox-specs.json")!;
        using var document = System.Text.Json.JsonDocument.Parse(stream);

        foreach (var provider in document.RootElement.GetProperty("providers").EnumerateObject())
        {
            var source = provider.Value.GetProperty("priceSource").GetString()!;
            Assert.False(string.IsNullOrWhiteSpace(source), provider.Name);
            if (provider.Name != "openstack") Assert.Contains("2026-12-06", source);
        }
    }

    [Fact]
    public void ThousandsOfSpecsAreIndexedByConnectionAndId()
    {
        Assert.True(_catalog.Specs.Count > 5000, $"{_catalog.Specs.Count} specs");
        Assert.Equal(_catalog.Specs.Count, _catalog.Regions.Sum(r => _catalog.SpecsOf(r.ConnectionName).Count));
        Assert.Same(_catalog.FindSpec("aws+ap-northeast-1+t2.medium"), _catalog.SpecsOf("AWS-AP-NORTHEAST-1").Single(s => s.CspSpecName == "t2.medium"));
        Assert.Empty(_catalog.SpecsOf("gcp-mars-north1"));
    }

    [Theory]
    [InlineData("aws-ap-northeast-1", "Japan (Tokyo)", 35.41, 139.42, "ap-northeast-1a")]
    [InlineData("gcp-europe-west2", "UK (London)", 51.5099, -0.1181, "europe-west2-a")]
    [InlineData("azure-koreacentral", "Korea Central", 37.5665, 126.978, "")]
    [InlineData("ncp-kr", "Seoul(Gasan) / Pyeongchon (South Korea)", 37.4754, 126.8831, "KR-1")]
    public void RegionsCarryTheirRealCoordinatesAndZones(string connection, string display, double latitude, double longitude, string zone)
    {
        var region = _catalog.FindConnection(connection)!;

        Assert.Equal((display, latitude, longitude, zone), (region.Display, region.Latitude, region.Longitude, region.AssignedZone));
        Assert.NotEmpty(region.Zones);
    }

    [Theory]
    // Each gap cites its source in sandbox-specs.json's availabilitySources: price-list data and public reports, or
    // "recalled" for GCP's 2023-onwards regions.
    [InlineData("aws-eu-north-1", "t2.micro", "t3.micro")]
    [InlineData("aws-eu-north-1", "c4.large", "c5.large")]
    [InlineData("aws-ap-east-1", "m4.large", "m5.large")]
    [InlineData("aws-af-south-1", "t2.small", "t3.small")]
    [InlineData("aws-eu-north-1", "m4.large", "m5.large")]
    [InlineData("gcp-europe-west8", "n1-standard-1", "e2-standard-2")]
    [InlineData("gcp-southamerica-west1", "n1-highmem-2", "n2-highmem-2")]
    [InlineData("gcp-europe-north2", "n2-standard-2", "e2-standard-2")]
    [InlineData("azure-chilecentral", "Standard_D2s_v3", "Standard_D2s_v5")]
    [InlineData("azure-austriaeast", "Standard_D4s_v3", "Standard_D4as_v5")]
    [InlineData("aws-ap-southeast-3", "t2.medium", "t3.medium")]
    [InlineData("aws-me-central-1", "t2.micro", "t3.micro")]
    [InlineData("aws-il-central-1", "m4.large", "m5.large")]
    [InlineData("aws-eu-central-2", "c4.large", "c5.large")]
    [InlineData("gcp-me-central2", "c2-standard-4", "e2-highcpu-4")]
    [InlineData("gcp-africa-south1", "n1-standard-2", "n2-standard-2")]
    public void ARegionDoesNotOfferAFamilyItsCloudDoesNotSellThere(string connection, string absent, string sold)
    {
        var region = _catalog.FindConnection(connection)!;
        var names = _catalog.SpecsOf(connection).Select(s => s.CspSpecName).ToList();

        Assert.DoesNotContain(absent, names);
        Assert.Contains(sold, names);
        Assert.Null(_catalog.FindSpec($"{region.Provider}+{region.Region}+{absent}"));
        Assert.NotNull(_catalog.FindSpec($"{region.Provider}+{region.Region}+{sold}"));
    }

    [Fact]
    public void TheDataFileSaysWhereRegionalAvailabilityComesFrom()
    {
        using var stream = typeof(CloudCatalog).Assembly.GetManifestResourceStream("Ladybug.Sandbox.Catalog.sandbox-specs.json")!;
        using var document = System.Text.Json.JsonDocument.Parse(stream);
        var providers = document.RootElement.GetProperty("providers");

        Assert.All(new[] { "aws", "gcp", "azure" }, p => Assert.Contains("2026-12-06", providers.GetProperty(p).GetProperty("availabilitySource").GetString()));
    }

    [Theory]
    [InlineData("aws")]
    [InlineData("gcp")]
    [InlineData("azure")]
    public void EveryRegionalGapCitesASourceThatIsALinkACommitOrSaysItIsRecalled(string provider)
    {
        using var stream = typeof(CloudCatalog).Assembly.GetManifestResourceStream("Ladybug.Sandbox.Catalog.sandbox-specs.json")!;
        using var document = System.Text.Json.JsonDocument.Parse(stream);
        var offer = document.RootElement.GetProperty("providers").GetProperty(provider);
        var sources = offer.GetProperty("availabilitySources").EnumerateObject().ToDictionary(s => s.Name, s => s.Value.GetString()!);
        var cited = offer.GetProperty("families").EnumerateArray()
            .Where(f => f.TryGetProperty("notSoldIn", out _))
            .SelectMany(f => f.GetProperty("notSoldIn").EnumerateObject().Select(fact => fact.Value.GetString()!))
            .ToHashSet();

        Assert.NotEmpty(cited);
        Assert.All(cited, id => Assert.True(sources.ContainsKey(id), $"{provider}: source '{id}' is not in availabilitySources"));
        Assert.All(cited.Select(id => sources[id]), text => Assert.Matches(@"https://|@[0-9a-f]{40}|recollection|Inferred", text));
    }

    [Fact]
    public void ARegionalGapWithoutAListedSourceIsABrokenDataFile()
    {
        const string json = """
            {"providers": {"azure": {
              "regionPriceFactors": {"eastus": 1.0},
              "availabilitySources": {"azure-retail-prices": "a source"},
              "families": [{"family": "B", "notSoldIn": {"eastus": "my-memory"}, "specs": [["Standard_B2s", 2, 4, 0.0416]]}]}}}
            """;

        var error = Assert.Throws<InvalidOperationException>(() => SpecCatalogFile.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))));

        Assert.Contains("'my-memory'", error.Message);
    }

    [Fact]
    public void AzureFamiliesHonourTheirRegionalGapsLikeEveryOtherCloud()
    {
        const string json = """
            {"providers": {"azure": {
              "regionPriceFactors": {"eastus": 1.0, "chilecentral": 1.2},
              "availabilitySources": {"azure-retail-prices": "a source"},
              "families": [
                {"family": "Dsv3", "notSoldIn": {"chilecentral": "azure-retail-prices"}, "specs": [["Standard_D2s_v3", 2, 8, 0.096]]},
                {"family": "Dsv5", "specs": [["Standard_D2s_v5", 2, 8, 0.096]]}]}}}
            """;
        var offer = SpecCatalogFile.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)))["azure"];
        CatalogRegion Region(string name) => new("azure", name, name, name, 0, 0, []);

        Assert.Equal(["Standard_D2s_v5"], offer.SpecsIn(Region("chilecentral")).Select(s => s.CspSpecName));
        Assert.Equal(["Standard_D2s_v3", "Standard_D2s_v5"], offer.SpecsIn(Region("eastus")).Select(s => s.CspSpecName));
    }

    [Fact]
    public void EveryRegionOffersSpecsBelowAndAboveKubeadmsMinimum()
    {
        Assert.All(_catalog.Regions, region =>
        {
            var specs = _catalog.Specs.Where(s => s.Region == region).ToList();
            Assert.Contains(specs, s => s.VCpu >= 2 && s.MemoryGiB >= 2);
            Assert.Contains(specs, s => s.VCpu < 2 || s.MemoryGiB < 4);
        });
        Assert.Contains(_catalog.Specs, s => s.VCpu < 2);
    }

    [Fact]
    public void SpecIdsFollowTumblebugsLowerCasedProviderRegionNameForm()
    {
        var spec = _catalog.FindSpec("AZURE+KOREACENTRAL+standard_b2s")!;

        Assert.Equal(("azure+koreacentral+standard_b2s", "Standard_B2s", 2, 4.0), (spec.Id, spec.CspSpecName, spec.VCpu, spec.MemoryGiB));
    }

    [Fact]
    public void EveryRegionHasEveryUbuntuLtsImage()
    {
        Assert.All(_catalog.Regions, region =>
            Assert.Equal(CloudCatalog.UbuntuReleases, _catalog.ImagesOf(region).Select(i => i.UbuntuRelease)));
    }
}
