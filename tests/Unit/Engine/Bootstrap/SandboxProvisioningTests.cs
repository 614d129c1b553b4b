using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Ladybug.Engine.Clusters;
using Ladybug.Engine.Domain;
using Ladybug.Sandbox;
using YamlDotNet.RepresentationModel;

namespace Ladybug.Tests.Unit.Engine.Bootstrap;

/// <summary>
/// Full runs: the real engine provisions real sandbox VMs over SSH, and the node simulator plays kubeadm and kubectl.
/// What the simulator's kubectl reports is what the engine's steps really did.
/// </summary>
[Collection(SandboxProvisioningCollection.Name)]
public sealed class SandboxProvisioningTests(SandboxEngine engine) : IClassFixture<SandboxEngine>, IDisposable
{
    public void Dispose() => engine.Sandbox.Control.Faults = new SandboxFaults();

    private static ClusterSpec MultiCloud(string name, string version = "1.23.17", Cni cni = Cni.Kilo, int controlPlanes = 1) => new()
    {
        Name = name,
        KubernetesVersion = version,
        Cni = cni,
        PodCidr = "10.32.0.0/16",
        ControlPlane = new() { Connection = "aws-ap-northeast-1", Spec = "t3.medium", Count = controlPlanes },
        WorkerPools =
        [
            new() { Connection = "gcp-europe-west2", Spec = "e2-medium", Count = 2 },
            new() { Connection = "azure-koreacentral", Spec = "Standard_B2s", Count = 1 },
        ],
    };

