using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Ladybug.Engine.Domain;
using Ladybug.Sandbox;
using Ladybug.Sandbox.Simulator;
using Ladybug.Sandbox.Simulator.Network;
using Ladybug.Tests.Support;
using Ladybug.Tests.Unit.Engine.Bootstrap;
using YamlDotNet.RepresentationModel;

namespace Ladybug.Tests.Unit.Sandbox;

/// <summary>A multi-cloud sandbox cluster the engine provisioned, with its stored admin kubeconfig.</summary>
public sealed class KubeApiCluster : IAsyncLifetime
{
    public SandboxEngine Engine { get; } = new();
    public Guid Id { get; private set; }
    public string Kubeconfig { get; private set; } = "";
    public IReadOnlyList<Node> Nodes { get; private set; } = [];

    public async Task InitializeAsync()
    {
        await Engine.InitializeAsync();
        var created = await Engine.Clusters.CreateAsync(new ClusterSpec
        {
            Name = "kubeapi",
            KubernetesVersion = "1.23.17",
            Cni = Cni.Canal,
            PodCidr = "10.32.0.0/16",
            ControlPlane = new() { Connection = "aws-ap-northeast-1", Spec = "t3.medium", Count = 1 },
            WorkerPools =
            [
                new() { Connection = "gcp-europe-west2", Spec = "e2-medium", Count = 1 },
                new() { Connection = "azure-koreacentral", Spec = "Standard_B2s", Count = 1 },
            ],
        });
        var cluster = await Engine.WaitForAsync(created.Id, ClusterPhase.Provisioned, ClusterPhase.Failed);
        if (cluster.Phase != ClusterPhase.Provisioned) throw new InvalidOperationException($"{cluster.Reason}: {cluster.Message}");
        Id = created.Id;
        Nodes = await Engine.NodesAsync(created.Id);
        Kubeconfig = await Engine.Queries.ReadKubeconfigAsync(created.Id, "test") ?? throw new InvalidOperationException("no kubeconfig stored");
    }

    public Task DisposeAsync() => Engine.DisposeAsync();

    public SandboxMachineInfo Machine(string nodeName) => Engine.Sandbox.Machines.Single(m => m.Address == Nodes.Single(n => n.Name == nodeName).PublicIp);

    public Node Leader => Nodes.Single(n => n.Role == NodeRole.ControlPlane);
}

/// <summary>
/// The sandbox serves each cluster's Kubernetes API where the stored kubeconfig points (the leader's public address,
/// port 6443): kubectl and the official .NET client work against it, it authenticates like kube-apiserver, and a
/// stopped VM's node goes Unknown after the node monitor grace period.
/// </summary>
[Collection(SandboxProvisioningCollection.Name)]
public sealed class SandboxKubeApiTests(KubeApiCluster cluster) : IClassFixture<KubeApiCluster>
{
    private const string CspLabel = "topology.cloud-barista.github.io/csp";
    private const string RegionLabel = "topology.kubernetes.io/region";

