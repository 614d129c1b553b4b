using System.Text.RegularExpressions;

namespace Ladybug.Engine.Domain;

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

/// <summary>The Canal manifest a minor applies: a rendered upstream manifest at a fixed URL, pinned by its sha256.</summary>
/// <param name="Version">Calico release the manifest was rendered from.</param>
public sealed record CanalManifest(string Version, string ManifestUrl, string Sha256, string Source);

/// <summary>Where kubeadm must be told to take CoreDNS from, for the patches whose built-in default is not the repository used.</summary>
public sealed record CoreDnsRepository(string Repository, int UntilPatch, string Source);

/// <summary>Everything that differs between Kubernetes minors, in one place (a row of kubernetes-versions.json).</summary>
/// <param name="LatestPatch">Newest patch known to the data; for an end-of-life minor its final release.</param>
/// <param name="CriToolsVersion">crictl release installed next to release binaries (pkgs.k8s.io pulls cri-tools itself).</param>
/// <param name="CniPluginsVersion">containernetworking/plugins release installed next to release binaries (pkgs.k8s.io pulls kubernetes-cni itself).</param>
/// <param name="PauseVersion">Sandbox (pause) image tag kubeadm of that minor expects; containerd is told to use the same.</param>
/// <param name="KiloVersion">Kilo release whose manifests and image are applied (git tag of squat/kilo).</param>
/// <param name="RuntimePackage">apt install argument of the runtime from the Ubuntu archive of <paramref name="UbuntuRelease"/> ("containerd", "docker.io", or name=version).</param>
public sealed record KubernetesMinor(
    string Minor,
    int LatestPatch,
    string LatestPatchReleased,
    bool EndOfLife,
    string Source,
    ContainerRuntime Runtime,
    string KubeadmApiVersion,
    BinarySource Binaries,
    string UbuntuRelease,
    string? CriToolsVersion,
    string? CniPluginsVersion,
    string PauseVersion,
    CanalManifest Canal,
    string KiloVersion,
    CoreDnsRepository? CoreDnsRepository,
    bool Legacy,
    string RuntimePackage)
{
    /// <summary>The runtime's package name without a version pin ("containerd=2.2.1-…" → "containerd").</summary>
    public string RuntimePackageName => RuntimePackage.Split('=')[0];

    /// <summary>Every image kubeadm pulls comes from here; k8s.gcr.io (1.18's default) is frozen.</summary>
    public const string ImageRepository = "registry.k8s.io";

    /// <summary>The patches known to the data, newest first (newer ones of a supported minor are accepted too).</summary>
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

    public string KiloCrdsUrl => $"https://raw.githubusercontent.com/squat/kilo/{KiloVersion}/manifests/crds.yaml";

    /// <summary>Kilo as the CNI on kubeadm: pod subnets come from each node's podCIDR, i.e. kubeadm's podSubnet.</summary>
    public string KiloManifestUrl => $"https://raw.githubusercontent.com/squat/kilo/{KiloVersion}/manifests/kilo-kubeadm.yaml";

    public string KiloImage => $"docker.io/squat/kilo:{KiloVersion}";

    /// <summary>kubectl drain renamed --delete-local-data to --delete-emptydir-data in 1.20.</summary>
    public string DrainDeleteDataFlag => MinorNumber < 20 ? "--delete-local-data" : "--delete-emptydir-data";

    /// <summary>kubeadm v1.20 graduated "kubeadm alpha certs" to "kubeadm certs" (kubernetes CHANGELOG/CHANGELOG-1.20.md); v1.21 removed the alpha one.</summary>
    public string KubeadmCertsCommand => MinorNumber < 20 ? "alpha certs" : "certs";

    /// <summary>The ClusterConfiguration's dns.imageRepository for that patch, or null when kubeadm's own choice exists.</summary>
    public string? DnsImageRepository(string version)
    {
        var patch = int.Parse(version.AsSpan(version.LastIndexOf('.') + 1), System.Globalization.CultureInfo.InvariantCulture);
        return CoreDnsRepository is { } dns && patch <= dns.UntilPatch ? dns.Repository : null;
    }
}

