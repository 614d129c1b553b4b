using Ladybug.Engine.Infrastructure;
using Ladybug.Engine.Infrastructure.Tumblebug;
using Ladybug.Tests.Support;

namespace Ladybug.Tests.Unit.Engine.Infrastructure.Tumblebug;

/// <summary>The client's SecurityGroup template: registered before the machines, named on every node group, kept in step, deleted with them.</summary>
public sealed class TumblebugFirewallTests(SandboxCloudFixture fixture) : IClassFixture<SandboxCloudFixture>
{
    private const string Ns = "default";

    private static MachinePoolRequest Pool(string name, string connection, string spec) => new(name, connection, spec, 1, "default", null, "22.04");

    private IReadOnlyList<string>? Inbound(string group, string node) =>
        fixture.Cloud.Machines.Single(m => m.InfraId == group && m.NodeId == node).Inbound;

    [Fact]
    public async Task EveryNodeGroupGetsTheClustersRulesAndAReRunWithOtherRulesUpdatesTheTemplateForLaterGroups()
    {
        var group = $"f{Guid.NewGuid():N}"[..12];
        var sshOnly = new ClusterFirewall([new FirewallRule("TCP", "22", "0.0.0.0/0", "ssh")]);

        await fixture.Infrastructure.CreateMachinesAsync(Ns, group, [Pool("cp", "aws-ap-northeast-1", "t3.medium")], sshOnly, null, CancellationToken.None);
        // A later run (after a restart, or the add-nodes job) finds the template registered, with other rules.
        await fixture.Infrastructure.AddMachinesAsync(Ns, group, [Pool("w1", "gcp-europe-west2", "e2-medium")], TestFirewall.Cluster, null, CancellationToken.None);

        Assert.Equal(["22/tcp from 0.0.0.0/0"], Inbound(group, "cp-1")); // an SG keeps the rules it was made with
        Assert.Equal(TestFirewall.Cluster.Inbound.Select(Described), Inbound(group, "w1-1"));
        Assert.Contains(fixture.Cloud.Control.Requests, r => r.Method == "PUT" && r.Path == $"/ns/{Ns}/template/securityGroup/{TumblebugInfrastructure.FirewallTemplateId(group)}");

        await fixture.Infrastructure.DeleteAllAsync(Ns, group, CancellationToken.None);
        await fixture.Infrastructure.DeleteAllAsync(Ns, group, CancellationToken.None); // already gone: fine

        Assert.Contains(fixture.Cloud.Control.Requests, r => r.Method == "DELETE" && r.Path == $"/ns/{Ns}/template/securityGroup/{TumblebugInfrastructure.FirewallTemplateId(group)}" && r.StatusCode == 200);
        Assert.Contains(fixture.Cloud.Control.Requests, r => r.Method == "DELETE" && r.Path == $"/ns/{Ns}/resources/securityGroup/{group}-w1" && r.StatusCode == 200);
    }

    private static string Described(FirewallRule rule) => rule.Protocol == "ICMP"
        ? $"icmp from {rule.Cidr}"
        : $"{rule.Ports}/{rule.Protocol.ToLowerInvariant()} from {rule.Cidr}";
}
