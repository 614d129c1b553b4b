using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Ladybug.Engine.Domain;

namespace Ladybug.Engine.Bootstrap;

/// <summary>
/// Turns a step plus cluster and node facts into the script text and its <c>--name=value</c>
/// arguments. Version-specific facts come from <see cref="KubernetesVersionCatalog"/> only; the
/// scripts never guess them. The argument names here are the contract the sandbox simulator reads.
/// </summary>
public sealed partial class BootstrapScriptRenderer
{
    private const string StepPlaceholder = "__LADYBUG_STEP__";
    private const string BodyFunction = "ladybug_main";

    /// <summary>How long apt waits for the locks cloud-init and first-boot unattended-upgrades hold (15 minutes).</summary>
    public const int AptLockWaitSeconds = 900;

    /// <summary>The dummy interface that carries a node's public IP (systemd-networkd is told to leave it alone).</summary>
    public const string PublicIpInterface = "ladybug0";

    public RenderedScript Prepare(ClusterFacts cluster, NodeFacts node)
    {
        var minor = cluster.Minor;
        List<ScriptArgument> args =
        [
            new("node-name", node.Name),
            new("kubernetes-version", cluster.KubernetesVersion),
            new("binaries", minor.Binaries == BinarySource.ReleaseBinaries ? "release" : "pkgs"),
            new("runtime", minor.Runtime == ContainerRuntime.Docker ? "docker" : "containerd"),
            new("runtime-package", minor.RuntimePackage),
            new("wireguard", cluster.Cni == Cni.Kilo ? "yes" : "no"),
            new("apt-lock-wait-seconds", AptLockWaitSeconds.ToString(CultureInfo.InvariantCulture)),
        ];
        if (minor.Runtime == ContainerRuntime.Containerd)
            args.Add(new("pause-image", minor.PauseImage));
        if (minor.Binaries == BinarySource.ReleaseBinaries)
        {
            args.Add(new("cri-tools-version", minor.CriToolsVersion
                ?? throw new InvalidOperationException($"Kubernetes {minor.Minor} installs release binaries but names no cri-tools version.")));
            args.Add(new("cni-plugins-version", minor.CniPluginsVersion
                ?? throw new InvalidOperationException($"Kubernetes {minor.Minor} installs release binaries but names no CNI plugins version.")));
        }
        else
        {
            args.Add(new("package-repository", minor.PackageRepositoryUrl));
        }
        args.AddRange(HeldPackages(minor).Select(p => new ScriptArgument("hold", p)));
        return Render(BootstrapStep.Prepare, args);
    }

    /// <summary>Packages held against unattended upgrades: the runtime (and what it runs on), and apt-installed Kubernetes.</summary>
    public static IReadOnlyList<string> HeldPackages(KubernetesMinor minor) =>
    [
        .. minor.Runtime == ContainerRuntime.Docker ? [minor.RuntimePackageName, "containerd", "runc"] : new[] { minor.RuntimePackageName, "runc" },
        .. minor.Binaries == BinarySource.PkgsK8sIo ? ["kubelet", "kubeadm", "kubectl"] : Array.Empty<string>(),
    ];

    public RenderedScript PublicIp(ClusterFacts cluster, NodeFacts node) => Render(BootstrapStep.PublicIp,
    [
        new("node-name", node.Name),
        new("public-ip", node.PublicIp),
        new("cni", CniName(cluster.Cni)),
        new("address-interface", PublicIpInterface),
    ]);

    /// <summary>The node-local haproxy of a worker in an HA cluster: one backend per control plane.</summary>
    public RenderedScript Haproxy(ClusterFacts cluster) => Render(BootstrapStep.Haproxy,
    [
        new("endpoint-host", cluster.EndpointHost),
        new("port", ClusterFacts.ApiServerPort.ToString(CultureInfo.InvariantCulture)),
        new("apt-lock-wait-seconds", AptLockWaitSeconds.ToString(CultureInfo.InvariantCulture)),
        .. cluster.ControlPlanes.Select(c => new ScriptArgument("backend", $"{c.PublicIp}:{ClusterFacts.ApiServerPort}")),
    ]);

