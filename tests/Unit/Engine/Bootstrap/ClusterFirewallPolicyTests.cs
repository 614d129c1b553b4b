using Ladybug.Engine.Bootstrap;
using Ladybug.Engine.Domain;

namespace Ladybug.Tests.Unit.Engine.Bootstrap;

[Trait(TestTier.Category, TestTier.Unit)]
public sealed class ClusterFirewallPolicyTests
{
    private static IEnumerable<string> Rules(Cni cni, params string[] adminCidrs) =>
        ClusterFirewallPolicy.For(cni, new NetworkOptions { AdminCidrs = [.. adminCidrs] }).Inbound.Select(r => $"{r.Protocol} {r.Ports} {r.Cidr}");

    [Fact]
    public void OnlyThePortsKubernetesAndThePodNetworkUseAreOpenNeverEveryPort()
    {
        Assert.Equal(
            ["TCP 22 0.0.0.0/0", "TCP 6443 0.0.0.0/0", "TCP 10250 0.0.0.0/0", "TCP 2379-2380 0.0.0.0/0", "UDP 8472 0.0.0.0/0", "ICMP  0.0.0.0/0"],
            Rules(Cni.Canal, "0.0.0.0/0"));
        Assert.Contains("UDP 51820 0.0.0.0/0", Rules(Cni.Kilo, "0.0.0.0/0"));
        Assert.DoesNotContain(Rules(Cni.Kilo, "0.0.0.0/0"), r => r.Contains("1-65535") || r.StartsWith("UDP 8472", StringComparison.Ordinal));
    }

    [Fact]
    public void AdminCidrsNarrowSshWhileTheOtherNodesStillReachTheApi()
    {
        var rules = Rules(Cni.Canal, "203.0.113.0/24", "198.51.100.7/32").ToList();

        Assert.Equal(["TCP 22 203.0.113.0/24", "TCP 22 198.51.100.7/32"], rules.Where(r => r.StartsWith("TCP 22 ", StringComparison.Ordinal)));
        Assert.Contains("TCP 6443 0.0.0.0/0", rules);
        Assert.Throws<InvalidOperationException>(() => Rules(Cni.Canal, "my office"));
        Assert.Throws<InvalidOperationException>(() => Rules(Cni.Canal));
    }

    [Theory]
    [InlineData("a", "a-cp", true)]
    [InlineData("a", "a-w12", true)]
    [InlineData("a", "a-w1-cp", false)]
    [InlineData("a", "ab-cp", false)]
    [InlineData("a-w1", "a-w1-cp", true)]
    public void OnlyTheClustersOwnNodeGroupSecurityGroupsAreDeletedWithIt(string cluster, string securityGroup, bool its) =>
        Assert.Equal(its, Ladybug.Engine.Infrastructure.Tumblebug.TumblebugInfrastructure.IsNodeGroupSecurityGroup(cluster, securityGroup));
}
