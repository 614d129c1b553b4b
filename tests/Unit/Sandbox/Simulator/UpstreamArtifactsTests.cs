using Ladybug.Engine.Bootstrap;
using Ladybug.Engine.Domain;
using Ladybug.Sandbox.Catalog;
using Ladybug.Sandbox.Simulator;
using Ladybug.Sandbox.Simulator.Kubernetes;
using Ladybug.Tests.Unit.Engine.Bootstrap;

namespace Ladybug.Tests.Unit.Sandbox.Simulator;

/// <summary>
/// The simulated VMs reach only upstream artifacts that really exist (Catalog/upstream-artifacts.json): a missing
/// release, package, image or manifest fails the step the way curl, apt, kubeadm or cni.sh fail on it.
/// </summary>
[Trait(TestTier.Category, TestTier.Unit)]
public sealed class UpstreamArtifactsTests : IDisposable
{
    private readonly SimulatedVms _vms = new("ladybug-upstream-");
    private readonly BootstrapScriptRenderer _renderer = new();

    public void Dispose() => _vms.Dispose();

    private SimulatedNode Vm(NodeFacts facts) => _vms.Vm(facts);

    private Task<StepOutcome> RunAsync(NodeFacts node, RenderedScript script) => _vms.RunAsync(node, script);

    private Task<StepOutcome> RunOkAsync(NodeFacts node, RenderedScript script) => _vms.RunOkAsync(node, script);

    /// <summary>The engine's script with one argument changed, as if the catalog had pinned something else.</summary>
    private static RenderedScript With(RenderedScript script, string name, string value) =>
        BootstrapScriptRenderer.Render(script.Step, [.. script.Arguments.Select(a => a.Name == name ? a with { Value = value } : a)], script.Secrets);

    private async Task InitAsync(ClusterFacts cluster)
    {
        await RunOkAsync(cluster.Leader, _renderer.Prepare(cluster, cluster.Leader));
        // etcd binds the advertise (public) address, which only public-ip puts on the VM.
        await RunOkAsync(cluster.Leader, _renderer.PublicIp(cluster, cluster.Leader));
        await RunOkAsync(cluster.Leader, _renderer.KubeadmInit(cluster, KubeadmSecrets.NewToken(), KubeadmSecrets.NewCertificateKey()));
    }

    [Fact]
    public async Task AReleaseThatDoesNotExistFailsPrepareLikeCurlAfterFiveTries()
    {
        var cluster = BootstrapFixtures.Cluster("1.23.17", Cni.Kilo);
        var prepare = With(_renderer.Prepare(cluster, cluster.Leader), "kubernetes-version", "1.23.18");

        var outcome = await RunAsync(cluster.Leader, prepare);

        Assert.Equal(1, outcome.Status);
        Assert.Equal(5, outcome.Error.Split('\n').Count(l => l == "curl: (22) The requested URL returned error: 404"));
        Assert.Contains("[ladybug] retrying in 5s (attempt 4/5 failed): curl -fsSL --connect-timeout 20 -o /tmp/ladybug-kubeadm https://dl.k8s.io/release/v1.23.18/bin/linux/amd64/kubeadm", outcome.Out);
        Assert.Matches(@"\[ladybug\] prepare failed \(exit 1\) at line [1-9][0-9]*: retry 5 5 curl", outcome.Error);
        Assert.DoesNotContain("ready on", outcome.Out);
    }

    [Fact]
    public async Task ACrictlTarballThatWasNeverReleasedFailsPrepareLikeCurl()
    {
        var cluster = BootstrapFixtures.Cluster("1.18.20", Cni.Canal);
        var outcome = await RunAsync(cluster.Leader, With(_renderer.Prepare(cluster, cluster.Leader), "cri-tools-version", "v1.18.9"));

        Assert.Equal(1, outcome.Status);
        Assert.Contains("curl: (22) The requested URL returned error: 404", outcome.Error);
        Assert.Contains("https://github.com/kubernetes-sigs/cri-tools/releases/download/v1.18.9/crictl-v1.18.9-linux-amd64.tar.gz", outcome.Out);
    }

    [Fact]
    public async Task APkgsRepositoryOfAMinorThatIsNotServed404sOnItsKey()
    {
        var cluster = BootstrapFixtures.Cluster(KubernetesVersionCatalog.DefaultVersion, Cni.Canal);
        var outcome = await RunAsync(cluster.Leader, With(With(_renderer.Prepare(cluster, cluster.Leader),
            "package-repository", "https://pkgs.k8s.io/core:/stable:/v1.99/deb/"), "kubernetes-version", "1.99.0"));

        Assert.Equal(1, outcome.Status);
        Assert.Contains("-o /tmp/ladybug-kubernetes-release.key https://pkgs.k8s.io/core:/stable:/v1.99/deb/Release.key", outcome.Out);
        Assert.Contains("curl: (22) The requested URL returned error: 404", outcome.Error);
    }

    [Fact]
    public async Task APatchTheRepositoryDoesNotHaveFailsAptInstall()
    {
        var repository = UpstreamArtifacts.Instance.PackageRepositories[^1];
        var unreleased = $"{repository.Minor}.{int.Parse(repository.Patches.Split('-')[^1], System.Globalization.CultureInfo.InvariantCulture) + 1}";
        Assert.True(KubernetesVersionCatalog.TryFind(unreleased, out _, out _), "a patch newer than the data's is accepted for a supported minor");
        var cluster = BootstrapFixtures.Cluster(unreleased, Cni.Canal);

        var outcome = await RunAsync(cluster.Leader, _renderer.Prepare(cluster, cluster.Leader));

        // Not a lock error: apt_get does not retry it.
        Assert.Equal(100, outcome.Status);
        Assert.Contains($"E: Version '{unreleased}-*' for 'kubelet' was not found", outcome.Error);
        Assert.DoesNotContain("retrying", outcome.Out);
        Assert.Matches(@"\[ladybug\] prepare failed \(exit 100\) at line [1-9][0-9]*: apt_get install", outcome.Error);
    }

