using Ladybug.Engine.Bootstrap;
using Ladybug.Engine.Domain;
using Ladybug.Engine.Infrastructure;

namespace Ladybug.Tests.Support;

/// <summary>The firewall the engine asks for a Canal cluster with the default settings, for tests that create machines directly.</summary>
public static class TestFirewall
{
    public static readonly ClusterFirewall Cluster = ClusterFirewallPolicy.For(Cni.Canal, new NetworkOptions());
}