    public RenderedScript KubeadmInit(ClusterFacts cluster, string token, string certificateKey) => Render(BootstrapStep.KubeadmInit,
    [
        .. cluster.Minor.DnsImageRepository(cluster.KubernetesVersion) is { } dns ? [new ScriptArgument("dns-image-repository", dns)] : Array.Empty<ScriptArgument>(),
        new("node-name", cluster.Leader.Name),
        new("kubernetes-version", cluster.KubernetesVersion),
        new("kubeadm-api-version", cluster.Minor.KubeadmApiVersion),
        new("advertise-address", cluster.Leader.PublicIp),
        new("endpoint", cluster.Endpoint),
        new("cert-sans", string.Join(',', cluster.CertificateSans)),
        new("pod-cidr", cluster.PodCidr),
        new("service-cidr", cluster.ServiceCidr),
        new("dns-domain", cluster.DnsDomain),
        new("cri-socket", cluster.Minor.CriSocket),
        new("image-repository", KubernetesMinor.ImageRepository),
        new("cluster-name", cluster.Name),
        new("token", token),
        new("certificate-key", certificateKey),
        new("etcd-listen-client-urls", ClusterFacts.EtcdListenClientUrls),
        new("etcd-listen-peer-urls", ClusterFacts.EtcdListenPeerUrls),
        new("extra-args-form", ExtraArgsForm(cluster.Minor.KubeadmApiVersion)),
    ], secrets: [token, certificateKey]);

    /// <summary>
    /// kubeadm's ControlPlaneComponent/LocalEtcd extraArgs: map[string]string up to v1beta3, []Arg{name, value} from
    /// v1beta4 (kubernetes cmd/kubeadm/app/apis/kubeadm/v1beta3/types.go, v1beta4/types.go); each version refuses the other form.
    /// </summary>
    internal static string ExtraArgsForm(string kubeadmApiVersion) =>
        kubeadmApiVersion.EndsWith("/v1beta4", StringComparison.Ordinal) ? "list" : "map";

    /// <summary>The CNI (canal or kilo) from its pinned upstream manifest (canal's checked by sha256), patched to the cluster's pod CIDR and MTU.</summary>
    /// <param name="mtu">From <see cref="PodNetworkMtu.For"/> over the cluster's clouds.</param>
    public RenderedScript PodNetwork(ClusterFacts cluster, int mtu)
    {
        var minor = cluster.Minor;
        List<ScriptArgument> args =
        [
            new("cni", CniName(cluster.Cni)),
            new("pod-cidr", cluster.PodCidr),
            new("mtu", mtu.ToString(CultureInfo.InvariantCulture)),
        ];
        if (cluster.Cni == Cni.Canal)
        {
            args.Add(new("manifest-url", minor.Canal.ManifestUrl));
            args.Add(new("manifest-sha256", minor.Canal.Sha256));
        }
        else
        {
            args.Add(new("manifest-url", minor.KiloManifestUrl));
            args.Add(new("crds-url", minor.KiloCrdsUrl));
            args.Add(new("image", minor.KiloImage));
            // kg took --mtu in 0.5.0 (squat/kilo cmd/kg/main.go); 0.3.1's flag set has none and would refuse it.
            args.Add(new("kilo-mtu-flag", Version.Parse(minor.KiloVersion) >= new Version(0, 5, 0) ? "yes" : "no"));
        }
        return Render(BootstrapStep.Cni, args);
    }

    /// <param name="bootstrapIp">Public IP of a control plane that already serves the API (the leader).</param>
    public RenderedScript JoinControlPlane(ClusterFacts cluster, NodeFacts node, JoinCredentials join, string bootstrapIp)
    {
        if (join.CertificateKey is null)
            throw new ArgumentException("A control-plane join needs the certificate key.", nameof(join));
        return Render(BootstrapStep.JoinControlPlane,
        [
            new("node-name", node.Name),
            new("endpoint", join.Endpoint),
            new("bootstrap-ip", bootstrapIp),
            new("advertise-address", node.PublicIp),
            new("cri-socket", cluster.Minor.CriSocket),
            new("token", join.Token),
            new("discovery-hash", join.DiscoveryHash),
            new("certificate-key", join.CertificateKey),
        ], secrets: join.Secrets);
    }