    [Fact]
    public async Task AMultiCloudClusterIsCreatedGrownShrunkAndDeletedForReal()
    {
        var created = await engine.Clusters.CreateAsync(MultiCloud("multi"));
        var cluster = await engine.WaitForAsync(created.Id, ClusterPhase.Provisioned, ClusterPhase.Failed);

        Assert.True(cluster.Phase == ClusterPhase.Provisioned, $"{cluster.Reason}: {cluster.Message}");
        var nodes = await engine.NodesAsync(created.Id);
        Assert.Equal(["cp-1", "w1-1", "w1-2", "w2-1"], nodes.Select(n => n.Name));
        Assert.All(nodes, n => Assert.Equal((NodeStatus.Ready, "v1.23.17"), (n.Status, n.KubeletVersion)));
        Assert.Equal(("aws", "ap-northeast-1"), (nodes[0].Csp, nodes[0].Region));
        Assert.Equal(("gcp", "europe-west2"), (nodes[1].Csp, nodes[1].Region));
        Assert.Equal(("azure", "koreacentral"), (nodes[3].Csp, nodes[3].Region));
        Assert.Equal("ap-northeast-1a", nodes[0].Zone);
        var leader = nodes[0];
        // record-machines keeps what create-machines read: single-Infra reads are scarce (2 a second per client).
        Assert.Single(engine.Sandbox.Control.Requests, r => r.Method == "GET" && r.Path == "/ns/default/infra/multi" && r.Query.Contains("option=accessinfo", StringComparison.Ordinal));

        // The kubeconfig is stored sealed, points at the leader's public IP and carries a real CA and client certificate.
        var kubeconfig = await engine.Queries.ReadKubeconfigAsync(created.Id, "test");
        Assert.NotNull(kubeconfig);
        AssertKubeconfig(kubeconfig, $"https://{leader.PublicIp}:6443", "multi");

        // The simulated API server knows exactly the nodes that joined, labelled with where they run.
        var view = await KubectlNodesAsync(leader);
        Assert.Equal(nodes.Select(n => n.Name), view.Keys);
        foreach (var node in nodes)
        {
            var labels = view[node.Name].GetProperty("metadata").GetProperty("labels");
            Assert.Equal(node.Csp, labels.GetProperty("topology.cloud-barista.github.io/csp").GetString());
            Assert.Equal(node.Region, labels.GetProperty("topology.kubernetes.io/region").GetString());
            Assert.Equal(node.Zone, labels.GetProperty("topology.kubernetes.io/zone").GetString());
            Assert.Equal($"{node.PublicIp}:51820", view[node.Name].GetProperty("metadata").GetProperty("annotations").GetProperty("kilo.squat.ai/force-endpoint").GetString());
            Assert.Equal("True", view[node.Name].GetProperty("status").GetProperty("conditions")[0].GetProperty("status").GetString());
        }

        // Secrets never reach the stored log.
        var log = await engine.LogAsync(created.Id);
        Assert.Equal(4, engine.Leftovers("multi").Machines.Count);
        AssertNoSecrets(log, kubeconfig);
        Assert.Contains("Your Kubernetes control-plane has initialized successfully!", log);
        Assert.Contains("This node has joined the cluster:", log);

        // Add a worker pool on another cloud: it joins with a fresh token and shows up labelled.
        await engine.Clusters.AddNodesAsync(created.Id, [new NodePoolSpec { Connection = "alibaba-ap-northeast-1", Spec = "ecs.c7.large", Count = 1 }]);
        var grown = await engine.WaitForAsync(created.Id, ClusterPhase.Provisioned, ClusterPhase.Failed);
        Assert.True(grown.Phase == ClusterPhase.Provisioned, $"{grown.Reason}: {grown.Message}");
        view = await KubectlNodesAsync(leader);
        Assert.Equal(["cp-1", "w1-1", "w1-2", "w2-1", "w3-1"], view.Keys);
        Assert.Equal("alibaba", view["w3-1"].GetProperty("metadata").GetProperty("labels").GetProperty("topology.cloud-barista.github.io/csp").GetString());

        // Remove a worker: drained and deleted from Kubernetes, then its machine is gone.
        await engine.Clusters.RemoveNodeAsync(created.Id, "w1-1");
        var shrunk = await engine.WaitForAsync(created.Id, ClusterPhase.Provisioned, ClusterPhase.Failed);
        Assert.True(shrunk.Phase == ClusterPhase.Provisioned, $"{shrunk.Reason}: {shrunk.Message}");
        Assert.Equal(["cp-1", "w1-2", "w2-1", "w3-1"], (await KubectlNodesAsync(leader)).Keys);
        Assert.DoesNotContain(engine.Sandbox.Machines, m => m.NodeId == "w1-1");
        Assert.Contains("node/w1-1 drained", await engine.LogAsync(created.Id));

        // Delete: every VM and sshd of the cluster goes; the cluster stays as history.
        await engine.Clusters.DeleteAsync(created.Id);
        var deleted = await engine.WaitForAsync(created.Id, ClusterPhase.Deleted, ClusterPhase.Failed);
        Assert.Equal(ClusterPhase.Deleted, deleted.Phase);
        Assert.True(await TestSandboxEventually(() => engine.Leftovers("multi") is { Machines.Count: 0, Sshds.Count: 0 }));
        AssertNoSecrets(await engine.LogAsync(created.Id), kubeconfig);
    }

