using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Infrastructure.Tumblebug;
using Ladybug.Sandbox;

namespace Ladybug.Tests.Unit.Engine.Bootstrap;

/// <summary>
/// The engine against a sandbox as strict as Tumblebug v0.13 on real clouds: without a SecurityGroup template of its
/// own every VM would open only SSH, and behind the clouds' 1:1 NAT etcd must listen where traffic arrives. HA
/// clusters over three clouds form, grow with the same rules, and leave no template behind.
/// </summary>
[Collection(SandboxProvisioningCollection.Name)]
public sealed class SandboxFirewallTests(SandboxEngine engine) : IClassFixture<SandboxEngine>, IDisposable
{
    public void Dispose() => engine.Sandbox.Control.Faults = new SandboxFaults();

    private static ClusterSpec ThreeClouds(string name, string version, Cni cni) => new()
    {
        Name = name,
        KubernetesVersion = version,
        Cni = cni,
        PodCidr = "10.32.0.0/16",
        ControlPlane = new() { Connection = "aws-ap-northeast-1", Spec = "t3.medium", Count = 3 },
        WorkerPools =
        [
            new() { Connection = "gcp-europe-west2", Spec = "e2-medium", Count = 1 },
            new() { Connection = "azure-koreacentral", Spec = "Standard_B2s", Count = 1 },
        ],
    };

    private HttpClient Tumblebug()
    {
        var http = new HttpClient { BaseAddress = new Uri(engine.Sandbox.TumblebugUrl.AbsoluteUri + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{engine.Sandbox.User}:{engine.Sandbox.Password}")));
        return http;
    }

    private async Task<HttpStatusCode> TemplateStatusAsync(string clusterName)
    {
        using var http = Tumblebug();
        using var response = await http.GetAsync($"ns/default/template/securityGroup/{TumblebugInfrastructure.FirewallTemplateId(clusterName)}");
        return response.StatusCode;
    }

    /// <summary>The node groups' security groups Tumblebug still has for the cluster.</summary>
    private async Task<IReadOnlyList<string>> SecurityGroupsAsync(string clusterName)
    {
        using var http = Tumblebug();
        var ids = (await http.GetFromJsonAsync<JsonElement>("ns/default/resources/securityGroup?option=id")).GetProperty("output");
        return ids.ValueKind == JsonValueKind.Null ? [] : [.. ids.EnumerateArray().Select(i => i.GetString()!).Where(i => i.StartsWith(clusterName + "-", StringComparison.Ordinal))];
    }

    // 1.23 writes etcd's extraArgs as a map (kubeadm v1beta3), the default version as a list (v1beta4).
    [Theory]
    [InlineData(Cni.Canal, "1.23.17", "8472/udp from 0.0.0.0/0")]
    [InlineData(Cni.Kilo, null, "51820/udp from 0.0.0.0/0")]
    public async Task ThreeControlPlanesOnThreeCloudsFormBehindTheClustersOwnSecurityGroupsAndLeaveNoTemplate(Cni cni, string? version, string dataPlane)
    {
        var name = $"fw-{cni.ToString().ToLowerInvariant()}";
        var created = await engine.Clusters.CreateAsync(ThreeClouds(name, version ?? KubernetesVersionCatalog.DefaultVersion, cni));
        var cluster = await engine.WaitForAsync(created.Id, ClusterPhase.Provisioned, ClusterPhase.Failed);

        Assert.True(cluster.Phase == ClusterPhase.Provisioned, $"{cluster.Reason}: {cluster.Message}");
        Assert.All(await engine.NodesAsync(created.Id), n => Assert.Equal(NodeStatus.Ready, n.Status));
        Assert.Equal(HttpStatusCode.OK, await TemplateStatusAsync(name));
        Assert.Equal([$"{name}-cp", $"{name}-w1", $"{name}-w2"], await SecurityGroupsAsync(name));
        var machines = engine.Leftovers(name).Machines;
        Assert.Equal(5, machines.Count);
        foreach (var machine in machines)
        {
            Assert.Equal($"{name}-{machine.NodeId[..machine.NodeId.LastIndexOf('-')]}", machine.SecurityGroup);
            Assert.Equal(
                ["22/tcp from 0.0.0.0/0", "6443/tcp from 0.0.0.0/0", "10250/tcp from 0.0.0.0/0", "2379-2380/tcp from 0.0.0.0/0", dataPlane, "icmp from 0.0.0.0/0"],
                machine.Inbound);
        }

        // A pool added later gets its own security group from the same template.
        await engine.Clusters.AddNodesAsync(created.Id, [new NodePoolSpec { Connection = "alibaba-ap-northeast-1", Spec = "ecs.c7.large", Count = 1 }]);
        var grown = await engine.WaitForAsync(created.Id, ClusterPhase.Provisioned, ClusterPhase.Failed);
        Assert.True(grown.Phase == ClusterPhase.Provisioned, $"{grown.Reason}: {grown.Message}");
        var added = Assert.Single(engine.Leftovers(name).Machines, m => m.NodeId == "w3-1");
        Assert.Equal($"{name}-w3", added.SecurityGroup);
        Assert.Equal(machines[0].Inbound, added.Inbound);

        await engine.Clusters.DeleteAsync(created.Id);
        await engine.WaitForAsync(created.Id, ClusterPhase.Deleted);
        Assert.Equal(HttpStatusCode.InternalServerError, await TemplateStatusAsync(name)); // Tumblebug's "not found" on GET
        Assert.Empty(await SecurityGroupsAsync(name));
    }

    [Fact]
    public async Task ARolledBackCreateDeletesTheTemplateToo()
    {
        engine.Sandbox.Control.Faults = new SandboxFaults { FailSteps = [new StepFault { Step = "kubeadm-init", Node = "cp-1", Times = 0, ExitCode = 3 }] };
        var created = await engine.Clusters.CreateAsync(ThreeClouds("fw-rollback", "1.23.17", Cni.Canal));
        var cluster = await engine.WaitForAsync(created.Id, ClusterPhase.Failed);

        Assert.Equal(FailureReason.InitControlPlaneFailed, cluster.Reason);
        Assert.True(await Ladybug.Tests.Unit.Sandbox.TestSandbox.EventuallyAsync(
            async () => engine.Leftovers("fw-rollback").Machines.Count == 0 && await TemplateStatusAsync("fw-rollback") == HttpStatusCode.InternalServerError
                && (await SecurityGroupsAsync("fw-rollback")).Count == 0,
            TimeSpan.FromSeconds(15)));
    }
}
