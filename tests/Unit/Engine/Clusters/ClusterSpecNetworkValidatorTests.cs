using Ladybug.Engine.Clusters;
using static Ladybug.Tests.Unit.Engine.Clusters.ClusterSpecValidatorTests;

namespace Ladybug.Tests.Unit.Engine.Clusters;

/// <summary>The validator's rules for the cluster's networks: pod and service CIDRs, and the DNS domain.</summary>
[Trait(TestTier.Category, TestTier.Unit)]
public sealed class ClusterSpecNetworkValidatorTests
{
    [Theory]
    [InlineData("10.244.0.0")]
    [InlineData("10.244.0.0/33")]
    [InlineData("10.244.0.0/-1")]
    [InlineData("300.244.0.0/16")]
    [InlineData("10.244.0/16")]
    [InlineData("10.244.0.0.0/16")]
    [InlineData("abc")]
    [InlineData("10.244.0.0/16/1")]
    [InlineData("fd00::/64")]
    [InlineData("010.244.0.0/16")]
    [InlineData("0x0a.244.0.0/16")]
    [InlineData("10.244.0.0/+16")]
    [InlineData("10.244.0.0/ 16")]
    [InlineData("10.244.0.0/016")]
    [InlineData("10. 244.0.0/16")]
    public void MalformedPodCidrIsRejected(string cidr) =>
        AssertOnlyError(ClusterSpecs.Valid() with { PodCidr = cidr }, "podCidr", $"Pod CIDR '{cidr}' is not an IPv4 CIDR like 10.244.0.0/16.");

    [Fact]
    public void MalformedServiceCidrIsRejected() =>
        AssertOnlyError(ClusterSpecs.Valid() with { ServiceCidr = "10.96.0.0/xx" }, "serviceCidr", "Service CIDR '10.96.0.0/xx' is not an IPv4 CIDR like 10.244.0.0/16.");

    [Theory]
    [InlineData("podCidr")]
    [InlineData("serviceCidr")]
    public void CidrsAreRequired(string field)
    {
        var spec = field == "podCidr" ? ClusterSpecs.Valid() with { PodCidr = " " } : ClusterSpecs.Valid() with { ServiceCidr = "" };

        AssertOnlyError(spec, field, field == "podCidr" ? "Pod CIDR is required." : "Service CIDR is required.");
    }

    [Fact]
    public void PodCidrWithHostBitsSetIsRejectedWithTheNetworkMeant() =>
        AssertOnlyError(ClusterSpecs.Valid() with { PodCidr = "10.244.1.0/16" }, "podCidr", "Pod CIDR '10.244.1.0/16' has host bits set: did you mean 10.244.0.0/16?");

    [Fact]
    public void ServiceCidrWithHostBitsSetIsRejectedWithTheNetworkMeant() =>
        AssertOnlyError(ClusterSpecs.Valid() with { ServiceCidr = "10.96.0.1/12" }, "serviceCidr", "Service CIDR '10.96.0.1/12' has host bits set: did you mean 10.96.0.0/12?");

    [Theory]
    [InlineData("10.96.0.0/16", "10.96.0.0/12")]
    [InlineData("10.0.0.0/8", "10.96.0.0/12")]
    [InlineData("10.100.0.0/16", "10.96.0.0/12")]
    [InlineData("172.16.0.0/16", "172.16.255.0/24")]
    public void OverlappingPodAndServiceCidrsAreRejectedOnBothFields(string pod, string service)
    {
        var errors = ClusterSpecValidator.Validate(ClusterSpecs.Valid() with { PodCidr = pod, ServiceCidr = service });

        Assert.Equal(["podCidr", "serviceCidr"], errors.ByField.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([$"Pod CIDR {pod} overlaps service CIDR {service}."], errors.For("podCidr"));
        Assert.Equal([$"Service CIDR {service} overlaps pod CIDR {pod}."], errors.For("serviceCidr"));
    }

    [Theory]
    [InlineData("10.112.0.0/16", "10.96.0.0/12")]
    [InlineData("10.95.0.0/16", "10.96.0.0/12")]
    [InlineData("192.168.0.0/16", "10.96.0.0/12")]
    public void AdjacentPodAndServiceCidrsAreAccepted(string pod, string service) =>
        AssertValid(ClusterSpecs.Valid() with { PodCidr = pod, ServiceCidr = service });

    [Theory]
    [InlineData(25)]
    [InlineData(28)]
    [InlineData(32)]
    public void PodCidrSmallerThanSlash24IsRejected(int prefix) =>
        AssertOnlyError(ClusterSpecs.Valid() with { PodCidr = $"10.244.0.0/{prefix}" }, "podCidr",
            $"Pod CIDR /{prefix} is too small: each node takes a /24, so use /24 or larger (e.g. /16).");

    [Fact]
    public void PodCidrOfSlash24IsAccepted() => AssertValid(ClusterSpecs.Valid() with { PodCidr = "10.244.0.0/24" });

    [Theory]
    [InlineData("10.0.0.0/11")]
    [InlineData("64.0.0.0/2")]
    public void ServiceCidrLargerThanSlash12IsRejected(string service) =>
        AssertOnlyError(ClusterSpecs.Valid() with { ServiceCidr = service }, "serviceCidr",
            $"Service CIDR /{service.Split('/')[1]} is too large: the API server accepts /12 or smaller.");

    [Theory]
    [InlineData("10.96.0.0/12")]
    [InlineData("10.96.0.0/24")]
    public void ServiceCidrOfSlash12OrSmallerIsAccepted(string service) => AssertValid(ClusterSpecs.Valid() with { ServiceCidr = service });

    [Fact]
    public void DnsDomainIsRequired() =>
        AssertOnlyError(ClusterSpecs.Valid() with { DnsDomain = "" }, "dnsDomain", "DNS domain is required (usually cluster.local).");

    [Theory]
    [InlineData("Cluster.local")]
    [InlineData("cluster..local")]
    [InlineData("-cluster.local")]
    [InlineData("cluster-.local")]
    [InlineData("cluster.local.")]
    [InlineData(".cluster.local")]
    [InlineData("cluster_local")]
    [InlineData("cluster local")]
    public void BadDnsDomainIsRejected(string domain) =>
        AssertOnlyError(ClusterSpecs.Valid() with { DnsDomain = domain }, "dnsDomain",
            $"DNS domain '{domain}' must be lowercase DNS labels separated by dots, like cluster.local.");

    [Fact]
    public void DnsDomainWithALabelLongerThan63CharactersIsRejected()
    {
        var domain = new string('a', 64) + ".local";

        AssertOnlyError(ClusterSpecs.Valid() with { DnsDomain = domain }, "dnsDomain",
            $"DNS domain '{domain}' must be lowercase DNS labels separated by dots, like cluster.local.");
    }

    [Theory]
    [InlineData("cluster.local")]
    [InlineData("k8s.example.com")]
    [InlineData("local")]
    public void DnsDomainsMadeOfLowercaseLabelsAreAccepted(string domain) => AssertValid(ClusterSpecs.Valid() with { DnsDomain = domain });
}