    [Fact]
    public async Task AnHaClusterJoinsItsControlPlanesOneAfterAnother()
    {
        // Each control-plane join holds "etcd member joining" for its whole latency; an overlapping join would fail.
        var created = await engine.Clusters.CreateAsync(MultiCloud("ha", version: "1.18.20", cni: Cni.Canal, controlPlanes: 3) with
        {
            WorkerPools = [new() { Connection = "gcp-europe-west2", Spec = "e2-medium", Count = 1 }],
        });
        var cluster = await engine.WaitForAsync(created.Id, ClusterPhase.Provisioned, ClusterPhase.Failed);

        Assert.True(cluster.Phase == ClusterPhase.Provisioned, $"{cluster.Reason}: {cluster.Message}");
        var nodes = await engine.NodesAsync(created.Id);
        var view = await KubectlNodesAsync(nodes.Single(n => n.Name == cluster.LeaderNodeName));
        Assert.Equal(["cp-1", "cp-2", "cp-3", "w1-1"], view.Keys);
        Assert.All(["cp-1", "cp-2", "cp-3"], cp =>
            Assert.True(view[cp].GetProperty("metadata").GetProperty("labels").TryGetProperty("node-role.kubernetes.io/master", out _)));
        Assert.All(nodes, n => Assert.Equal("v1.18.20", n.KubeletVersion));
        Assert.All(nodes, n => Assert.Equal(n.PublicIp,
            view[n.Name].GetProperty("metadata").GetProperty("annotations").GetProperty("flannel.alpha.coreos.com/public-ip-overwrite").GetString()));

        // The log shows each control-plane join finished before the next began.
        var log = (await engine.LogAsync(created.Id)).Split('\n');
        int Line(string text) => Array.FindIndex(log, l => l.Contains(text, StringComparison.Ordinal));
        var cp2Done = Line("cp-2 joined as a control plane");
        var cp3Done = Line("cp-3 joined as a control plane");
        Assert.True(cp2Done >= 0 && cp3Done > cp2Done);
        Assert.Contains("haproxy on 127.0.0.1:6443 balances over 3 control planes", string.Join('\n', log));

        await engine.Clusters.DeleteAsync(created.Id);
        await engine.WaitForAsync(created.Id, ClusterPhase.Deleted);
        Assert.True(await TestSandboxEventually(() => engine.Leftovers("ha") is { Machines.Count: 0, Sshds.Count: 0 }));
    }

    /// <summary>
    /// The sandbox serves only artifacts that exist upstream: 1.18's canal (a Jekyll stub at its calico tag), 1.23.13's
    /// CoreDNS (registry.k8s.io/coredns:v1.8.6 does not exist) and the newest minor's packages all have to be real.
    /// </summary>
    [Theory]
    [InlineData("1.18.20")]
    [InlineData("1.23.13")]
    [InlineData("newest")]
    public async Task LegacyAndNewestVersionsProvisionWithCanalFromArtifactsThatExist(string version)
    {
        if (version == "newest") version = KubernetesVersionCatalog.DefaultVersion;
        var name = "canal-" + version.Replace('.', '-');
        var created = await engine.Clusters.CreateAsync(MultiCloud(name, version, Cni.Canal) with
        {
            WorkerPools = [new() { Connection = "gcp-europe-west2", Spec = "e2-medium", Count = 1 }],
        });
        var cluster = await engine.WaitForAsync(created.Id, ClusterPhase.Provisioned, ClusterPhase.Failed);

        Assert.True(cluster.Phase == ClusterPhase.Provisioned, $"{cluster.Reason}: {cluster.Message}");
        Assert.All(await engine.NodesAsync(created.Id), n => Assert.Equal((NodeStatus.Ready, $"v{version}"), (n.Status, n.KubeletVersion)));
        Assert.Contains("canal applied with pod CIDR 10.32.0.0/16", await engine.LogAsync(created.Id));

        await engine.Clusters.DeleteAsync(created.Id);
        await engine.WaitForAsync(created.Id, ClusterPhase.Deleted);
        Assert.True(await TestSandboxEventually(() => engine.Leftovers(name) is { Machines.Count: 0, Sshds.Count: 0 }));
    }

