using Ladybug.Engine.Bootstrap;
using Ladybug.Engine.Domain;

namespace Ladybug.Tests.Unit.Engine.Bootstrap;

/// <summary>What each version and CNI puts into the scripts: binary source, runtime, kubeadm API, pod CIDR, SANs, labels.</summary>
[Trait(TestTier.Category, TestTier.Unit)]
public sealed class BootstrapScriptRendererTests
{
    private readonly BootstrapScriptRenderer _renderer = new();

    [Fact]
    public void Kubernetes118InstallsReleaseBinariesWithDockerAndKubeadmV1beta2()
    {
        var cluster = BootstrapFixtures.Cluster("1.18.20", Cni.Canal);
        var prepare = _renderer.Prepare(cluster, BootstrapFixtures.Worker(1));
        var init = _renderer.KubeadmInit(cluster, "abcdef.0123456789abcdef", new string('e', 64));

        Assert.Equal("release", prepare.Argument("binaries"));
        Assert.Equal("docker", prepare.Argument("runtime"));
        Assert.Equal("1.18.20", prepare.Argument("kubernetes-version"));
        Assert.Equal("v1.18.0", prepare.Argument("cri-tools-version"));
        Assert.Null(prepare.Argument("package-repository"));
        Assert.Contains("https://dl.k8s.io/release/v${K8S_VERSION}/bin/linux/${ARCH}", prepare.Text);
        Assert.Equal("docker.io", prepare.Argument("runtime-package"));
        Assert.Contains("native.cgroupdriver=systemd", prepare.Text);
        Assert.Equal("kubeadm.k8s.io/v1beta2", init.Argument("kubeadm-api-version"));
        Assert.Equal("/var/run/dockershim.sock", init.Argument("cri-socket"));
        Assert.Equal("--delete-local-data", _renderer.DrainDeleteNode(cluster, BootstrapFixtures.Worker(1), TimeSpan.FromMinutes(1)).Argument("delete-data-flag"));
    }

    [Fact]
    public void Kubernetes123InstallsReleaseBinariesWithContainerdAndKubeadmV1beta3()
    {
        var cluster = BootstrapFixtures.Cluster("1.23.17", Cni.Kilo);
        var prepare = _renderer.Prepare(cluster, BootstrapFixtures.Worker(1));
        var init = _renderer.KubeadmInit(cluster, "abcdef.0123456789abcdef", new string('e', 64));

        Assert.Equal("release", prepare.Argument("binaries"));
        Assert.Equal("containerd", prepare.Argument("runtime"));
        Assert.Equal("registry.k8s.io/pause:3.6", prepare.Argument("pause-image"));
        Assert.Equal("v1.1.1", prepare.Argument("cni-plugins-version"));
        Assert.Contains("s/SystemdCgroup = false/SystemdCgroup = true/", prepare.Text);
        Assert.Contains("/etc/systemd/system/kubelet.service.d/10-kubeadm.conf", prepare.Text);
        Assert.Equal("kubeadm.k8s.io/v1beta3", init.Argument("kubeadm-api-version"));
        Assert.Equal("unix:///run/containerd/containerd.sock", init.Argument("cri-socket"));
        Assert.Equal("--delete-emptydir-data", _renderer.DrainDeleteNode(cluster, BootstrapFixtures.Worker(1), TimeSpan.FromMinutes(1)).Argument("delete-data-flag"));
    }

    [Fact]
    public void CurrentKubernetesInstallsFromPkgsK8sIoWithContainerdAndKubeadmV1beta4()
    {
        var version = KubernetesVersionCatalog.DefaultVersion;
        var minor = version[..version.LastIndexOf('.')];
        var cluster = BootstrapFixtures.Cluster(version, Cni.Canal);
        var prepare = _renderer.Prepare(cluster, BootstrapFixtures.Worker(1));
        var init = _renderer.KubeadmInit(cluster, "abcdef.0123456789abcdef", new string('e', 64));

        Assert.Equal("pkgs", prepare.Argument("binaries"));
        Assert.Equal($"https://pkgs.k8s.io/core:/stable:/v{minor}/deb/", prepare.Argument("package-repository"));
        Assert.Equal("containerd", prepare.Argument("runtime"));
        Assert.Null(prepare.Argument("cri-tools-version"));
        Assert.Contains("\"kubeadm=${K8S_VERSION}-*\"", prepare.Text);
        Assert.Equal(["containerd", "runc", "kubelet", "kubeadm", "kubectl"], prepare.ArgumentValues("hold"));
        Assert.Equal("kubeadm.k8s.io/v1beta4", init.Argument("kubeadm-api-version"));
        Assert.Equal(version, init.Argument("kubernetes-version"));
    }

