using Ladybug.Sandbox.Catalog;
using System.Globalization;
using Ladybug.Sandbox.Simulator.Network;

namespace Ladybug.Sandbox.Simulator.Kubernetes;

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