/// <summary>
/// The Kubernetes versions Ladybug installs, read from kubernetes-versions.json (each row with its date and source).
/// 1.18 and 1.23 are what cb-mcks offered; the rest are the minors upstream supports. This is data: add a row when a
/// minor ships. Patch policy (also in the file): a supported minor accepts patches newer than the data knows, because
/// pkgs.k8s.io decides whether they exist; an end-of-life minor is capped at its final patch.
/// </summary>
public static partial class KubernetesVersionCatalog
{
    private const string ResourceName = "Ladybug.Engine.Domain.kubernetes-versions.json";

    public static IReadOnlyList<KubernetesMinor> Minors { get; } = Load();

    /// <summary>
    /// What a new cluster gets when nobody chooses: the one default of the wizard, the REST API and so the CLI.
    /// The API once defaulted to cb-mcks's 1.23.13 for bodies that omit the version; no test or script replay depends on
    /// it (cb-mcks's docs/test scripts omit the version but assert nothing of it), so one default serves all.
    /// </summary>
    public static string DefaultVersion => Minors[0].LatestVersion;

    /// <summary>
    /// Accepts "1.23.13", "v1.23.13" and cb-mcks's apt form "1.23.13-00"; nothing looser (no "-rc.1", "+1" or "013").
    /// A minor alone ("1.18", "v1.18") means the newest patch of it this catalog knows.
    /// </summary>
    public static bool TryFind(string? version, out KubernetesMinor minor, out string normalized)
    {
        minor = null!;
        normalized = Normalize(version);
        if (FindMinorOnly(version) is { } newest)
        {
            minor = newest;
            return true;
        }
        var match = VersionPattern().Match((version ?? "").Trim());
        if (!match.Success || !int.TryParse(match.Groups["patch"].ValueSpan, out var patch))
            return false;
        var found = Minors.FirstOrDefault(m => m.Minor == match.Groups["minor"].Value);
        if (found is null || (found.EndOfLife && patch > found.LatestPatch))
            return false;
        minor = found;
        return true;
    }

    /// <summary>"v1.23.13" and "1.23.13-00" become "1.23.13", a known minor "1.18" its newest patch; text that is not a version comes back trimmed.</summary>
    public static string Normalize(string? version)
    {
        if (FindMinorOnly(version) is { } newest) return newest.LatestVersion;
        var v = (version ?? "").Trim();
        var match = VersionPattern().Match(v);
        return match.Success ? $"{match.Groups["minor"].Value}.{match.Groups["patch"].Value}" : v;
    }

    private sealed record Document(IReadOnlyList<KubernetesMinor> Minors);

    private static IReadOnlyList<KubernetesMinor> Load()
    {
        using var stream = typeof(KubernetesVersionCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded.");
        var options = new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase };
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        var minors = System.Text.Json.JsonSerializer.Deserialize<Document>(stream, options)?.Minors;
        return minors is { Count: > 0 } ? minors : throw new InvalidOperationException($"{ResourceName} lists no minors.");
    }

    private static KubernetesMinor? FindMinorOnly(string? version)
    {
        var match = MinorPattern().Match((version ?? "").Trim());
        return match.Success ? Minors.FirstOrDefault(m => m.Minor == match.Groups["minor"].Value) : null;
    }

    [GeneratedRegex(@"^v?(?<minor>(0|[1-9][0-9]*)\.(0|[1-9][0-9]*))\.(?<patch>0|[1-9][0-9]{0,5})(-[0-9]+)?$")]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"^v?(?<minor>(0|[1-9][0-9]*)\.(0|[1-9][0-9]*))$")]
    private static partial Regex MinorPattern();
}
