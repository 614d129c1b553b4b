using Ladybug.Engine.Bootstrap;
using Ladybug.Engine.Domain;

namespace Ladybug.Tests.Unit.Engine.Bootstrap;

/// <summary>The pod-network check's lines, and the failure it makes of unanswered pings.</summary>
[Trait(TestTier.Category, TestTier.Unit)]
public sealed class PodNetworkReportTests
{
    private static readonly Dictionary<string, string> Csps = new() { ["cp-1"] = "aws", ["w1-1"] = "gcp", ["w2-1"] = "azure" };

    [Fact]
    public void TheTunnelAddressIsTheNetworkAddressOfCanalsPodCidrAndKilosWireGuardIp()
    {
        var addresses = PodNetworkReport.ParseOverlay(
            "[ladybug] noise\nladybug-overlay: cp-1 10.32.0.0/24\nladybug-overlay: w1-1 10.4.0.2/16\nladybug-overlay: w2-1 not-an-ip\n");

        Assert.Equal(new Dictionary<string, string> { ["cp-1"] = "10.32.0.0", ["w1-1"] = "10.4.0.2" }, addresses);
    }

    [Fact]
    public void AllAnsweredIsNoFailure()
    {
        var probes = PodNetworkReport.ParseProbes("cp-1", "ladybug-pod-network: w1-1 10.32.1.0 reachable\n");

        Assert.Equal([new PodNetworkProbe("cp-1", "w1-1", "10.32.1.0", true)], probes);
        Assert.Null(PodNetworkReport.Failure(Cni.Canal, probes, Csps));
    }

    [Fact]
    public void UnansweredPairsAreNamedWithTheirCloudsThePortAndTheNodeTheyShare()
    {
        PodNetworkProbe[] probes =
        [
            new("cp-1", "w1-1", "10.32.1.0", false), new("cp-1", "w2-1", "10.32.2.0", true),
            new("w1-1", "cp-1", "10.32.0.0", false), new("w1-1", "w2-1", "10.32.2.0", false),
            new("w2-1", "cp-1", "10.32.0.0", true), new("w2-1", "w1-1", "10.32.1.0", false),
        ];

        var failure = PodNetworkReport.Failure(Cni.Canal, probes, Csps)!;

        Assert.StartsWith("pod network: cp-1 (aws) cannot reach w1-1 (gcp) over 8472/udp (Canal's flannel VXLAN), nor can 3 more pair(s) of the 6 checked: check the security groups.", failure);
        Assert.Contains("\n  w2-1 (azure) -> w1-1 (gcp) at 10.32.1.0: no answer through the tunnel", failure);
        Assert.Contains("Every failing pair involves w1-1 (gcp)", failure);
        Assert.DoesNotContain("cp-1 (aws) -> w2-1", failure);
    }

    [Fact]
    public void OnePairAloneNamesWireGuardsPortAndBlamesNoSingleNode()
    {
        var failure = PodNetworkReport.Failure(Cni.Kilo, [new("w1-1", "w2-1", "10.4.0.3", false), new("w2-1", "w1-1", "10.4.0.2", false)], Csps)!;

        Assert.StartsWith("pod network: w1-1 (gcp) cannot reach w2-1 (azure) over 51820/udp (Kilo's WireGuard), nor can 1 more pair(s) of the 2 checked", failure);
        Assert.DoesNotContain("Every failing pair involves", failure);
    }
}