    public RenderedScript JoinWorker(ClusterFacts cluster, NodeFacts node, JoinCredentials join) => Render(BootstrapStep.JoinWorker,
    [
        new("node-name", node.Name),
        new("endpoint", join.Endpoint),
        new("endpoint-ip", cluster.WorkerEndpointIp),
        new("cri-socket", cluster.Minor.CriSocket),
        new("token", join.Token),
        new("discovery-hash", join.DiscoveryHash),
    ], secrets: join.Secrets);

    /// <param name="certificateKey">When given, the certificates are re-uploaded under it and the control-plane join command is printed.</param>
    public RenderedScript JoinToken(string token, TimeSpan ttl, string? certificateKey)
    {
        List<ScriptArgument> args = [new("token", token), new("ttl", KubeadmDuration(ttl))];
        if (certificateKey is not null)
            args.Add(new("certificate-key", certificateKey));
        return Render(BootstrapStep.JoinToken, args, secrets: certificateKey is null ? [token] : [token, certificateKey]);
    }

    /// <summary>Labels (csp, region, zone) and CNI annotations of every given node, in one script.</summary>
    public RenderedScript Label(ClusterFacts cluster, IEnumerable<NodeFacts> nodes) => Render(BootstrapStep.Label,
    [
        new("cni", CniName(cluster.Cni)),
        .. nodes.Select(n => new ScriptArgument("node",
            string.Join(',', n.Name, LabelValue(n.Csp), LabelValue(n.Region), LabelValue(n.Zone), n.PublicIp))),
    ]);

    public RenderedScript WaitReady(IEnumerable<string> nodeNames, TimeSpan timeout) => Render(BootstrapStep.WaitReady,
    [
        TimeoutSeconds(timeout),
        .. nodeNames.Select(n => new ScriptArgument("node", n)),
    ], timeout: timeout + TimeSpan.FromMinutes(1));

    /// <summary>From the leader: each node's tunnel address as its CNI published it (canal: its podCIDR; kilo: its WireGuard IP).</summary>
    public RenderedScript OverlayAddresses(ClusterFacts cluster, IEnumerable<string> nodeNames, TimeSpan timeout) => Render(BootstrapStep.OverlayAddresses,
    [
        new("cni", CniName(cluster.Cni)),
        TimeoutSeconds(timeout),
        .. nodeNames.Select(n => new ScriptArgument("node", n)),
    ], timeout: timeout + TimeSpan.FromMinutes(1));

    /// <summary>On one node: pings every peer's tunnel address (from <see cref="PodNetworkReport.ParseOverlay"/>) through the pod network.</summary>
    public RenderedScript PodNetworkCheck(ClusterFacts cluster, IEnumerable<PodNetworkPeer> peers, TimeSpan timeout) => Render(BootstrapStep.PodNetwork,
    [
        new("cni", CniName(cluster.Cni)),
        TimeoutSeconds(timeout),
        .. peers.Select(p => new ScriptArgument("peer", $"{p.Name},{p.Address}")),
    ], timeout: timeout + TimeSpan.FromMinutes(1));

    /// <summary>A step's own deadline in whole seconds, rounded up so the script never gives up before the engine would.</summary>
    private static ScriptArgument TimeoutSeconds(TimeSpan timeout) =>
        new("timeout-seconds", ((int)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture));

    public RenderedScript FetchKubeconfig() => Render(BootstrapStep.FetchKubeconfig, []);

    public RenderedScript GetNodes(TimeSpan timeout) => Render(BootstrapStep.GetNodes, [], timeout: timeout);

