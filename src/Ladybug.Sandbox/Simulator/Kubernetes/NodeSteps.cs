using Ladybug.Sandbox.Catalog;

namespace Ladybug.Sandbox.Simulator.Kubernetes;

// The steps every VM runs on itself before it joins: prepare, public-ip and (HA workers) haproxy.

/// <summary><c>prepare</c>: container runtime and kubeadm/kubelet/kubectl of the exact version, WireGuard for Kilo.</summary>
internal sealed partial class PrepareStep : KubernetesStep
{
    public override string Name => "prepare";

    protected override async Task<int> RunAsync(NodeStepContext context, StepArguments args)
    {
        var name = NodeName(args);
        var version = Version(args);
        var binaries = args.OneOf("binaries", "release", "pkgs");
        var runtime = args.OneOf("runtime", "docker", "containerd");
        var wireguard = args.OneOf("wireguard", "yes", "no") == "yes";
        if (runtime == "docker" && MinorOf(version) >= 24)
            throw new NodeStepFailure($"Kubernetes {version} has no dockershim: --runtime=docker works up to 1.23 only");
        var runtimePackage = args.Required("runtime-package");
        var runtimeName = runtimePackage.Split('=')[0];
        var pause = runtime == "containerd" ? args.Required("pause-image") : null;
        string[] sources = binaries == "release"
            ? [$"crictl {args.Required("cri-tools-version")}", $"CNI plugins {args.Required("cni-plugins-version")}"]
            : [$"apt repository {args.Matching("package-repository", PackageRepository(), "a pkgs.k8s.io repository URL")}"];
        var existing = NodeState(context);
        if (existing.JoinedAs is not null && existing.Version != version)
            throw new NodeStepFailure($"this node already runs Kubernetes {existing.Version} as a {existing.JoinedAs}; reset it before installing {version}");

        // prepare's first apt-get (the base packages) comes before any download, then the runtime's.
        var aptWait = AptLock.Wait(context, args);
        var archive = ArchiveOf(context);
        await RequireArchivePackagesAsync(context, archive, BasePackages);
        var runtimeVersion = (await RequireArchivePackagesAsync(context, archive, [runtimePackage]))[0].Version;
        if (binaries == "release")
            await RequireReleaseDownloadsAsync(context, args, version, alreadyInstalled: existing.Version == version);
        else
            await RequirePackagesAsync(context, args.Required("package-repository"), version);
        if (wireguard)
            await RequireArchivePackagesAsync(context, archive, ["wireguard"]);

        var codename = archive.Codename;
        List<string> lines =
        [
            Log($"Preparing {name}: Kubernetes {version}, {runtime}, binaries from {binaries}"),
            .. aptWait,
            $"Hit:1 http://archive.ubuntu.com/ubuntu {codename} InRelease",
            $"Get:2 http://archive.ubuntu.com/ubuntu {codename}-updates InRelease [128 kB]",
            $"Get:3 http://security.ubuntu.com/ubuntu {codename}-security InRelease [129 kB]",
            "Fetched 257 kB in 1s (312 kB/s)",
            "Reading package lists...",
            runtimeVersion is null ? $"Setting up {runtimeName} ..." : $"Setting up {runtimeName} ({runtimeVersion}) ...",
            $"Created symlink /etc/systemd/system/multi-user.target.wants/{runtime}.service → /lib/systemd/system/{runtime}.service.",
            pause is null ? Log("docker uses the systemd cgroup driver") : Log($"containerd uses SystemdCgroup and sandbox image {pause}"),
            .. sources.Select(s => Log($"installed {s}")),
            binaries == "release"
                ? Log($"kubeadm, kubelet and kubectl v{version} installed from https://dl.k8s.io/release/v{version}/bin/linux/amd64")
                : $"Setting up kubeadm ({version}-1.1) ...",
            "Created symlink /etc/systemd/system/multi-user.target.wants/kubelet.service → /etc/systemd/system/kubelet.service.",
        ];
        if (wireguard) lines.Add("Setting up wireguard ...");
        lines.Add(Log($"kubeadm v{version}, kubelet v{version} ready on {name}"));
        await context.WorkAsync(lines);

        // prepare ends with apt-mark hold of every --hold (none before the engine passed them).
        var held = args.Optional("hold") is null ? [] : args.List("hold");
        var installed = (runtime == "docker" ? new[] { runtimeName, "containerd", "runc" } : [runtimeName, "runc"])
            .Concat(binaries == "pkgs" ? ["kubelet", "kubeadm", "kubectl"] : []).ToList();
        foreach (var package in held.Where(p => !installed.Contains(p)))
            throw new NodeStepFailure($"E: Unable to locate package {package}", 100, verbatim: true);
        context.Node.Update<VmPackages>(VmPackages.Document, p => p with
        {
            Installed = [.. p.Installed.Union(installed).Order(StringComparer.Ordinal)],
            Held = [.. p.Held.Union(held).Order(StringComparer.Ordinal)],
        });
        context.Node.WriteFile("/etc/hostname", name + "\n");
        UpdateNode(context, s => s with { NodeName = name, Version = version, Runtime = runtime, WireGuard = wireguard });
        return 0;
    }

