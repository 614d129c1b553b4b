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
public sealed record KubernetesMinor(
    string Minor,
    int LatestPatch,
    ContainerRuntime Runtime,
    string KubeadmApiVersion,
    BinarySource Binaries,
    string UbuntuRelease,
    string CriToolsVersion,
    string CanalVersion,
    string FlannelVersion,
    string KiloVersion,
    bool Legacy)
{
    public IEnumerable<string> Versions =>
        Enumerable.Range(0, LatestPatch + 1).Reverse().Select(p => $"{Minor}.{p}");

    public string LatestVersion => $"{Minor}.{LatestPatch}";
}

/// <summary>
/// The Kubernetes versions Ladybug installs. 1.18 and 1.23 are what cb-mcks offered; the
/// rest are the current minors. This is data: add a row when a minor ships.
/// </summary>
public static partial class KubernetesVersionCatalog
{
    public static IReadOnlyList<KubernetesMinor> Minors { get; } =
    [
        new("1.34", 2, ContainerRuntime.Containerd, "kubeadm.k8s.io/v1beta4", BinarySource.PkgsK8sIo, "24.04", "v1.34.0", "v3.30.3", "v0.27.3", "0.6.0", Legacy: false),
        new("1.33", 5, ContainerRuntime.Containerd, "kubeadm.k8s.io/v1beta4", BinarySource.PkgsK8sIo, "24.04", "v1.33.0", "v3.30.3", "v0.27.3", "0.6.0", Legacy: false),
        new("1.32", 9, ContainerRuntime.Containerd, "kubeadm.k8s.io/v1beta4", BinarySource.PkgsK8sIo, "22.04", "v1.32.0", "v3.29.4", "v0.26.7", "0.6.0", Legacy: false),
        new("1.23", 17, ContainerRuntime.Containerd, "kubeadm.k8s.io/v1beta3", BinarySource.ReleaseBinaries, "20.04", "v1.23.0", "v3.22.5", "v0.17.0", "0.5.0", Legacy: true),
        new("1.18", 20, ContainerRuntime.Docker, "kubeadm.k8s.io/v1beta2", BinarySource.ReleaseBinaries, "18.04", "v1.18.0", "v3.20.0", "v0.14.0", "0.3.1", Legacy: true),
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
