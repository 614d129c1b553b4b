using Ladybug.Sandbox.Catalog;
using System.Globalization;
using Ladybug.Sandbox.Simulator.Network;

namespace Ladybug.Sandbox.Simulator.Kubernetes;

// The steps that make and grow the control plane: kubeadm-init, cni, join-control-plane and join-token.

/// <summary><c>kubeadm-init</c>: the first control plane; prints kubeadm's own output, join commands included.</summary>
internal sealed class KubeadmInitStep : KubernetesStep
{
    private static readonly string[] ApiVersions = ["kubeadm.k8s.io/v1beta2", "kubeadm.k8s.io/v1beta3", "kubeadm.k8s.io/v1beta4"];

    public override string Name => "kubeadm-init";

    protected override async Task<int> RunAsync(NodeStepContext context, StepArguments args)
    {
        var name = NodeName(args);
        var version = Version(args);
        var apiVersion = args.OneOf("kubeadm-api-version", ApiVersions);
        var advertise = args.Ipv4("advertise-address");
        var endpoint = args.Required("endpoint");
        var sans = args.Required("cert-sans").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var podCidr = args.Cidr("pod-cidr");
        var serviceCidr = args.Cidr("service-cidr");
        var dnsDomain = args.Required("dns-domain");
        var criSocket = args.Required("cri-socket");
        var imageRepository = args.Required("image-repository");
        var dnsImageRepository = args.Optional("dns-image-repository");
        var clusterName = args.Required("cluster-name");
        var token = args.Matching("token", TokenPattern(), "a bootstrap token ([a-z0-9]{6}.[a-z0-9]{16})");
        var certificateKey = args.Matching("certificate-key", CertificateKeyPattern(), "a certificate key (64 hex digits)");
        var etcdUrls = EtcdNetwork.Configured(args);
        var endpointHost = endpoint.Split(':')[0];
        if (!endpoint.EndsWith(":6443", StringComparison.Ordinal))
            throw new NodeStepFailure($"--endpoint={endpoint} is not <name>:6443");
        if (!sans.Contains(endpointHost) || !sans.Contains(advertise))
            throw new NodeStepFailure($"--cert-sans must name the endpoint {endpointHost} and the advertise address {advertise}");
        if (podCidr == serviceCidr)
            throw new NodeStepFailure($"the pod CIDR and the service CIDR are both {podCidr}");

        var state = RequirePrepared(context);
        RequireSameName(state, name);
        if (state.Version != version)
            throw new NodeStepFailure(
                $"this version of kubeadm (v{state.Version}) cannot deploy a control plane of version v{version}", 1);
        if (state.PublicIp is { } ip && ip != advertise)
            throw new NodeStepFailure($"--advertise-address={advertise} but this node's public IP is {ip}");
        RequireCriSocket(state, criSocket);
        var minor = MinorOf(version);
        var expectedApi = minor < 22 ? ApiVersions[0] : minor < 31 ? ApiVersions[1] : ApiVersions[2];
        if (apiVersion != expectedApi)
            throw new NodeStepFailure($"your configuration file uses an old API spec: \"{apiVersion}\"; kubeadm v{version} expects \"{expectedApi}\"", 1, verbatim: true);
        EtcdNetwork.RequireExtraArgsForm(args, apiVersion);
        if (context.Node.FileExists(AdminKubeconfig))
            throw new NodeStepFailure($"this node already ran kubeadm init ({AdminKubeconfig} exists); reset it before initialising again");
        var etcdListeners = NodeNetwork.EtcdListeners(etcdUrls, advertise);
        EtcdNetwork.RequireBindable(context, etcdListeners);

        var missing = KubeadmImages(version, imageRepository, dnsImageRepository).Where(i => !UpstreamArtifacts.Instance.ImageExists(i)).ToList();
        if (missing.Count > 0)
        {
            await context.WorkAsync(
            [
                "[preflight] Running pre-flight checks",
                "[preflight] Pulling images required for setting up a Kubernetes cluster",
                "[preflight] This might take a minute or two, depending on the speed of your internet connection",
                "[preflight] You can also perform this action in beforehand using 'kubeadm config images pull'",
            ]);
            throw UpstreamFailures.ImagePull(context, missing, state.Runtime == "docker", "kubeadm init --config \"$CONFIG\" --upload-certs");
        }

        var authority = ClusterCertificates.NewAuthority();
        var initialized = UpdateCluster(context, cluster =>
        {
            if (cluster.IsInitialized)
                throw new NodeStepFailure($"this Infra's cluster was already initialised on {cluster.InitializedOn}; a second kubeadm init would make a second cluster");
            return NodeIpam.Register(cluster with
            {
                InitializedOn = context.Node.Identity.Id,
                Name = clusterName,
                Version = version,
                Endpoint = endpoint,
                PodCidr = podCidr,
                ServiceCidr = serviceCidr,
                DnsDomain = dnsDomain,
                CertificateSans = [.. sans],
                CaCertificatePem = authority.CertificatePem,
                CaKeyPem = authority.KeyPem,
                DiscoveryHash = authority.DiscoveryHash,
                CertificateKey = certificateKey,
                CertificatesUploadedAt = DateTimeOffset.UtcNow,
                Tokens = [new BootstrapToken(token, DateTimeOffset.UtcNow.AddHours(24))],
                Nodes = new(StringComparer.Ordinal),
                PodCidrNextCandidate = 0,
                EtcdMembers = [new EtcdMember(EtcdMemberId(name), name, $"https://{advertise}:2380")],
            }, NewNode(context, state, ControlPlane, advertise));
        });

        var issued = ClusterCertificates.Fresh(initialized, DateTimeOffset.UtcNow);
        initialized = UpdateCluster(context, c => c with { Certificates = new(c.Certificates, StringComparer.Ordinal) { [name] = ControlPlaneCertificates.Started(issued) } });
        context.Node.WriteFile(AdminKubeconfig, ClusterCertificates.AdminKubeconfig(initialized, issued));
        context.Node.WriteFile(KubeletKubeconfig, $"# kubelet of {name}\n");
        context.Node.WriteFile("/etc/kubernetes/manifests/kube-controller-manager.yaml",
            $"spec:\n  containers:\n  - command:\n    - kube-controller-manager\n    - --allocate-node-cidrs=true\n    - --cluster-cidr={podCidr}\n    - --service-cluster-ip-range={serviceCidr}\n");
        UpdateNode(context, s => s with { JoinedAs = ControlPlane });
        NodeNetwork.Update(context, n => n with { Etcd = etcdUrls });
        NodeNetwork.Listen(context, [NodeNetwork.ApiServer, NodeNetwork.Kubelet, NodeNetwork.Etcd], [.. NodeNetwork.ApiServerAndKubelet(), .. etcdListeners]);

        var lines = new List<string>
        {
            MapEndpoint(context, endpointHost, "127.0.0.1"),
            Log($"kubeadm init: endpoint {endpoint}, pods {podCidr}, services {serviceCidr}, domain {dnsDomain}"),
        };
        lines.AddRange(KubeadmOutput.Init(version, name, advertise, endpoint, sans, serviceCidr, dnsDomain, token, certificateKey, authority.DiscoveryHash));
        await context.WorkAsync(lines);
        return 0;
    }