    public const string Canal118Url =
        "https://raw.githubusercontent.com/cloud-barista/cb-mcks/f05f3b5a6551f0836cacc64d93fe14f9272a32d3/src/scripts/addons/cni/canal/canal_v3.20.0.yaml";

    /// <summary>
    /// 1.18: Calico's rendered v3.20.0 canal as cb-mcks vendored it (the calico git tags before v3.24.0 hold only Jekyll
    /// stubs); 1.23: v3.24.0, the first tag with a real manifests/canal.yaml that tests 1.23. Both pinned by sha256.
    /// </summary>
    [Theory]
    [InlineData("1.18.20", Canal118Url, "76b151704d72ebc0898d974e7fa6bf8be130f3acbdd733d1d05bc63b960f5c79")]
    [InlineData("1.23.13", "https://raw.githubusercontent.com/projectcalico/calico/v3.24.0/manifests/canal.yaml", "5a84b8b247dc5df45956124b62bc4c221dd745890269f7c3b67ccb8a9fb673be")]
    [InlineData("1.23.17", "https://raw.githubusercontent.com/projectcalico/calico/v3.24.0/manifests/canal.yaml", "5a84b8b247dc5df45956124b62bc4c221dd745890269f7c3b67ccb8a9fb673be")]
    public void CanalComesFromARealRenderedManifestPinnedBySha256AndPatchedToTheRequestedPodCidr(string version, string url, string sha256)
    {
        var cluster = BootstrapFixtures.Cluster(version, Cni.Canal);
        var cni = _renderer.PodNetwork(cluster, 1410);

        Assert.Equal("canal", cni.Argument("cni"));
        Assert.Equal(BootstrapFixtures.PodCidr, cni.Argument("pod-cidr"));
        Assert.Equal(url, cni.Argument("manifest-url"));
        Assert.Equal(sha256, cni.Argument("manifest-sha256"));
        // What upstream serves there (checked in the mirrors, recorded in the sandbox's artifact catalog) is a rendered manifest, not a stub.
        var served = Ladybug.Sandbox.Catalog.UpstreamArtifacts.Instance.Manifest(url);
        Assert.NotNull(served);
        Assert.Equal(("canal", sha256), (served.Kind, served.Sha256));
        Assert.True(served.SizeBytes > 10_000, $"{url} is {served.SizeBytes} bytes");
        Assert.Contains("sha256sum --check", cni.Text);
        Assert.Contains("""sed -i -E "s#\"Network\": \"[0-9./]+\"#\"Network\": \"${POD_CIDR}\"#" "$MANIFEST" """.TrimEnd(), cni.Text);
        Assert.Contains("--cluster-cidr=${POD_CIDR}", cni.Text);
        Assert.DoesNotContain("10.244.0.0/16", cni.Text);
        Assert.Equal("no", _renderer.Prepare(cluster, BootstrapFixtures.Worker(1)).Argument("wireguard"));
        Assert.Contains("flannel.alpha.coreos.com/public-ip-overwrite", _renderer.Label(cluster, [BootstrapFixtures.Worker(1)]).Text);
    }

    [Theory]
    [InlineData("1.18.20", null)]
    [InlineData("1.23.0", "registry.k8s.io/coredns")]
    [InlineData("1.23.13", "registry.k8s.io/coredns")]
    [InlineData("1.23.14", "registry.k8s.io/coredns")]
    [InlineData("1.23.15", null)]
    [InlineData("1.23.17", null)]
    public void CorednsComesFromTheNestedRegistryK8sIoPathWhereKubeadmsDefaultIsStillK8sGcrIo(string version, string? dnsRepository)
    {
        var init = _renderer.KubeadmInit(BootstrapFixtures.Cluster(version, Cni.Canal), "abcdef.0123456789abcdef", new string('e', 64));

        Assert.Equal("registry.k8s.io", init.Argument("image-repository"));
        Assert.Equal(dnsRepository, init.Argument("dns-image-repository"));
        Assert.Contains("""printf -v dns 'dns:\n  imageRepository: "%s"\n' "$DNS_IMAGE_REPOSITORY" """.TrimEnd(), init.Text);
        Assert.Contains("${dns}networking:", init.Text);
    }

