using Ladybug.Engine.Bootstrap;
using Ladybug.Engine.Domain;

namespace Ladybug.Tests.Unit.Engine.Bootstrap;

/// <summary>Cluster and node facts like a real multi-cloud cluster's, for rendering scripts.</summary>
internal static class BootstrapFixtures
{
    public const string EndpointHost = "ladybug-api.cluster.internal";
    /// <summary>Deliberately not cb-mcks's hard-coded 10.244.0.0/16, so a test sees whether the request got through.</summary>
    public const string PodCidr = "10.32.0.0/16";

    public static readonly string[] Versions = ["1.18.20", "1.23.17", KubernetesVersionCatalog.DefaultVersion];

    public static NodeFacts ControlPlane(int index) =>
        new($"c-{index}-a8k2p", NodeRole.ControlPlane, $"3.112.226.{180 + index}", $"192.168.10.{10 + index}", "aws", "ap-northeast-1", "ap-northeast-1a");

    public static NodeFacts Worker(int index, string csp = "gcp", string region = "europe-west2", string zone = "europe-west2-b") =>
        new($"w-{index}-q03z1", NodeRole.Worker, $"34.89.19.{140 + index}", $"192.168.20.{10 + index}", csp, region, zone);

    public static ClusterFacts Cluster(string version, Cni cni, int controlPlanes = 1, LoadBalancerMode loadBalancer = LoadBalancerMode.Haproxy)
    {
        Assert.True(KubernetesVersionCatalog.TryFind(version, out var minor, out var normalized), $"{version} is in the catalog");
        return new ClusterFacts("cb-cluster", normalized, minor, cni, PodCidr, "10.100.0.0/16", "corp.example", loadBalancer, EndpointHost,
            Enumerable.Range(1, controlPlanes).Select(ControlPlane).ToList());
    }

    public static JoinCredentials Join(bool controlPlane) => new($"{EndpointHost}:6443", "abcdef.0123456789abcdef",
        "sha256:" + new string('d', 64), controlPlane ? new string('e', 64) : null);

    /// <summary>Every script of every step, for a cluster of that version and CNI.</summary>
    public static IEnumerable<RenderedScript> EveryStep(string version, Cni cni, int controlPlanes = 3)
    {
        var renderer = new BootstrapScriptRenderer();
        var cluster = Cluster(version, cni, controlPlanes);
        var worker = Worker(1);
        yield return renderer.Prepare(cluster, worker);
        yield return renderer.PublicIp(cluster, worker);
        yield return renderer.Haproxy(cluster);
        yield return renderer.KubeadmInit(cluster, "abcdef.0123456789abcdef", new string('e', 64));
        yield return renderer.PodNetwork(cluster, PodNetworkMtu.For(cni, ["aws", "gcp"]));
        yield return renderer.JoinControlPlane(cluster, ControlPlane(2), Join(controlPlane: true), cluster.Leader.PublicIp);
        yield return renderer.JoinWorker(cluster, worker, Join(controlPlane: false));
        yield return renderer.JoinToken("abcdef.0123456789abcdef", TimeSpan.FromHours(2), new string('e', 64));
        yield return renderer.Label(cluster, [.. cluster.ControlPlanes, worker, Worker(2, "azure", "koreacentral", "")]);
        yield return renderer.WaitReady([cluster.Leader.Name, worker.Name], TimeSpan.FromMinutes(10));
        yield return renderer.FetchKubeconfig();
        yield return renderer.GetNodes(TimeSpan.FromSeconds(20));
        yield return renderer.DrainDeleteNode(cluster, ControlPlane(2), TimeSpan.FromMinutes(5));
        yield return renderer.Reset(cluster);
        yield return renderer.OverlayAddresses(cluster, [cluster.Leader.Name, worker.Name], TimeSpan.FromMinutes(2));
        yield return renderer.PodNetworkCheck(cluster, [new PodNetworkPeer(cluster.Leader.Name, "10.244.0.0"), new PodNetworkPeer("w2-1", "10.244.2.0")], TimeSpan.FromMinutes(2));
        yield return renderer.RenewCertificates(cluster, ControlPlane(2), TimeSpan.FromMinutes(5));
    }

    public static string TestData(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Engine", "Bootstrap", "TestData", name));
}