    /// <summary>
    /// The images kubeadm init pulls in preflight (kubernetes cmd/kubeadm/app/images/images.go GetControlPlaneImages,
    /// GetDNSImage; constants per minor in upstream-artifacts.json). CoreDNS: dns.imageRepository if set, else
    /// imageRepository; only kubeadm's own default repository gets the nested "coredns/coredns" path
    /// (kubernetes/kubernetes#102502), so a "custom" registry.k8s.io on 1.23.0-1.23.14 asks for registry.k8s.io/coredns:v1.8.6.
    /// </summary>
    internal static IReadOnlyList<string> KubeadmImages(string version, string imageRepository, string? dnsImageRepository)
    {
        var (minor, patch) = UpstreamArtifacts.Split(version);
        List<string> images = [.. new[] { "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kube-proxy" }.Select(c => $"{imageRepository}/{c}:v{version}")];
        var kubeadm = UpstreamArtifacts.Instance.Kubeadm(minor);
        if (kubeadm is null) return images;
        if (kubeadm.Pause is { } pause) images.Add($"{imageRepository}/pause:{pause}");
        if (kubeadm.Etcd is { } etcd) images.Add($"{imageRepository}/etcd:{etcd}");
        var dnsRepository = dnsImageRepository ?? imageRepository;
        if (dnsRepository == kubeadm.DefaultRepositoryAt(patch))
            dnsRepository += "/coredns";
        // A minor whose CoreDNS tag is not recorded is only checked for the repository path.
        if (kubeadm.CoreDns is { } coreDns)
            images.Add($"{dnsRepository}/coredns:{coreDns}");
        else if (!UpstreamArtifacts.Instance.ImageRepositoryExists($"{dnsRepository}/coredns"))
            images.Add($"{dnsRepository}/coredns:latest");
        return images;
    }

