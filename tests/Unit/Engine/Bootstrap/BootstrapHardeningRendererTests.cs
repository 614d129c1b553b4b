using System.Diagnostics;
using Ladybug.Engine.Bootstrap;
using Ladybug.Engine.Domain;

namespace Ladybug.Tests.Unit.Engine.Bootstrap;

/// <summary>What the scripts do about real cloud VMs: first-boot apt, networkd, MTU, health checks, stale hostNetwork pods.</summary>
public sealed class BootstrapHardeningRendererTests
{
    private readonly BootstrapScriptRenderer _renderer = new();

    [Fact]
    public void HaproxyChecksEachApiServerForReadinessOverTlsNotJustForAnOpenPort()
    {
        var script = _renderer.Haproxy(BootstrapFixtures.Cluster("1.23.17", Cni.Canal, controlPlanes: 3));

        Assert.Contains("option httpchk GET /readyz", script.Text);
        Assert.Contains("http-check expect status 200", script.Text);
        Assert.Contains("check check-ssl verify none inter 5s fall 3 rise 2", script.Text);
        Assert.DoesNotContain("option tcp-check", script.Text);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void PrepareWaitsForCloudInitAndUpToFifteenMinutesForTheDpkgLockRetryingOnlyLockErrors(string version)
    {
        var script = _renderer.Prepare(BootstrapFixtures.Cluster(version, Cni.Canal), BootstrapFixtures.Worker(1));

        Assert.Equal("900", script.Argument("apt-lock-wait-seconds"));
        Assert.Contains("cloud-init status --wait", script.Text);
        Assert.Contains("systemctl stop apt-daily.timer apt-daily-upgrade.timer", script.Text);
        Assert.Contains("DPkg::Lock::Timeout=", script.Text);
        Assert.Contains("Could not get lock|Unable to acquire the dpkg frontend lock|Unable to lock", script.Text);
        Assert.DoesNotContain("retry 30 10 apt-get", script.Text);
    }

    [Fact]
    public void PrepareHoldsTheContainerRuntimeSoUnattendedUpgradesCannotRestartItUnderRunningPods()
    {
        var docker = _renderer.Prepare(BootstrapFixtures.Cluster("1.18.20", Cni.Canal), BootstrapFixtures.Worker(1));
        var containerd = _renderer.Prepare(BootstrapFixtures.Cluster(KubernetesVersionCatalog.DefaultVersion, Cni.Canal), BootstrapFixtures.Worker(1));

        Assert.Equal(["docker.io", "containerd", "runc"], docker.ArgumentValues("hold"));
        Assert.Equal(["containerd", "runc", "kubelet", "kubeadm", "kubectl"], containerd.ArgumentValues("hold"));
        Assert.Contains("apt-mark hold \"${held[@]}\"", docker.Text);
    }

    [Fact]
    public void ThePublicIpGoesOnADummyInterfaceThatSystemdNetworkdIsToldToLeaveAlone()
    {
        var script = _renderer.PublicIp(BootstrapFixtures.Cluster("1.23.17", Cni.Kilo), BootstrapFixtures.Worker(1));

        Assert.Equal("ladybug0", script.Argument("address-interface"));
        Assert.Contains("ip link add \"$ADDRESS_INTERFACE\" type dummy", script.Text);
        Assert.Contains("Unmanaged=yes", script.Text);
        Assert.Contains("ip addr add \"${ip}/32\" dev \"$ADDRESS_INTERFACE\"", script.Text);
        Assert.DoesNotContain("ip -4 route show default", script.Text);
    }

    [Theory]
    [InlineData(Cni.Canal, new[] { "aws" }, 1450)]
    [InlineData(Cni.Canal, new[] { "aws", "gcp" }, 1410)]
    [InlineData(Cni.Kilo, new[] { "aws", "gcp" }, 1380)]
    [InlineData(Cni.Kilo, new[] { "aws", "azure" }, 1320)]
    [InlineData(Cni.Canal, new[] { "aws", "someday-cloud" }, 1350)]
    public void ThePodNetworkMtuIsTheSmallestUnderlayAmongTheCloudsLessTheEncapsulation(Cni cni, string[] csps, int expected) =>
        Assert.Equal(expected, PodNetworkMtu.For(cni, csps));

    [Fact]
    public void TheCniGetsThatMtuCanalAsVethMtuKiloAsItsFlag()
    {
        var canal = _renderer.PodNetwork(BootstrapFixtures.Cluster("1.23.17", Cni.Canal), 1410);
        var kilo = _renderer.PodNetwork(BootstrapFixtures.Cluster("1.23.17", Cni.Kilo), 1380);

        var legacyKilo = _renderer.PodNetwork(BootstrapFixtures.Cluster("1.18.20", Cni.Kilo), 1380);

        Assert.Equal("1410", canal.Argument("mtu"));
        Assert.Contains("veth_mtu: \\\"${MTU}\\\"", canal.Text);
        Assert.Equal("1380", kilo.Argument("mtu"));
        Assert.Equal("yes", kilo.Argument("kilo-mtu-flag"));
        Assert.Contains("- --mtu=${MTU}", kilo.Text);
        Assert.Contains("\\\"mtu\\\": ${MTU}", kilo.Text);
        // Kilo 0.3.1 (Kubernetes 1.18) has no --mtu flag: only its CNI config's pod MTU is set.
        Assert.Equal("no", legacyKilo.Argument("kilo-mtu-flag"));
    }

    [Fact]
    public void AJoinedControlPlaneRestartsItsHostNetworkPodsSoTheyPickUpTheFinalEndpointMapping()
    {
        var cluster = BootstrapFixtures.Cluster("1.23.17", Cni.Kilo, controlPlanes: 3);
        var script = _renderer.JoinControlPlane(cluster, BootstrapFixtures.ControlPlane(2), BootstrapFixtures.Join(controlPlane: true), cluster.Leader.PublicIp);
        var text = script.Text;

        var remap = text.LastIndexOf("map_endpoint \"$ENDPOINT_HOST\" 127.0.0.1", StringComparison.Ordinal);
        var restart = text.IndexOf("delete pod -l k8s-app=kube-proxy", StringComparison.Ordinal);
        Assert.True(remap >= 0 && restart > remap, "kube-proxy is restarted after the endpoint points at this node");
        Assert.Contains("-l app.kubernetes.io/name=kilo", text);
        Assert.Contains("--field-selector \"spec.nodeName=${NODE_NAME}\"", text);
    }

    [Fact]
    public async Task LabelRestartsCanalWhereFlannelStillPublishesAnOldPublicIpEvenIfTheOverwriteIsAlreadyRight()
    {
        // The boot helper rewrote public-ip-overwrite after canal had started: flannel read the annotation only at start
        // (flannel pkg/subnet/kube/kube.go AcquireLease) and still publishes the old address as flannel.alpha.coreos.com/public-ip.
        var cluster = BootstrapFixtures.Cluster("1.23.17", Cni.Canal);
        var moved = BootstrapFixtures.Worker(1);
        var steady = BootstrapFixtures.Worker(2);
        var script = _renderer.Label(cluster, [moved, steady]);
        var nodes = new Dictionary<string, (string Overwrite, string Published)>
        {
            [moved.Name] = (moved.PublicIp, "203.0.113.7"),
            [steady.Name] = (steady.PublicIp, steady.PublicIp),
        };

        var calls = await RunWithFakeKubectlAsync(script, nodes);

        Assert.Contains(calls, c => c.Contains("delete pod -l k8s-app=canal", StringComparison.Ordinal) && c.Contains($"spec.nodeName={moved.Name}", StringComparison.Ordinal));
        Assert.DoesNotContain(calls, c => c.Contains("delete pod", StringComparison.Ordinal) && c.Contains($"spec.nodeName={steady.Name}", StringComparison.Ordinal));
    }

    public static TheoryData<string> Versions => [.. BootstrapFixtures.Versions];

    /// <summary>
    /// Runs the rendered script under bash with kubectl replaced by a function (from BASH_ENV, which a non-interactive bash
    /// reads first) that answers node annotation queries from <paramref name="nodes"/> and records every call.
    /// </summary>
    private static async Task<IReadOnlyList<string>> RunWithFakeKubectlAsync(RenderedScript script, Dictionary<string, (string Overwrite, string Published)> nodes)
    {
        var directory = Directory.CreateTempSubdirectory("ladybug-fake-kubectl-");
        try
        {
            var log = Path.Combine(directory.FullName, "calls");
            foreach (var (name, (overwrite, published)) in nodes)
            {
                await File.WriteAllTextAsync(Path.Combine(directory.FullName, name + ".overwrite"), overwrite);
                await File.WriteAllTextAsync(Path.Combine(directory.FullName, name + ".published"), published);
            }
            var env = Path.Combine(directory.FullName, "env.sh");
            await File.WriteAllTextAsync(env, $$"""
                kubectl() {
                  printf '%s\n' "$*" >> '{{log}}'
                  local node="" arg
                  for arg in "$@"; do case "$arg" in ladybug-*|[a-z]-[0-9]*-*) node="$arg" ;; esac; done
                  case "$*" in
                    *"get node"*public-ip-overwrite*) cat '{{directory.FullName}}/'"$node"'.overwrite' ;;
                    *"get node"*public-ip*) cat '{{directory.FullName}}/'"$node"'.published' ;;
                  esac
                }
                """);
            var start = new ProcessStartInfo("bash", ["-s", "--", .. script.Arguments.Select(a => a.ToString())])
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            };
            start.Environment["BASH_ENV"] = env;
            using var process = Process.Start(start)!;
            await process.StandardInput.WriteAsync(script.Text);
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"label exited {process.ExitCode}: {stderr}{await stdout}");
            return File.Exists(log) ? await File.ReadAllLinesAsync(log) : [];
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