    [Fact]
    public async Task KubeadmInitOf1_23_13WithACustomRegistryK8sIoPullsAFlatCorednsThatDoesNotExist()
    {
        var cluster = BootstrapFixtures.Cluster("1.23.13", Cni.Canal);
        await RunOkAsync(cluster.Leader, _renderer.Prepare(cluster, cluster.Leader));
        await RunOkAsync(cluster.Leader, _renderer.PublicIp(cluster, cluster.Leader));
        var init = _renderer.KubeadmInit(cluster, KubeadmSecrets.NewToken(), KubeadmSecrets.NewCertificateKey());
        var withoutOverride = BootstrapScriptRenderer.Render(init.Step, [.. init.Arguments.Where(a => a.Name != "dns-image-repository")], init.Secrets);

        var outcome = await RunAsync(cluster.Leader, withoutOverride);

        Assert.Equal(1, outcome.Status);
        Assert.Contains("error execution phase preflight: [preflight] Some fatal errors occurred:", outcome.Error);
        Assert.Contains("[ERROR ImagePull]: failed to pull image registry.k8s.io/coredns:v1.8.6: output:", outcome.Error);
        Assert.Contains("registry.k8s.io/coredns:v1.8.6: not found", outcome.Error);
        Assert.DoesNotContain("kube-apiserver", outcome.Error);
        Assert.Contains("[preflight] Pulling images required for setting up a Kubernetes cluster", outcome.Out);
        Assert.DoesNotContain("initialized successfully", outcome.Out);
    }

    [Theory]
    [InlineData("1.18.20")]
    [InlineData("1.23.13")]
    [InlineData("1.23.17")]
    public async Task KubeadmInitAsTheEngineRendersItPullsOnlyImagesThatExist(string version)
    {
        var cluster = BootstrapFixtures.Cluster(version, Cni.Canal);
        await InitAsync(cluster);
    }

    [Fact]
    public async Task AJekyllStubCanalManifestFailsLikeCniSh()
    {
        var cluster = BootstrapFixtures.Cluster("1.18.20", Cni.Canal);
        await InitAsync(cluster);
        var cni = With(_renderer.PodNetwork(cluster, 1410), "manifest-url", "https://raw.githubusercontent.com/projectcalico/calico/v3.20.0/manifests/canal.yaml");
        cni = BootstrapScriptRenderer.Render(cni.Step, [.. cni.Arguments.Where(a => a.Name != "manifest-sha256")]);

        var outcome = await RunAsync(cluster.Leader, cni);

        Assert.Equal(1, outcome.Status);
        Assert.Contains("[ladybug] error: canal manifest has no flannel \"Network\" setting to patch", outcome.Error);
    }

    [Fact]
    public async Task ACanalManifestPathThatDoesNotExistAtTheTagFailsLikeCurl()
    {
        var cluster = BootstrapFixtures.Cluster("1.23.17", Cni.Canal);
        await InitAsync(cluster);
        var cni = With(_renderer.PodNetwork(cluster, 1410), "manifest-url", "https://raw.githubusercontent.com/projectcalico/calico/v3.22.5/manifests/canal.yaml");
        cni = BootstrapScriptRenderer.Render(cni.Step, [.. cni.Arguments.Where(a => a.Name != "manifest-sha256")]);

        var outcome = await RunAsync(cluster.Leader, cni);

        Assert.Equal(1, outcome.Status);
        Assert.Contains("curl: (22) The requested URL returned error: 404", outcome.Error);
        Assert.Contains("-o /tmp/ladybug-cni.yaml https://raw.githubusercontent.com/projectcalico/calico/v3.22.5/manifests/canal.yaml", outcome.Out);
    }

    [Theory]
    [InlineData("1.18.20", Cni.Canal)]
    [InlineData("1.23.13", Cni.Canal)]
    [InlineData("1.23.17", Cni.Kilo)]
    [InlineData("1.18.20", Cni.Kilo)]
    public async Task TheEnginesPinnedCniManifestsExistAndApply(string version, Cni cniKind)
    {
        var cluster = BootstrapFixtures.Cluster(version, cniKind);
        await InitAsync(cluster);
        await RunOkAsync(cluster.Leader, _renderer.PodNetwork(cluster, 1410));
    }

    [Fact]
    public async Task EveryCurrentMinorPreparesAndInitialisesFromWhatUpstreamServes()
    {
        foreach (var minor in KubernetesVersionCatalog.Minors.Where(m => !m.Legacy))
        {
            var cluster = BootstrapFixtures.Cluster(minor.LatestVersion, Cni.Canal) with { Name = "cb-" + minor.Minor.Replace('.', '-') };
            var leader = BootstrapFixtures.ControlPlane(minor.MinorNumber);
            cluster = cluster with { ControlPlanes = [leader] };
            await InitAsync(cluster);
            await RunOkAsync(leader, _renderer.PodNetwork(cluster, 1410));
            Directory.Delete(_vms.ClusterDirectory, recursive: true);
        }
    }
}