    internal static void RequireCriSocket(NodeKubeState state, string criSocket)
    {
        var expected = state.Runtime == "docker" ? "/var/run/dockershim.sock" : "unix:///run/containerd/containerd.sock";
        if (criSocket != expected)
            throw new NodeStepFailure($"error execution phase preflight: container runtime is not running: {criSocket}: no such file or directory", 1, verbatim: true);
    }

    internal static string EtcdMemberId(string name) => PodSuffix("etcd-" + name) + PodSuffix(name + "-etcd") + "a1b2c3";
}

/// <summary><c>cni</c>: canal or kilo from its upstream manifest with the cluster's pod CIDR.</summary>
internal sealed class CniStep : KubernetesStep
{
    public override string Name => "cni";

    protected override async Task<int> RunAsync(NodeStepContext context, StepArguments args)
    {
        var cni = args.OneOf("cni", "canal", "kilo");
        var podCidr = args.Cidr("pod-cidr");
        var manifest = args.Required("manifest-url");
        // Without --mtu the CNI auto-detects it from the NIC (AWS: 9001), what the engine did before it passed one.
        int? mtu = args.Optional("mtu") is null ? null : args.Seconds("mtu");
        if (mtu is < 576 or > 9001)
            throw new NodeStepFailure($"--mtu={mtu} is not an IPv4 link MTU (576-9001)");
        if (!manifest.StartsWith("https://", StringComparison.Ordinal))
            throw new NodeStepFailure($"--manifest-url={manifest} is not an https URL");
        var sha256 = args.Optional("manifest-sha256");
        string? image = null;
        string? crds = null;
        if (cni == "kilo")
        {
            crds = args.Required("crds-url");
            image = args.Required("image");
        }
        var cluster = RequireAdmin(context);
        if (cluster.PodCidr != podCidr)
            throw new NodeStepFailure($"the controller manager does not allocate node subnets from {podCidr}");
        await RequireManifestAsync(context, cni, manifest, sha256, crds);
        if (cluster.Cni is { } installed && installed != cni)
            throw new NodeStepFailure($"{installed} is already the pod network of this cluster; {cni} would conflict with it");

        var verb = cluster.Cni is null ? "created" : "unchanged";
        List<string> lines = cni == "canal"
            ?
            [
                .. new[] { "bgpconfigurations", "bgppeers", "blockaffinities", "clusterinformations", "felixconfigurations", "globalnetworkpolicies",
                        "globalnetworksets", "hostendpoints", "ipamblocks", "ipamconfigs", "ipamhandles", "ippools", "networkpolicies", "networksets" }
                    .Select(crd => $"customresourcedefinition.apiextensions.k8s.io/{crd}.crd.projectcalico.org {verb}"),
                $"configmap/canal-config {verb}",
                $"clusterrole.rbac.authorization.k8s.io/calico-node {verb}",
                $"clusterrole.rbac.authorization.k8s.io/flannel {verb}",
                $"clusterrolebinding.rbac.authorization.k8s.io/canal-flannel {verb}",
                $"clusterrolebinding.rbac.authorization.k8s.io/canal-calico {verb}",
                $"daemonset.apps/canal {verb}",
                $"serviceaccount/canal {verb}",
                $"deployment.apps/calico-kube-controllers {verb}",
                $"serviceaccount/calico-kube-controllers {verb}",
            ]
            :
            [
                $"customresourcedefinition.apiextensions.k8s.io/peers.kilo.squat.ai {verb}",
                $"serviceaccount/kilo {verb}",
                $"clusterrole.rbac.authorization.k8s.io/kilo {verb}",
                $"clusterrolebinding.rbac.authorization.k8s.io/kilo {verb}",
                $"configmap/kilo {verb}",
                $"daemonset.apps/kilo {verb}",
                Log($"kilo image pinned to {image}, full mesh"),
            ];
        lines.Add(Log($"{cni} applied with pod CIDR {podCidr}" + (mtu is null ? "" : $", MTU {mtu}")));
        await context.WorkAsync(lines);
        UpdateCluster(context, c => c with { Cni = cni, PodMtu = mtu });
        return 0;
    }