    /// <summary>prepare.sh's first apt_install, before the runtime: the tools kubeadm's preflight and the kubelet need.</summary>
    private static readonly string[] BasePackages =
        ["apt-transport-https", "ca-certificates", "curl", "gnupg", "conntrack", "socat", "ebtables", "ethtool", "iptables", "ipset"];

    /// <summary>
    /// The Ubuntu archive this VM's apt sees: its release from /etc/os-release (VERSION_CODENAME), else the release the
    /// cloud booted it from. A release the catalog does not hold has no package at all.
    /// </summary>
    private static UbuntuRelease ArchiveOf(NodeStepContext context)
    {
        var archive = UpstreamArtifacts.Instance.UbuntuArchive;
        var codename = context.Node.ReadFile("/etc/os-release")?.Split('\n')
            .FirstOrDefault(l => l.StartsWith("VERSION_CODENAME=", StringComparison.Ordinal))?["VERSION_CODENAME=".Length..]
            ?? archive.Codename(context.Node.Identity.UbuntuRelease) ?? context.Node.Identity.UbuntuRelease;
        return archive.Release(codename) ?? new UbuntuRelease(context.Node.Identity.UbuntuRelease, codename, []);
    }

    /// <summary>
    /// One <c>apt_install A B …</c>: apt resolves every argument before it installs any, reports each one its index lacks
    /// and installs nothing, exit 100 (apt-pkg/cacheset.cc:734, :840 @2.7.14).
    /// </summary>
    private static async Task<IReadOnlyList<AptSelection>> RequireArchivePackagesAsync(NodeStepContext context, UbuntuRelease archive, IEnumerable<string> specs)
    {
        var selections = specs.Select(archive.Select).ToList();
        var errors = selections.Where(s => s.Error is not null).Select(s => s.Error!).ToList();
        if (errors.Count > 0)
            throw await UpstreamFailures.AptAsync(context, string.Join('\n', errors));
        return selections;
    }

    /// <summary>
    /// The URLs prepare.sh's install_release_binaries builds from the same arguments (kubernetes-version,
    /// cri-tools-version, cni-plugins-version; dpkg architecture amd64), in its order; the first missing one fails.
    /// </summary>
    private static async Task RequireReleaseDownloadsAsync(NodeStepContext context, StepArguments args, string version, bool alreadyInstalled)
    {
        var cniPlugins = args.Required("cni-plugins-version");
        var criTools = args.Required("cri-tools-version");
        List<(string Url, string Target)> downloads = [];
        if (!alreadyInstalled)
        {
            foreach (var bin in new[] { "kubeadm", "kubelet", "kubectl" })
            {
                downloads.Add(($"https://dl.k8s.io/release/v{version}/bin/linux/amd64/{bin}", $"/tmp/ladybug-{bin}"));
                downloads.Add(($"https://dl.k8s.io/release/v{version}/bin/linux/amd64/{bin}.sha256", $"/tmp/ladybug-{bin}.sha256"));
            }
        }
        downloads.Add(($"https://github.com/containernetworking/plugins/releases/download/{cniPlugins}/cni-plugins-linux-amd64-{cniPlugins}.tgz", "/tmp/ladybug-cni-plugins.tgz"));
        downloads.Add(($"https://github.com/kubernetes-sigs/cri-tools/releases/download/{criTools}/crictl-{criTools}-linux-amd64.tar.gz", "/tmp/ladybug-crictl.tgz"));
        foreach (var (url, target) in downloads)
        {
            if (!UpstreamArtifacts.Instance.Exists(url))
                throw await UpstreamFailures.DownloadAsync(context, url, target);
        }
    }