    [Theory]
    [InlineData("1.18.20", "0.3.1")]
    [InlineData("1.23.17", "0.5.0")]
    public void KiloComesFromItsPinnedUpstreamManifestAsAFullMeshOverTheRequestedPodCidr(string version, string kilo)
    {
        var cluster = BootstrapFixtures.Cluster(version, Cni.Kilo);
        var cni = _renderer.PodNetwork(cluster, 1410);

        Assert.Equal("kilo", cni.Argument("cni"));
        Assert.Equal(BootstrapFixtures.PodCidr, cni.Argument("pod-cidr"));
        Assert.Equal($"https://raw.githubusercontent.com/squat/kilo/{kilo}/manifests/kilo-kubeadm.yaml", cni.Argument("manifest-url"));
        Assert.Equal($"https://raw.githubusercontent.com/squat/kilo/{kilo}/manifests/crds.yaml", cni.Argument("crds-url"));
        Assert.Equal($"docker.io/squat/kilo:{kilo}", cni.Argument("image"));
        Assert.Contains("--mesh-granularity=full", cni.Text);
        // Kilo takes each node's subnet from its podCIDR: the script checks the controller manager hands them out of the requested CIDR.
        Assert.Contains("--cluster-cidr=${POD_CIDR}", cni.Text);
        Assert.Equal(BootstrapFixtures.PodCidr, _renderer.KubeadmInit(cluster, "abcdef.0123456789abcdef", new string('e', 64)).Argument("pod-cidr"));
        Assert.Equal("yes", _renderer.Prepare(cluster, BootstrapFixtures.Worker(1)).Argument("wireguard"));
    }

    [Fact]
    public void InitPutsTheEndpointNameAndEveryControlPlanePublicIpIntoTheCertificate()
    {
        var cluster = BootstrapFixtures.Cluster("1.23.17", Cni.Kilo, controlPlanes: 3);
        var init = _renderer.KubeadmInit(cluster, "abcdef.0123456789abcdef", new string('e', 64));

        Assert.Equal("ladybug-api.cluster.internal,3.112.226.181,3.112.226.182,3.112.226.183", init.Argument("cert-sans"));
        Assert.Equal("ladybug-api.cluster.internal:6443", init.Argument("endpoint"));
        Assert.Equal("3.112.226.181", init.Argument("advertise-address"));
        Assert.Equal("10.100.0.0/16", init.Argument("service-cidr"));
        Assert.Equal("corp.example", init.Argument("dns-domain"));
        Assert.Equal("registry.k8s.io", init.Argument("image-repository"));
        Assert.Contains("controlPlaneEndpoint: \"${ENDPOINT}\"", init.Text);
        Assert.Contains("certSANs:", init.Text);
        Assert.Contains("kubeadm init --config \"$CONFIG\" --upload-certs", init.Text);
        Assert.Contains("cgroupDriver: systemd", init.Text);
    }

    [Fact]
    public void HaWorkersGetAHaproxyOverEveryControlPlaneAndReachTheApiThroughIt()
    {
        var cluster = BootstrapFixtures.Cluster("1.23.17", Cni.Kilo, controlPlanes: 3);
        var haproxy = _renderer.Haproxy(cluster);
        var join = _renderer.JoinWorker(cluster, BootstrapFixtures.Worker(1), BootstrapFixtures.Join(controlPlane: false));

        Assert.True(cluster.UsesNodeLocalLoadBalancer);
        Assert.Equal(["3.112.226.181:6443", "3.112.226.182:6443", "3.112.226.183:6443"], haproxy.ArgumentValues("backend"));
        Assert.Contains("bind 127.0.0.1:${PORT}", haproxy.Text);
        Assert.Equal("127.0.0.1", join.Argument("endpoint-ip"));
    }

    [Fact]
    public void WithOneControlPlaneWorkersReachTheLeaderDirectly()
    {
        var cluster = BootstrapFixtures.Cluster("1.23.17", Cni.Kilo, controlPlanes: 1);
        var join = _renderer.JoinWorker(cluster, BootstrapFixtures.Worker(1), BootstrapFixtures.Join(controlPlane: false));

        Assert.False(cluster.UsesNodeLocalLoadBalancer);
        Assert.Equal("3.112.226.181", join.Argument("endpoint-ip"));
        Assert.Equal("https://3.112.226.181:6443", cluster.PublicApiServer);
    }

    [Fact]
    public void AJoiningControlPlaneBootstrapsThroughTheLeaderWithTheCertificateKey()
    {
        var cluster = BootstrapFixtures.Cluster("1.23.17", Cni.Canal, controlPlanes: 3);
        var join = _renderer.JoinControlPlane(cluster, BootstrapFixtures.ControlPlane(2), BootstrapFixtures.Join(controlPlane: true), cluster.Leader.PublicIp);

        Assert.Equal("3.112.226.181", join.Argument("bootstrap-ip"));
        Assert.Equal("3.112.226.182", join.Argument("advertise-address"));
        Assert.Equal(new string('e', 64), join.Argument("certificate-key"));
        Assert.Contains("--control-plane --certificate-key", join.Text);
        Assert.Throws<ArgumentException>(() =>
            _renderer.JoinControlPlane(cluster, BootstrapFixtures.ControlPlane(2), BootstrapFixtures.Join(controlPlane: false), cluster.Leader.PublicIp));
    }