    /// <summary>
    /// cni.sh downloads the manifest (curl 404 for anything upstream does not have), checks its sha256 when pinned, and
    /// looks for flannel's "Network" to patch: a Calico Jekyll stub (102 bytes of "{% helm %}") has none.
    /// </summary>
    private static async Task RequireManifestAsync(NodeStepContext context, string cni, string url, string? sha256, string? crdsUrl)
    {
        var manifest = UpstreamArtifacts.Instance.Manifest(url);
        if (manifest is null)
            throw await UpstreamFailures.DownloadAsync(context, url, "/tmp/ladybug-cni.yaml");
        if (sha256 is not null && !string.Equals(sha256, manifest.Sha256, StringComparison.Ordinal))
            throw new NodeStepFailure(
                $"sha256sum: WARNING: 1 computed checksum did NOT match\n[ladybug] error: the manifest from {url} does not have sha256 {sha256}", 1, verbatim: true);
        if (cni == "canal" && manifest.Kind != "canal")
            throw new NodeStepFailure("canal manifest has no flannel \"Network\" setting to patch");
        if (cni == "kilo")
        {
            if (manifest.Kind != "kilo")
                throw new NodeStepFailure("could not configure Kilo's full mesh");
            if (UpstreamArtifacts.Instance.Manifest(crdsUrl!) is not { Kind: "kilo-crds" })
                throw await UpstreamFailures.DownloadAsync(context, crdsUrl!, "/tmp/ladybug-kilo-crds.yaml");
        }
    }
}

/// <summary>
/// <c>join-control-plane</c>: one more control plane and etcd member. Joins must come one at a time: a second one
/// while the first is still adding its etcd member fails the way etcd does.
/// </summary>
internal sealed class JoinControlPlaneStep : KubernetesStep
{
    public override string Name => "join-control-plane";