    public RenderedScript DrainDeleteNode(ClusterFacts cluster, NodeFacts node, TimeSpan drainTimeout) => Render(BootstrapStep.DrainDeleteNode,
    [
        new("node-name", node.Name),
        new("role", node.Role == NodeRole.ControlPlane ? "control-plane" : "worker"),
        new("delete-data-flag", cluster.Minor.DrainDeleteDataFlag),
        TimeoutSeconds(drainTimeout),
    ], timeout: drainTimeout + TimeSpan.FromMinutes(2));

    /// <summary>On one control plane: kubeadm certs renew all, then its static pods restarted (each wait up to <paramref name="restartTimeout"/>).</summary>
    public RenderedScript RenewCertificates(ClusterFacts cluster, NodeFacts node, TimeSpan restartTimeout) => Render(BootstrapStep.RenewCertificates,
    [
        new("node-name", node.Name),
        new("certs-command", cluster.Minor.KubeadmCertsCommand),
        TimeoutSeconds(restartTimeout),
    ], timeout: restartTimeout * 2 + TimeSpan.FromMinutes(2));

    public RenderedScript Reset(ClusterFacts cluster) => Render(BootstrapStep.Reset, [new("cri-socket", cluster.Minor.CriSocket)]);

    /// <summary>
    /// The script as it runs: shebang and marker line first, then the shared prelude, then the step body
    /// inside a function that is called with stdin closed (bash reads the whole script before running it).
    /// </summary>
    public static RenderedScript Render(BootstrapStep step, IReadOnlyList<ScriptArgument> arguments,
        IReadOnlyList<string>? secrets = null, TimeSpan? timeout = null)
    {
        foreach (var argument in arguments)
        {
            if (!ArgumentName().IsMatch(argument.Name))
                throw new ArgumentException($"Argument name '{argument.Name}' of step '{step.Name}' is not lower-case words joined by dashes.", nameof(arguments));
            if (argument.Value.Contains('\n') || argument.Value.Contains('\r'))
                throw new ArgumentException($"Argument --{argument.Name} of step '{step.Name}' contains a line break.", nameof(arguments));
        }

        var template = BootstrapScripts.Template(step);
        var lines = template.Split('\n');
        if (lines.Length < 3 || !lines[0].StartsWith("#!", StringComparison.Ordinal) || lines[1] != step.Marker)
            throw new InvalidOperationException($"Script '{step.Name}.sh' must start with a shebang and then '{step.Marker}'.");

        var text = new StringBuilder()
            .Append(lines[0]).Append('\n')
            .Append(lines[1]).Append('\n')
            .Append(BootstrapScripts.Prelude.Replace(StepPlaceholder, step.Name, StringComparison.Ordinal).TrimEnd('\n')).Append("\n\n")
            .Append(BodyFunction).Append("() {\n")
            .Append(string.Join('\n', lines[2..]).TrimEnd('\n')).Append('\n')
            .Append("}\n\n")
            .Append(BodyFunction).Append(" \"$@\" </dev/null\n")
            .ToString();
        return new RenderedScript(step, text, arguments, secrets?.Where(s => !string.IsNullOrEmpty(s)).ToList() ?? []) { Timeout = timeout };
    }

    public static string CniName(Cni cni) => cni == Cni.Kilo ? "kilo" : "canal";

    /// <summary>A Kubernetes label value: at most 63 of [A-Za-z0-9-_.], starting and ending alphanumeric.</summary>
    public static string LabelValue(string? text)
    {
        var cleaned = LabelInvalidChars().Replace((text ?? "").Trim(), "-");
        if (cleaned.Length > 63) cleaned = cleaned[..63];
        return cleaned.Trim('-', '_', '.');
    }

    /// <summary>A kubeadm duration such as "2h0m0s".</summary>
    private static string KubeadmDuration(TimeSpan value) =>
        $"{(int)value.TotalHours}h{value.Minutes}m{value.Seconds}s";

    [GeneratedRegex("^[a-z][a-z0-9-]*$")]
    private static partial Regex ArgumentName();

    [GeneratedRegex("[^A-Za-z0-9_.-]")]
    private static partial Regex LabelInvalidChars();
}
