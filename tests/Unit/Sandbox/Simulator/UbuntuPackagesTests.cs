using Ladybug.Engine.Bootstrap;
using Ladybug.Engine.Domain;
using Ladybug.Sandbox.Catalog;
using Ladybug.Sandbox.Simulator;
using Ladybug.Sandbox.Simulator.Kubernetes;
using Ladybug.Tests.Unit.Engine.Bootstrap;

namespace Ladybug.Tests.Unit.Sandbox.Simulator;

/// <summary>
/// prepare's apt-get installs against the Ubuntu archive of the VM's own release (upstream-artifacts.json
/// "ubuntuArchive"): a package or version that release's index lacks fails apt the way apt 2.7.14 fails.
/// </summary>
[Trait(TestTier.Category, TestTier.Unit)]
public sealed class UbuntuPackagesTests : IDisposable
{
    private readonly SimulatedVms _vms = new("ladybug-ubuntu-packages-");
    private readonly BootstrapScriptRenderer _renderer = new();

    public void Dispose() => _vms.Dispose();

    /// <summary>A VM booted from the Ubuntu image of <paramref name="release"/>, as the sandbox writes its /etc/os-release.</summary>
    private NodeFacts On(NodeFacts node, string release)
    {
        var codename = UpstreamArtifacts.Instance.UbuntuArchive.Codename(release)!;
        _vms.Vm(node).WriteFile("/etc/os-release", $"VERSION_ID=\"{release}\"\nVERSION_CODENAME={codename}\n");
        return node;
    }

    private static RenderedScript With(RenderedScript script, string name, string value) =>
        BootstrapScriptRenderer.Render(script.Step, [.. script.Arguments.Select(a => a.Name == name ? a with { Value = value } : a)], script.Secrets);

    public static TheoryData<string> Minors() => [.. KubernetesVersionCatalog.Minors.Select(m => m.LatestVersion)];

    [Theory]
    [MemberData(nameof(Minors))]
    public async Task EveryVersionPreparesOnTheUbuntuReleaseTheEngineAsksTumblebugFor(string version)
    {
        KubernetesVersionCatalog.TryFind(version, out var minor, out _);
        var cluster = BootstrapFixtures.Cluster(version, Cni.Kilo);
        var node = On(cluster.Leader, minor.UbuntuRelease);

        var outcome = await _vms.RunOkAsync(node, _renderer.Prepare(cluster, node));

        var release = UpstreamArtifacts.Instance.UbuntuArchive.Release(UpstreamArtifacts.Instance.UbuntuArchive.Codename(minor.UbuntuRelease)!)!;
        var candidate = release.Select(minor.RuntimePackage);
        Assert.Null(candidate.Error);
        Assert.Contains($"Setting up {minor.RuntimePackageName} ({candidate.Version}) ...", outcome.Out);
    }

    [Fact]
    public async Task Noble2404InstallsContainerd2FromUpdates()
    {
        var cluster = BootstrapFixtures.Cluster(KubernetesVersionCatalog.DefaultVersion, Cni.Canal);
        var node = On(cluster.Leader, "24.04");

        var outcome = await _vms.RunOkAsync(node, _renderer.Prepare(cluster, node));

        Assert.Contains("Setting up containerd (2.2.1-0ubuntu1~24.04.3) ...", outcome.Out);
    }

    [Fact]
    public async Task APinToAContainerdThatUpdatesSupersededFailsPrepareLikeApt()
    {
        var cluster = BootstrapFixtures.Cluster(KubernetesVersionCatalog.DefaultVersion, Cni.Canal);
        var node = On(cluster.Leader, "24.04");
        var prepare = With(_renderer.Prepare(cluster, node), "runtime-package", "containerd=1.7.24-0ubuntu1~24.04.2");

        var outcome = await _vms.RunAsync(node, prepare);

        Assert.Equal(100, outcome.Status);
        Assert.Contains("E: Version '1.7.24-0ubuntu1~24.04.2' for 'containerd' was not found", outcome.Error);
        Assert.Matches(@"\[ladybug\] prepare failed \(exit 100\) at line [1-9][0-9]*: apt_get install", outcome.Error);
        Assert.DoesNotContain("ready on", outcome.Out);
    }

    [Theory]
    [InlineData("24.04", "containerd=2.*", 0, "Setting up containerd (2.2.1-0ubuntu1~24.04.3) ...")]
    [InlineData("20.04", "containerd=2.*", 100, "E: Version '2.*' for 'containerd' was not found")]
    [InlineData("20.04", "containerd=1.7.*", 0, "Setting up containerd (1.7.24-0ubuntu1~20.04.2) ...")]
    [InlineData("24.04", "containerd.io", 100, "E: Unable to locate package containerd.io")]
    public async Task APrefixPinOrAPackageOfDockersRepositoryResolvesAsAptDoesOnThatRelease(string release, string spec, int status, string line)
    {
        var cluster = BootstrapFixtures.Cluster(KubernetesVersionCatalog.DefaultVersion, Cni.Canal);
        var node = On(cluster.Leader, release);

        var outcome = await _vms.RunAsync(node, With(_renderer.Prepare(cluster, node), "runtime-package", spec));

        Assert.Equal(status, outcome.Status);
        Assert.Contains(line, status == 0 ? outcome.Out : outcome.Error);
    }

    [Fact]
    public void EveryPackageTheScriptsInstallExistsOnEveryReleaseTheSandboxBoots()
    {
        foreach (var release in CloudCatalog.UbuntuReleases)
        {
            var archive = UpstreamArtifacts.Instance.UbuntuArchive;
            var packages = archive.Release(archive.Codename(release)!)!;
            foreach (var package in new[] { "conntrack", "socat", "ebtables", "ipset", "wireguard", "haproxy", "runc" })
                Assert.Null(packages.Select(package).Error);
        }
    }
}
