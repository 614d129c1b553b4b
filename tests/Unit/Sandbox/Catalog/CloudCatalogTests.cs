using Ladybug.Sandbox.Catalog;

namespace Ladybug.Tests.Unit.Sandbox.Catalog;

public sealed class CloudCatalogTests
{
    private readonly CloudCatalog _catalog = new();

    [Fact]
    public void ItSpansAtLeastEightCspsAndTwentyRegions()
    {
        Assert.True(_catalog.Regions.Select(r => r.Provider).Distinct().Count() >= 8);
        Assert.True(_catalog.Regions.Count >= 20);
        Assert.Equal(_catalog.Regions.Count, _catalog.Regions.Select(r => r.ConnectionName).Distinct().Count());
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
            Assert.Equal(CloudCatalog.UbuntuReleases, _catalog.Images.Where(i => i.Provider == region.Provider && i.Region == region.Region).Select(i => i.UbuntuRelease)));
    }
}