    /// <summary>
    /// install_from_pkgs: the repository's Release.key, then apt-get install kubelet/kubeadm/kubectl=VERSION-*. A minor
    /// pkgs.k8s.io does not serve 404s on the key; a patch it does not have, or a missing dependency, fails apt.
    /// </summary>
    private static async Task RequirePackagesAsync(NodeStepContext context, string repositoryUrl, string version)
    {
        var repository = UpstreamArtifacts.Instance.PackageRepositoryAt(repositoryUrl);
        if (repository is null)
            throw await UpstreamFailures.DownloadAsync(context, repositoryUrl + "Release.key", "/tmp/ladybug-kubernetes-release.key");
        var (minor, patch) = UpstreamArtifacts.Split(version);
        if (minor != repository.Minor || !repository.HasPatch(patch))
            throw await UpstreamFailures.AptAsync(context, $"E: Version '{version}-*' for 'kubelet' was not found");
        foreach (var dependency in UpstreamArtifacts.Instance.PackageDependencies.Where(d => repository.Packages.Contains(d.Package) && !repository.Packages.Contains(d.DependsOn)))
        {
            throw await UpstreamFailures.AptAsync(context, string.Join('\n',
                "Some packages could not be installed. This may mean that you have",
                "requested an impossible situation or if you are using the unstable",
                "distribution that some required packages have not yet been created",
                "or been moved out of Incoming.",
                "The following information may help to resolve the situation:",
                "",
                "The following packages have unmet dependencies:",
                $" {dependency.Package} : Depends: {dependency.DependsOn} ({dependency.Constraint}) but it is not installable",
                "E: Unable to correct problems, you have held broken packages."));
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^https://pkgs\.k8s\.io/core:/stable:/v1\.[0-9]{2}/deb/$")]
    private static partial System.Text.RegularExpressions.Regex PackageRepository();
}

/// <summary><c>public-ip</c>: the public IP as a NIC alias and the kubelet's node IP, re-applied on every boot.</summary>
internal sealed partial class PublicIpStep : KubernetesStep
{
    // Linux IFNAMSIZ is 16 with the terminating NUL.
    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9_-]{1,15}$")]
    private static partial System.Text.RegularExpressions.Regex InterfaceName();

    public override string Name => "public-ip";

    protected override async Task<int> RunAsync(NodeStepContext context, StepArguments args)
    {
        var name = NodeName(args);
        var ip = args.Ipv4("public-ip");
        var cni = args.OneOf("cni", "canal", "kilo");
        var state = RequirePrepared(context, "systemctl");
        RequireSameName(state, name);
        var identity = context.Node.Identity;
        if (ip != identity.PublicIp)
            throw new NodeStepFailure($"{ip} is not this VM's public IP (the cloud reports {identity.PublicIp})");

        // Without --address-interface the script puts the alias on the NIC that holds the default route, which networkd
        // manages; with it, on a dummy interface of that name declared Unmanaged=yes to networkd.
        var dummy = args.Optional("address-interface");
        if (dummy is not null && !InterfaceName().IsMatch(dummy))
            throw new NodeStepFailure($"--address-interface={dummy} is not an interface name (at most 15 of [a-z0-9_-])");
        var iface = dummy ?? VmNetwork.Nic;
        var network = VmNetwork.Of(context.Node);
        var line = network.InterfaceWith(ip) is { } holder
            ? Log($"public IP {ip} is already on {holder.Name}")
            : Log($"public IP {ip} added to {iface}{(dummy is null ? "" : " (dummy, unmanaged by systemd-networkd)")} (private address {identity.PrivateIp})");
        if (!network.HasAddress(ip))
            VmNetwork.Update(context.Node, n => n.AddAddress(iface, $"{ip}/32", dummyUnmanaged: dummy is not null));
        await context.WorkAsync(
        [
            $"Created symlink /etc/systemd/system/kubelet.service.wants/ladybug-public-ip.service → /etc/systemd/system/ladybug-public-ip.service.",
            $"Created symlink /etc/systemd/system/multi-user.target.wants/ladybug-node-annotations.service → /etc/systemd/system/ladybug-node-annotations.service.",
            line,
            Log($"KUBELET_EXTRA_ARGS=--node-ip={ip}"),
            Log($"Node {name} registers as {ip} ({cni} annotations re-applied on every boot)"),
        ]);
        context.Node.WriteFile("/etc/default/kubelet", $"KUBELET_EXTRA_ARGS=--node-ip={ip}\n");
        UpdateNode(context, s => s with { PublicIp = ip });
        return 0;
    }
}

/// <summary><c>haproxy</c>: a worker's node-local load balancer over every control plane (HA clusters).</summary>
internal sealed class HaproxyStep : KubernetesStep
{
    public override string Name => "haproxy";

    protected override async Task<int> RunAsync(NodeStepContext context, StepArguments args)
    {
        var host = args.Required("endpoint-host");
        var port = args.Required("port");
        if (port != "6443") throw new NodeStepFailure($"--port={port}: the API servers listen on 6443");
        var backends = args.List("backend");
        foreach (var backend in backends)
        {
            var parts = backend.Split(':');
            if (parts.Length != 2 || parts[1] != port) throw new NodeStepFailure($"--backend={backend} is not <ip>:{port}");
            StepArguments.CheckIpv4("backend", parts[0]);
        }
        RequirePrepared(context, "apt-get");

        var config = string.Join('\n',
        [
            "frontend kube-apiserver",
            $"    bind 127.0.0.1:{port}",
            "    mode tcp",
            "    default_backend control-planes",
            "backend control-planes",
            "    mode tcp",
            "    balance roundrobin",
            .. backends.Select((b, i) => $"    server control-plane-{i + 1} {b} check inter 5s fall 3 rise 2"),
            "",
        ]);
        context.Node.WriteFile("/etc/haproxy/haproxy.cfg", config);
        await context.WorkAsync(
        [
            "Setting up haproxy (2.4.24-0ubuntu0.22.04.1) ...",
            "Created symlink /etc/systemd/system/multi-user.target.wants/haproxy.service → /lib/systemd/system/haproxy.service.",
            "Configuration file is valid",
            MapEndpoint(context, host, "127.0.0.1"),
            Log($"haproxy on 127.0.0.1:{port} balances over {backends.Count} control planes"),
        ]);
        UpdateNode(context, s => s with { HaproxyBackends = [.. backends] });
        return 0;
    }
}