    protected override async Task<int> RunAsync(NodeStepContext context, StepArguments args)
    {
        var name = NodeName(args);
        var endpoint = args.Required("endpoint");
        var bootstrapIp = args.Ipv4("bootstrap-ip");
        var advertise = args.Ipv4("advertise-address");
        var criSocket = args.Required("cri-socket");
        var token = args.Matching("token", TokenPattern(), "a bootstrap token ([a-z0-9]{6}.[a-z0-9]{16})");
        var hash = args.Matching("discovery-hash", HashPattern(), "a discovery hash (sha256:<64 hex digits>)");
        var certificateKey = args.Matching("certificate-key", CertificateKeyPattern(), "a certificate key (64 hex digits)");
        var state = RequirePrepared(context);
        RequireSameName(state, name);
        KubeadmInitStep.RequireCriSocket(state, criSocket);
        var endpointHost = endpoint.Split(':')[0];

        var cluster = Cluster(context);
        if (state.JoinedAs == ControlPlane && cluster.Nodes.ContainsKey(name) && context.Node.FileExists(AdminKubeconfig))
        {
            await context.WorkAsync([MapEndpoint(context, endpointHost, "127.0.0.1"), Log($"{name} is already a control plane of this cluster")]);
            return 0;
        }
        var mapped = MapEndpoint(context, endpointHost, bootstrapIp);
        RequireServingControlPlane(cluster, bootstrapIp, endpoint);
        RequireReachableApi(context, bootstrapIp, endpoint);
        RequireValidToken(cluster, token, endpoint);
        RequireDiscoveryHash(cluster, hash);
        if (cluster.CertificateKey != certificateKey || cluster.CertificatesUploadedAt < DateTimeOffset.UtcNow.AddHours(-2))
            throw new NodeStepFailure("error execution phase control-plane-prepare/download-certs: error downloading certs: error decoding certificate key: " +
                "the Secret does not include the required certificate or key - name: external-etcd.crt", 1, verbatim: true);
        if (MinorOf(state.Version) != MinorOf(cluster.Version))
            throw new NodeStepFailure($"error execution phase preflight: this node has kubelet v{state.Version}; the control plane runs v{cluster.Version}", 1, verbatim: true);
        EtcdNetwork.RequireHealthyCluster(context, cluster);
        var etcdListeners = NodeNetwork.EtcdListeners(NodeNetwork.Read(context).Etcd, advertise);
        EtcdNetwork.RequireBindable(context, etcdListeners);

        // Adding the etcd member: the moment two joins at once break etcd.
        UpdateCluster(context, c =>
        {
            if (c.ControlPlaneJoining is { } other && other != name)
                throw new NodeStepFailure(
                    $"error execution phase control-plane-join/etcd: error creating local etcd static pod manifest file: etcdserver: unhealthy cluster " +
                    $"(member {other} is still joining: control planes must join one at a time)", 1, verbatim: true);
            return c with
            {
                ControlPlaneJoining = name,
                EtcdMembers = [.. c.EtcdMembers.Where(m => m.Name != name), new EtcdMember(KubeadmInitStep.EtcdMemberId(name), name, $"https://{advertise}:2380")],
            };
        });
        NodeNetwork.Listen(context, [NodeNetwork.Etcd], etcdListeners);
        // The member is added before its peers must reach it: a failure here leaves it in the cluster, as with kubeadm.
        EtcdNetwork.RequirePeersConnect(context, cluster, name, advertise);
        var lines = new List<string> { mapped };
        lines.AddRange(KubeadmOutput.Join(cluster.Version, name, endpoint, controlPlane: true, advertise));
        lines.Add(MapEndpoint(context, endpointHost, "127.0.0.1"));
        lines.Add(Log($"{name} joined as a control plane"));
        await context.WorkAsync(lines);

        var issued = ClusterCertificates.Fresh(cluster, DateTimeOffset.UtcNow);
        var joined = UpdateCluster(context, c => NodeIpam.Register(c with
        {
            ControlPlaneJoining = null,
            Certificates = new(c.Certificates, StringComparer.Ordinal) { [name] = ControlPlaneCertificates.Started(issued) },
        }, NewNode(context, state, ControlPlane, advertise)));
        context.Node.WriteFile(AdminKubeconfig, ClusterCertificates.AdminKubeconfig(joined, issued));
        context.Node.WriteFile(KubeletKubeconfig, $"# kubelet of {name}\n");
        UpdateNode(context, s => s with { JoinedAs = ControlPlane });
        NodeNetwork.Listen(context, [NodeNetwork.ApiServer, NodeNetwork.Kubelet], NodeNetwork.ApiServerAndKubelet());
        return 0;
    }

    /// <summary>kubeadm's discovery fetches cluster-info from <paramref name="ip"/>:6443; a firewall or a missing listener stops it there.</summary>
    internal static void RequireReachableApi(NodeStepContext context, string ip, string endpoint)
    {
        var reach = NodeNetwork.Dial(context, ip, 6443);
        if (reach != Reach.Connected)
            throw new NodeStepFailure(
                $"error execution phase preflight: couldn't validate the identity of the API Server: Get \"https://{endpoint}/api/v1/namespaces/kube-public/configmaps/cluster-info?timeout=10s\": " +
                NetworkPaths.DialError(reach, ip, 6443), 1, verbatim: true);
    }