    [Theory]
    [InlineData("prepare", "w1-2", FailureReason.SetupBootstrapFailed)]
    [InlineData("kubeadm-init", "cp-1", FailureReason.InitControlPlaneFailed)]
    [InlineData("cni", "cp-1", FailureReason.SetupNetworkCniFailed)]
    [InlineData("join-worker", "w2-1", FailureReason.JoinWorkerFailed)]
    public async Task AFailedStepFailsTheClusterWithItsReasonAndRollsBackEveryVm(string step, string node, string reason)
    {
        engine.Sandbox.Control.Faults = new SandboxFaults { FailSteps = [new StepFault { Step = step, Node = node, Times = 0, ExitCode = 3 }] };
        var name = "fail-" + step;
        var created = await engine.Clusters.CreateAsync(MultiCloud(name));
        var cluster = await engine.WaitForAsync(created.Id,
            (c, jobs) => c.Phase == ClusterPhase.Failed && jobs.Any(j => j.Kind == JobKind.Rollback && j.State == JobState.Succeeded));

        Assert.Equal(reason, cluster.Reason);
        Assert.True(cluster.Message!.Contains($"Step '{step}' failed on node {node} with exit code 3.", StringComparison.Ordinal), cluster.Message);
        Assert.Contains("Last ", cluster.Message);
        Assert.Contains($"'{step}' fails on {node} on purpose", cluster.Message);
        Assert.Contains("The machines were deleted.", cluster.Message);
        Assert.Contains(await engine.Queries.JobsAsync(created.Id), j => j.Kind == JobKind.Rollback && j.State == JobState.Succeeded);
        Assert.True(await TestSandboxEventually(() => engine.Leftovers(name) is { Machines.Count: 0, Sshds.Count: 0 }),
            $"left behind: {engine.Leftovers(name)}");
        Assert.All(await engine.NodesAsync(created.Id), n => Assert.Equal(NodeStatus.Deleted, n.Status));
    }

    private async Task<Dictionary<string, JsonElement>> KubectlNodesAsync(Node leader)
    {
        var result = await engine.RunOnAsync(leader, "sudo kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o json");
        Assert.True(result.ExitStatus == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        return json.RootElement.GetProperty("items").EnumerateArray()
            .ToDictionary(n => n.GetProperty("metadata").GetProperty("name").GetString()!, n => n.Clone());
    }

    private static void AssertKubeconfig(string kubeconfig, string server, string clusterName)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(kubeconfig));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var clusterEntry = (YamlMappingNode)((YamlMappingNode)((YamlSequenceNode)root["clusters"])[0])["cluster"];
        Assert.Equal(server, clusterEntry["server"].ToString());
        Assert.Equal(clusterName, ((YamlMappingNode)((YamlSequenceNode)root["clusters"])[0])["name"].ToString());
        var user = (YamlMappingNode)((YamlMappingNode)((YamlSequenceNode)root["users"])[0])["user"];

        using var ca = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(Convert.FromBase64String(clusterEntry["certificate-authority-data"].ToString())));
        var clientPem = Encoding.ASCII.GetString(Convert.FromBase64String(user["client-certificate-data"].ToString()));
        var keyPem = Encoding.ASCII.GetString(Convert.FromBase64String(user["client-key-data"].ToString()));
        using var client = X509Certificate2.CreateFromPem(clientPem, keyPem);
        Assert.Equal("CN=kubernetes", ca.Subject);
        Assert.Equal(ca.Subject, client.Issuer);
        Assert.Contains("O=system:masters", client.Subject);
        Assert.True(client.HasPrivateKey);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(client), "the client certificate is signed by the cluster CA");
    }

    private static void AssertNoSecrets(string log, string kubeconfig)
    {
        Assert.DoesNotContain("PRIVATE KEY", log);
        Assert.DoesNotContain("client-key-data", log);
        Assert.DoesNotMatch(@"--token [a-z0-9]{6}\.[a-z0-9]{16}", log);
        Assert.DoesNotMatch(@"Using token: [a-z0-9]{6}\.[a-z0-9]{16}", log);
        Assert.DoesNotMatch(@"(?m)^[a-f0-9]{64}$", log);
        Assert.DoesNotMatch(@"sha256:[a-f0-9]{64}", log);
        var clientKey = kubeconfig.Split('\n').Single(l => l.Contains("client-key-data")).Split(':')[1].Trim();
        Assert.DoesNotContain(clientKey[..40], log);
        Assert.Contains("[REDACTED]", log);
    }

    private static Task<bool> TestSandboxEventually(Func<bool> condition) =>
        Ladybug.Tests.Unit.Sandbox.TestSandbox.EventuallyAsync(condition, TimeSpan.FromSeconds(15));
}

/// <summary>Full sandbox runs start dozens of sshd and simulator processes: they run one class at a time.</summary>
[CollectionDefinition(Name)]
public sealed class SandboxProvisioningCollection
{
    public const string Name = "Sandbox provisioning";
}