    [Fact]
    public void LabelsCarryCspRegionAndZoneAndKiloAnnotationsInOnePass()
    {
        var cluster = BootstrapFixtures.Cluster("1.23.17", Cni.Kilo);
        var label = _renderer.Label(cluster, [cluster.Leader, BootstrapFixtures.Worker(1), BootstrapFixtures.Worker(2, "azure", "Korea Central", "")]);

        Assert.Equal(
        [
            "c-1-a8k2p,aws,ap-northeast-1,ap-northeast-1a,3.112.226.181",
            "w-1-q03z1,gcp,europe-west2,europe-west2-b,34.89.19.141",
            "w-2-q03z1,azure,Korea-Central,,34.89.19.142",
        ], label.ArgumentValues("node"));
        Assert.Contains("topology.cloud-barista.github.io/csp=${csp}", label.Text);
        Assert.Contains("topology.kubernetes.io/region=${region}", label.Text);
        Assert.Contains("topology.kubernetes.io/zone=${zone}", label.Text);
        Assert.Contains("kilo.squat.ai/location=${name}", label.Text);
        Assert.Contains("kilo.squat.ai/persistent-keepalive=25", label.Text);
        Assert.Contains("kilo.squat.ai/force-endpoint=${public_ip}:51820", label.Text);
    }

    [Theory]
    [InlineData("ap-northeast-2a", "ap-northeast-2a")]
    [InlineData("Korea Central", "Korea-Central")]
    [InlineData("  -zone_1.", "zone_1")]
    [InlineData("", "")]
    public void LabelValuesAreMadeValidForKubernetes(string raw, string expected) =>
        Assert.Equal(expected, BootstrapScriptRenderer.LabelValue(raw));

    [Fact]
    public void PublicIpStepWritesTheAliasAndNodeIpUnitThatRunsOnEveryBoot()
    {
        var cluster = BootstrapFixtures.Cluster("1.23.17", Cni.Kilo);
        var script = _renderer.PublicIp(cluster, BootstrapFixtures.Worker(1));

        Assert.Equal("34.89.19.141", script.Argument("public-ip"));
        Assert.Contains("ip addr add \"${ip}/32\" dev \"$ADDRESS_INTERFACE\"", script.Text);
        Assert.Contains("KUBELET_EXTRA_ARGS=--node-ip=%s", script.Text);
        Assert.Contains("ExecStart=/usr/local/sbin/ladybug-public-ip address boot", script.Text);
        Assert.Contains("Before=kubelet.service", script.Text);
        Assert.Contains("kilo.squat.ai/force-endpoint=${PUBLIC_IP}:51820", script.Text);
        Assert.Contains("systemctl enable ladybug-public-ip.service ladybug-annotate.service", script.Text);
    }

    [Fact]
    public void TheCommandLineIsSudoBashReadingStdinAndHidesSecretsWhenShown()
    {
        var cluster = BootstrapFixtures.Cluster("1.23.17", Cni.Kilo);
        var join = _renderer.JoinWorker(cluster, BootstrapFixtures.Worker(1), BootstrapFixtures.Join(controlPlane: false));

        Assert.StartsWith("sudo bash -s -- --node-name=w-1-q03z1 --endpoint=ladybug-api.cluster.internal:6443 ", join.CommandLine);
        Assert.Contains("--token=abcdef.0123456789abcdef", join.CommandLine);
        Assert.DoesNotContain("abcdef.0123456789abcdef", join.DisplayCommandLine);
        Assert.DoesNotContain(new string('d', 64), join.DisplayCommandLine);
        Assert.DoesNotContain("abcdef.0123456789abcdef", join.ToString());
        Assert.Contains("abcdef.0123456789abcdef", join.Secrets);
    }

    [Fact]
    public void ArgumentsWithShellCharactersAreQuotedAndLineBreaksRefused()
    {
        var script = BootstrapScriptRenderer.Render(BootstrapStep.Reset, [new("cri-socket", "a b'c")]);

        Assert.EndsWith(" '--cri-socket=a b'\\''c'", script.CommandLine);
        Assert.Throws<ArgumentException>(() => BootstrapScriptRenderer.Render(BootstrapStep.Reset, [new("cri-socket", "a\nb")]));
        Assert.Throws<ArgumentException>(() => BootstrapScriptRenderer.Render(BootstrapStep.Reset, [new("Bad_Name", "x")]));
    }

    [Fact]
    public void WaitReadyAndDrainGetTimeoutsLongerThanTheirOwnWait()
    {
        var wait = _renderer.WaitReady(["c-1", "w-1"], TimeSpan.FromMinutes(10));

        Assert.Equal("600", wait.Argument("timeout-seconds"));
        Assert.Equal(["c-1", "w-1"], wait.ArgumentValues("node"));
        Assert.True(wait.Timeout > TimeSpan.FromMinutes(10));
    }
}