    [Fact]
    public async Task KubectlGetNodesListsEveryNodeReadyWithItsCspAndRegion()
    {
        var output = await KubectlAsync("get", "nodes", "-L", $"{CspLabel},{RegionLabel}");

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "STATUS", "ROLES", "AGE", "VERSION", "CSP", "REGION"], Words(lines[0]));
        var rows = lines.Skip(1).Select(Words).ToDictionary(w => w[0]);
        Assert.Equal(cluster.Nodes.Select(n => n.Name).Order(), rows.Keys.Order());
        foreach (var node in cluster.Nodes)
        {
            var row = rows[node.Name];
            Assert.Equal("Ready", row[1]);
            Assert.Equal(node.Role == NodeRole.ControlPlane ? "control-plane,master" : "<none>", row[2]);
            Assert.Equal("v1.23.17", row[4]);
            Assert.Equal((node.Csp, node.Region), (row[5], row[6]));
        }
    }

    [Fact]
    public async Task KubectlGetNodesWideShowsTheNodesAddressesAndSystem()
    {
        var output = await KubectlAsync("get", "nodes", "-o", "wide");

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"],
            lines[0].Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        foreach (var node in cluster.Nodes)
        {
            var line = lines.Single(l => Words(l)[0] == node.Name);
            // The kubelet registers the --node-ip the bootstrap gave it (the public address); without a cloud provider there is no ExternalIP.
            Assert.Contains($" {node.PublicIp} ", line);
            Assert.Contains(" <none> ", line);
            Assert.Matches(@" Ubuntu \d\d\.\d\d\.\d LTS +6\.8\.0-1021-generic +containerd://", line);
        }
    }

    [Fact]
    public async Task KubectlSeesTheKubeSystemPods()
    {
        var output = await KubectlAsync("get", "pods", "-n", "kube-system", "-o", "wide");

        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(Words).ToList();
        var leader = cluster.Leader.Name;
        Assert.Contains(rows, r => r[0] == $"kube-apiserver-{leader}" && r[1] == "1/1" && r[2] == "Running");
        Assert.Contains(rows, r => r[0] == $"etcd-{leader}" && r[2] == "Running");
        Assert.Equal(cluster.Nodes.Count, rows.Count(r => r[0].StartsWith("canal-", StringComparison.Ordinal) && r[2] == "Running"));
        Assert.Equal(cluster.Nodes.Count, rows.Count(r => r[0].StartsWith("kube-proxy-", StringComparison.Ordinal)));
        Assert.Equal(2, rows.Count(r => r[0].StartsWith("coredns-", StringComparison.Ordinal) && r[2] == "Running"));
    }

    [Fact]
    public async Task TheOfficialClientListsAndWatchesAStoppedNodeGoingUnknownAndComingBack()
    {
        using var client = Client(cluster.Kubeconfig);
        var list = await client.CoreV1.ListNodeAsync(labelSelector: $"{CspLabel}=gcp");
        var node = Assert.Single(list.Items);
        Assert.Equal("europe-west2", node.Metadata.Labels[RegionLabel]);
        Assert.Equal("True", Ready(node).Status);
        Assert.Equal("KubeletReady", Ready(node).Reason);
        Assert.Contains(node.Status.Addresses, a => a.Type == "InternalIP" && a.Address == cluster.Nodes.Single(n => n.Name == node.Metadata.Name).PublicIp);
        Assert.Equal("2", node.Status.Capacity["cpu"].ToString());
        Assert.False(node.Spec.Unschedulable ?? false);

        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var events = Channel.CreateUnbounded<(WatchEventType Type, V1Node Node)>();
        var reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var change in client.CoreV1.WatchListNodeAsync(resourceVersion: list.Metadata.ResourceVersion, cancellationToken: watching.Token))
                    if (change.Item2.Metadata.Name == node.Metadata.Name) await events.Writer.WriteAsync(change);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                events.Writer.TryComplete();
            }
        });
        var machine = cluster.Machine(node.Metadata.Name);

        // Stopped: nothing changes until the grace period is over, then the node lifecycle controller's Unknown.
        Assert.True(await cluster.Engine.Sandbox.StopMachineAsync(machine.InfraId, machine.NodeId));
        var (downType, down) = await events.Reader.ReadAsync(watching.Token);
        Assert.Equal(WatchEventType.Modified, downType);
        Assert.Equal(("Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status."), (Ready(down).Status, Ready(down).Reason, Ready(down).Message));
        Assert.Contains(down.Spec.Taints, t => t.Key == "node.kubernetes.io/unreachable" && t.Effect == "NoExecute");
        Assert.Equal("NotReady", NodeStatusOf(await KubectlAsync("get", "nodes", node.Metadata.Name), node.Metadata.Name));

        // Started again: the kubelet posts Ready, the taints go.
        Assert.True(await cluster.Engine.Sandbox.StartMachineAsync(machine.InfraId, machine.NodeId));
        var (upType, up) = await events.Reader.ReadAsync(watching.Token);
        Assert.Equal(WatchEventType.Modified, upType);
        Assert.Equal("True", Ready(up).Status);
        Assert.DoesNotContain(up.Spec.Taints ?? [], t => t.Key == "node.kubernetes.io/unreachable");
        Assert.True(long.Parse(up.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(down.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture));

        await watching.CancelAsync();
        await reading;
    }

    [Fact]
    public async Task AWatchOnAControlPlaneThatPowersOffGoesSilentAndStaysSoAfterItBoots()
    {
        using var client = Client(cluster.Kubeconfig);
        var list = await client.CoreV1.ListNodeAsync();
        var leader = cluster.Machine(cluster.Leader.Name);
        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var before = Channel.CreateUnbounded<(WatchEventType Type, V1Node Node)>();
        var reading = ReadAsync(client, list.Metadata.ResourceVersion, before.Writer, watching.Token);

        // Powered off past the node monitor grace period (the leader's node goes Unknown), then on again (Ready).
        Assert.True(await cluster.Engine.Sandbox.StopMachineAsync(leader.InfraId, leader.NodeId));
        await Task.Delay(TimeSpan.FromSeconds(4.5), watching.Token);
        Assert.True(await cluster.Engine.Sandbox.StartMachineAsync(leader.InfraId, leader.NodeId));

        // A new connection to the booted API server replays both changes from the same resourceVersion...
        var after = Channel.CreateUnbounded<(WatchEventType Type, V1Node Node)>();
        using var fresh = Client(cluster.Kubeconfig);
        var rereading = ReadAsync(fresh, list.Metadata.ResourceVersion, after.Writer, watching.Token);
        var seen = new List<string>();
        while (!seen.Contains("True"))
        {
            var (_, node) = await after.Reader.ReadAsync(watching.Token);
            if (node.Metadata.Name == cluster.Leader.Name) seen.Add(Ready(node).Status);
        }
        Assert.Contains("Unknown", seen);
        // ...while the connection made before the power-off received none of them: the host that had it is gone.
        Assert.False(before.Reader.TryRead(out var leaked), $"a watch on the powered-off API server received {leaked.Type} {leaked.Node?.Metadata.Name}");

        await watching.CancelAsync();
        await Task.WhenAll(reading, rereading);
    }

    private static Task ReadAsync(Kubernetes client, string resourceVersion, ChannelWriter<(WatchEventType, V1Node)> events, CancellationToken cancellationToken) =>
        Task.Run(async () =>
        {
            try
            {
                await foreach (var change in client.CoreV1.WatchListNodeAsync(resourceVersion: resourceVersion, cancellationToken: cancellationToken))
                    await events.WriteAsync(change, cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
            {
            }
        }, CancellationToken.None);

    private static string NodeStatusOf(string kubectlOutput, string name) =>
        Words(kubectlOutput.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal)))[1];

    [Fact]
    public async Task AWrongClientCertificateIsUnauthorizedAndNoneIsAnonymous()
    {
        var server = ServerOf(cluster.Kubeconfig);
        var ca = CaOf(cluster.Kubeconfig);

        using (var stranger = Http(ca, SelfSignedClient()))
        {
            var answer = await stranger.GetAsync(new Uri(server, "/api/v1/nodes"));
            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
            var status = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(("Status", "Unauthorized", 401), (status.GetProperty("kind").GetString(), status.GetProperty("reason").GetString(), status.GetProperty("code").GetInt32()));
        }
        using (var anonymous = Http(ca, null))
        {
            var nodes = await anonymous.GetAsync(new Uri(server, "/api/v1/nodes"));
            Assert.Equal(HttpStatusCode.Forbidden, nodes.StatusCode);
            Assert.Contains("User \\\"system:anonymous\\\" cannot list resource \\\"nodes\\\"", await nodes.Content.ReadAsStringAsync());
            var version = await anonymous.GetAsync(new Uri(server, "/version"));
            Assert.Equal(HttpStatusCode.OK, version.StatusCode);
            Assert.Equal("v1.23.17", JsonDocument.Parse(await version.Content.ReadAsStringAsync()).RootElement.GetProperty("gitVersion").GetString());
        }
    }

    [Fact]
    public async Task AnEndpointWhoseSecurityGroupDropsTheApiDoesNotAnswer()
    {
        var leader = cluster.Machine(cluster.Leader.Name);
        var network = new SimulatedCluster(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(leader.Directory))!, "cluster"));
        var open = network.Read<NetworkDocument>(NetworkDocument.Document).Nodes[leader.NodeId].Inbound;
        Assert.Contains(open, r => r.Allows("tcp", 6443, "127.0.0.1"));
        SetInbound([.. open.Where(r => !r.Allows("tcp", 6443, "127.0.0.1"))]);
        try
        {
            using var http = Http(CaOf(cluster.Kubeconfig), null);
            http.Timeout = TimeSpan.FromSeconds(3);
            // Dropped, not refused: the client hears nothing until it gives up.
            var error = await Assert.ThrowsAnyAsync<TaskCanceledException>(() => http.GetAsync(new Uri(ServerOf(cluster.Kubeconfig), "/version")));
            Assert.IsType<TimeoutException>(error.InnerException);
        }
        finally
        {
            SetInbound(open);
        }
        using var again = Http(CaOf(cluster.Kubeconfig), null);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync(new Uri(ServerOf(cluster.Kubeconfig), "/version"))).StatusCode);

        void SetInbound(List<InboundRule> rules) => network.Update<NetworkDocument>(NetworkDocument.Document, doc => doc with
        {
            Nodes = new(doc.Nodes, StringComparer.Ordinal) { [leader.NodeId] = doc.Nodes[leader.NodeId] with { Inbound = rules } },
        });
    }

    private static V1NodeCondition Ready(V1Node node) => node.Status.Conditions.Single(c => c.Type == "Ready");

    private static string[] Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private async Task<string> KubectlAsync(params string[] arguments)
    {
        var file = Path.Combine(Path.GetTempPath(), $"ladybug-kubeconfig-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, cluster.Kubeconfig);
        try
        {
            return await Kubectl.RunAsync(file, arguments);
        }
        finally
        {
            File.Delete(file);
        }
    }

    internal static Kubernetes Client(string kubeconfig)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(kubeconfig));
        return new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(stream));
    }

    private static Uri ServerOf(string kubeconfig) => new(Yaml(kubeconfig, "clusters", "cluster", "server"));

    private static X509Certificate2 CaOf(string kubeconfig) =>
        X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(Convert.FromBase64String(Yaml(kubeconfig, "clusters", "cluster", "certificate-authority-data"))));

    private static string Yaml(string kubeconfig, string list, string item, string key)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(kubeconfig));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var first = (YamlMappingNode)((YamlSequenceNode)root[list])[0];
        return ((YamlScalarNode)((YamlMappingNode)first[item])[key]).Value!;
    }

    /// <summary>A client that trusts the cluster CA and presents <paramref name="client"/> (or nothing).</summary>
    private static HttpClient Http(X509Certificate2 ca, X509Certificate2? client)
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return certificate is not null && chain.Build(certificate);
            },
            ClientCertificateOptions = ClientCertificateOption.Manual,
        };
        if (client is not null) handler.ClientCertificates.Add(client);
        var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(20) };
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return http;
    }

    /// <summary>A client certificate claiming system:masters, signed by nobody the cluster knows.</summary>
    private static X509Certificate2 SelfSignedClient()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=kubernetes-admin, O=system:masters", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
