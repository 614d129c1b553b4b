namespace Ladybug.Engine.Infrastructure;

/// <summary>
/// One inbound rule a cluster asks of the cloud. <paramref name="Protocol"/> is "TCP", "UDP" or "ICMP";
/// <paramref name="Ports"/> a port or range ("2379-2380"), empty for ICMP; <paramref name="Cidr"/> the allowed sources.
/// </summary>
public sealed record FirewallRule(string Protocol, string Ports, string Cidr, string Purpose);

/// <summary>The inbound rules every machine of one cluster gets (outbound stays open, as clouds default).</summary>
public sealed record ClusterFirewall(IReadOnlyList<FirewallRule> Inbound);
