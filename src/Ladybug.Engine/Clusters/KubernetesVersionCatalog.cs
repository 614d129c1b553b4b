using System.Text.RegularExpressions;

namespace Ladybug.Engine.Clusters;

public enum ContainerRuntime
{
    /// <summary>Docker Engine through kubelet's built-in dockershim (removed in 1.24).</summary>
    Docker,
    /// <summary>containerd with SystemdCgroup = true.</summary>
    Containerd,
}

public enum BinarySource
{
    /// <summary>kubeadm/kubelet/kubectl from dl.k8s.io release binaries plus the kubelet unit (the legacy apt repos are gone).</summary>
    ReleaseBinaries,
    /// <summary>pkgs.k8s.io community apt repository, which serves 1.24 and later only.</summary>
    PkgsK8sIo,
}

/// <summary>Everything that differs between Kubernetes minors, in one place.</summary>
/// <param name="CriToolsVersion">crictl release installed next to release binaries (pkgs.k8s.io pulls cri-tools itself).</param>
/// <param name="CniPluginsVersion">containernetworking/plugins release installed next to release binaries (pkgs.k8s.io pulls kubernetes-cni itself).</param>
/// <param name="PauseVersion">Sandbox (pause) image tag kubeadm of that minor expects; containerd is told to use the same.</param>
/// <param name="CanalVersion">Calico release whose canal.yaml is applied (git tag of projectcalico/calico).</param>
/// <param name="KiloVersion">Kilo release whose manifests and image are applied (git tag of squat/kilo).</param>
public sealed record KubernetesMinor(
    string Minor,
    int LatestPatch,
    ContainerRuntime Runtime,
    string KubeadmApiVersion,
    BinarySource Binaries,
    string UbuntuRelease,
    string CriToolsVersion,
    string CniPluginsVersion,
    string PauseVersion,
    string CanalVersion,
    string KiloVersion,
    bool Legacy)
{
    /// <summary>Every image kubeadm pulls comes from here; k8s.gcr.io (1.18's default) is frozen.</summary>
    public const string ImageRepository = "registry.k8s.io";

    public IEnumerable<string> Versions =>
        Enumerable.Range(0, LatestPatch + 1).Reverse().Select(p => $"{Minor}.{p}");

    public string LatestVersion => $"{Minor}.{LatestPatch}";

    /// <summary>Minor as a number (1.23 → 23) for "from this minor on" rules.</summary>
    public int MinorNumber => int.Parse(Minor.AsSpan(Minor.IndexOf('.') + 1), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Where kubeadm and kubelet reach the runtime: dockershim for Docker, the CRI socket for containerd.</summary>
    public string CriSocket => Runtime == ContainerRuntime.Docker
        ? "/var/run/dockershim.sock"
        : "unix:///run/containerd/containerd.sock";

    public string PauseImage => $"{ImageRepository}/pause:{PauseVersion}";

    /// <summary>The pkgs.k8s.io apt repository of this minor (only meaningful for <see cref="BinarySource.PkgsK8sIo"/>).</summary>
    public string PackageRepositoryUrl => $"https://pkgs.k8s.io/core:/stable:/v{Minor}/deb/";

    /// <summary>Canal's upstream manifest, applied after its pod CIDR is patched (never embedded: it is ~350 kB).</summary>
    public string CanalManifestUrl => $"https://raw.githubusercontent.com/projectcalico/calico/{CanalVersion}/manifests/canal.yaml";

    public string KiloCrdsUrl => $"https://raw.githubusercontent.com/squat/kilo/{KiloVersion}/manifests/crds.yaml";

    /// <summary>Kilo as the CNI on kubeadm: pod subnets come from each node's podCIDR, i.e. kubeadm's podSubnet.</summary>
    public string KiloManifestUrl => $"https://raw.githubusercontent.com/squat/kilo/{KiloVersion}/manifests/kilo-kubeadm.yaml";

    public string KiloImage => $"docker.io/squat/kilo:{KiloVersion}";

    /// <summary>kubectl drain renamed --delete-local-data to --delete-emptydir-data in 1.20.</summary>
    public string DrainDeleteDataFlag => MinorNumber < 20 ? "--delete-local-data" : "--delete-emptydir-data";
}

/// <summary>
/// The Kubernetes versions Ladybug installs. 1.18 and 1.23 are what cb-mcks offered; the
/// rest are the current minors. This is data: add a row when a minor ships.
/// </summary>
public static partial class KubernetesVersionCatalog
{
    public static IReadOnlyList<KubernetesMinor> Minors { get; } =
    [
        new("1.34", 2, ContainerRuntime.Containerd, "kubeadm.k8s.io/v1beta4", BinarySource.PkgsK8sIo, "24.04", "v1.34.0", "v1.7.1", "3.10.1", "v3.30.3", "0.6.0", Legacy: false),
        new("1.33", 5, ContainerRuntime.Containerd, "kubeadm.k8s.io/v1beta4", BinarySource.PkgsK8sIo, "24.04", "v1.33.0", "v1.6.2", "3.10", "v3.30.3", "0.6.0", Legacy: false),
        new("1.32", 9, ContainerRuntime.Containerd, "kubeadm.k8s.io/v1beta4", BinarySource.PkgsK8sIo, "22.04", "v1.32.0", "v1.6.2", "3.10", "v3.29.4", "0.6.0", Legacy: false),
        new("1.23", 17, ContainerRuntime.Containerd, "kubeadm.k8s.io/v1beta3", BinarySource.ReleaseBinaries, "20.04", "v1.23.0", "v1.1.1", "3.6", "v3.22.5", "0.5.0", Legacy: true),
        new("1.18", 20, ContainerRuntime.Docker, "kubeadm.k8s.io/v1beta2", BinarySource.ReleaseBinaries, "18.04", "v1.18.0", "v0.8.7", "3.2", "v3.20.0", "0.3.1", Legacy: true),
    ];

    /// <summary>What a new cluster gets when nobody chooses.</summary>
    public static string DefaultVersion => Minors[0].LatestVersion;

    /// <summary>cb-mcks's API default, kept for request bodies that omit the version.</summary>
    public const string McksDefaultVersion = "1.23.13";

    /// <summary>Accepts "1.23.13", "v1.23.13" and cb-mcks's apt form "1.23.13-00"; nothing looser (no "-rc.1", "+1" or "013").</summary>
    public static bool TryFind(string? version, out KubernetesMinor minor, out string normalized)
    {
        minor = null!;
        normalized = Normalize(version);
        var match = VersionPattern().Match((version ?? "").Trim());
        if (!match.Success || !int.TryParse(match.Groups["patch"].ValueSpan, out var patch))
            return false;
        var found = Minors.FirstOrDefault(m => m.Minor == match.Groups["minor"].Value);
        if (found is null || patch > found.LatestPatch)
            return false;
        minor = found;
        return true;
    }

    /// <summary>"v1.23.13" and "1.23.13-00" become "1.23.13"; text that is not a version comes back trimmed.</summary>
    public static string Normalize(string? version)
    {
        var v = (version ?? "").Trim();
        var match = VersionPattern().Match(v);
        return match.Success ? $"{match.Groups["minor"].Value}.{match.Groups["patch"].Value}" : v;
    }

    [GeneratedRegex(@"^v?(?<minor>(0|[1-9][0-9]*)\.(0|[1-9][0-9]*))\.(?<patch>0|[1-9][0-9]{0,5})(-[0-9]+)?$")]
    private static partial Regex VersionPattern();
}