    /// <summary>The joining node reaches the API at <paramref name="ip"/>: some control plane of this cluster must serve there.</summary>
    internal static void RequireServingControlPlane(KubernetesCluster cluster, string ip, string endpoint)
    {
        if (!cluster.IsInitialized || !cluster.Nodes.Values.Any(n => n.Role == ControlPlane && n.Joined && n.InternalIp == ip))
            throw new NodeStepFailure(
                $"error execution phase preflight: couldn't validate the identity of the API Server: Get \"https://{endpoint}/api/v1/namespaces/kube-public/configmaps/cluster-info?timeout=10s\": " +
                $"dial tcp {ip}:6443: connect: connection refused", 1, verbatim: true);
        if (cluster.Endpoint != endpoint)
            throw new NodeStepFailure($"error execution phase preflight: the API server at {ip} serves {cluster.Endpoint}, not {endpoint}", 1, verbatim: true);
    }
}

/// <summary><c>join-token</c>: a fresh bootstrap token (and re-uploaded certificates) with the join command.</summary>
internal sealed class JoinTokenStep : KubernetesStep
{
    public override string Name => "join-token";

    protected override async Task<int> RunAsync(NodeStepContext context, StepArguments args)
    {
        var token = args.Matching("token", TokenPattern(), "a bootstrap token ([a-z0-9]{6}.[a-z0-9]{16})");
        var ttl = ParseDuration(args.Required("ttl"));
        var certificateKey = args.Optional("certificate-key");
        if (certificateKey is not null && !CertificateKeyPattern().IsMatch(certificateKey))
            throw new NodeStepFailure("--certificate-key is not a certificate key (64 hex digits)");
        var cluster = RequireAdmin(context);

        var updated = UpdateCluster(context, c => c with
        {
            Tokens = [.. c.Tokens.Where(t => t.Token.Split('.')[0] != token.Split('.')[0]), new BootstrapToken(token, DateTimeOffset.UtcNow + ttl)],
            CertificateKey = certificateKey ?? c.CertificateKey,
            CertificatesUploadedAt = certificateKey is null ? c.CertificatesUploadedAt : DateTimeOffset.UtcNow,
        });
        var lines = new List<string>();
        if (MinorOf(cluster.Version) < 19)
            lines.Add($"W{DateTime.UtcNow:MMdd HH:mm:ss.ffffff}   22914 configset.go:202] WARNING: kubeadm cannot validate component configs for API groups [kubelet.config.k8s.io kubeproxy.config.k8s.io]");
        if (certificateKey is not null)
        {
            lines.Add("[upload-certs] Storing the certificates in Secret \"kubeadm-certs\" in the \"kube-system\" Namespace");
            lines.Add("[upload-certs] Using certificate key:");
            lines.Add(certificateKey);
        }
        lines.Add($"kubeadm join {cluster.Endpoint} --token {token} --discovery-token-ca-cert-hash {updated.DiscoveryHash} "
            + (certificateKey is null ? "" : $"--control-plane --certificate-key {certificateKey}"));
        await context.WorkAsync(lines);
        return 0;
    }

    /// <summary>A Go duration as kubeadm takes it ("2h0m0s", "30m", "24h").</summary>
    private static TimeSpan ParseDuration(string text)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text, @"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$");
        if (text.Length == 0 || !match.Success)
            throw new NodeStepFailure($"invalid argument \"{text}\" for \"--ttl\" flag: time: invalid duration \"{text}\"", 1, verbatim: true);
        int Part(int i) => match.Groups[i].Success ? int.Parse(match.Groups[i].Value, CultureInfo.InvariantCulture) : 0;
        return new TimeSpan(Part(1), Part(2), Part(3));
    }
}
