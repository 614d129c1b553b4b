using System.Globalization;
using System.Text.Json;

namespace Ladybug.Sandbox.Catalog;

/// <summary>A manifest the sandbox serves: a real rendered one, or what upstream really has at that URL (e.g. a Jekyll stub).</summary>
public sealed record ManifestArtifact(string Url, string Kind, long SizeBytes, string? Sha256, string Evidence)
{
    /// <summary>A Calico Jekyll page: <c>{% helm %}</c> front matter, no YAML kubectl could apply and no flannel "Network".</summary>
    public bool IsJekyllStub => Kind == "jekyll-stub";
}

/// <summary>One kubeadm minor's compiled-in images and default repository (per patch).</summary>
public sealed record KubeadmImages(string Minor, string? CoreDns, string? Pause, string? Etcd, IReadOnlyList<RepositoryFromPatch> DefaultRepository, string Evidence)
{
    public string DefaultRepositoryAt(int patch) => DefaultRepository.Where(r => r.FromPatch <= patch).MaxBy(r => r.FromPatch)!.Repository;
}

public sealed record RepositoryFromPatch(int FromPatch, string Repository);

public sealed record PackageRepository(string Minor, string Patches, IReadOnlyList<string> Packages, string Evidence)
{
    public string Url => $"https://pkgs.k8s.io/core:/stable:/v{Minor}/deb/";
    public bool HasPatch(int patch) => UpstreamArtifacts.InRange(Patches, patch);
}

/// <summary>
/// The upstream artifacts that really exist (upstream-artifacts.json, each row with its evidence). The node simulator
/// asks it before it lets a download, an apt install or an image pull succeed: whatever is not listed fails the way
/// curl, apt or kubeadm fail on a missing artifact.
/// </summary>
public sealed class UpstreamArtifacts
{
    private const string ResourceName = "Ladybug.Sandbox.Catalog.upstream-artifacts.json";

    private readonly Dictionary<string, ManifestArtifact> _manifests;
    private readonly HashSet<string> _downloads;
    private readonly Dictionary<string, HashSet<string>> _imageTags;

    public static UpstreamArtifacts Instance { get; } = Load();

    private UpstreamArtifacts(Document document)
    {
        Data = document;
        _manifests = document.Manifests.ToDictionary(m => m.Url, StringComparer.Ordinal);
        _downloads = new HashSet<string>(document.Downloads.Select(d => d.Url), StringComparer.Ordinal);
        _imageTags = document.Images.ToDictionary(i => i.Repository, i => new HashSet<string>(i.Tags, StringComparer.Ordinal), StringComparer.Ordinal);
    }

    internal Document Data { get; }

    public IReadOnlyList<PackageRepository> PackageRepositories => Data.PackageRepositories;

    /// <summary>The Ubuntu archive as apt sees it on each release: the packages the scripts install and their versions.</summary>
    public UbuntuArchive UbuntuArchive => Data.UbuntuArchive;

    public ManifestArtifact? Manifest(string url) => _manifests.GetValueOrDefault(url);

    public KubeadmImages? Kubeadm(string minor) => Data.Kubeadm.FirstOrDefault(k => k.Minor == minor);

    public PackageRepository? PackageRepositoryAt(string url) => Data.PackageRepositories.FirstOrDefault(r => r.Url == url);

    /// <summary>Whether a plain https download (release binary, tarball, manifest) answers 200.</summary>
    public bool Exists(string url) => _downloads.Contains(url) || _manifests.ContainsKey(url) || IsReleaseBinary(url);

    /// <summary>kube-apiserver, kube-proxy, … exist for exactly the released versions; the others by their recorded tags.</summary>
    public bool ImageExists(string image)
    {
        var colon = image.LastIndexOf(':');
        if (colon < 0) return false;
        var repository = image[..colon];
        var tag = image[(colon + 1)..];
        if (repository.StartsWith("registry.k8s.io/kube-", StringComparison.Ordinal) && tag.StartsWith('v'))
            return IsReleased(tag[1..]);
        return _imageTags.TryGetValue(repository, out var tags) && tags.Contains(tag);
    }

    /// <summary>Whether the repository path exists at all (a tag not recorded for it is then unknown, not missing).</summary>
    public bool ImageRepositoryExists(string repository) => _imageTags.ContainsKey(repository);

    /// <summary>A Kubernetes version that was released: as release binaries or as a pkgs.k8s.io package.</summary>
    public bool IsReleased(string version)
    {
        var (minor, patch) = Split(version);
        return Data.ReleaseBinaries.Any(r => r.Minor == minor && InRange(r.Patches, patch))
            || Data.PackageRepositories.Any(r => r.Minor == minor && r.HasPatch(patch));
    }

    private bool IsReleaseBinary(string url)
    {
        const string prefix = "https://dl.k8s.io/release/v";
        if (!url.StartsWith(prefix, StringComparison.Ordinal)) return false;
        var parts = url[prefix.Length..].Split('/');
        if (parts is not [var version, "bin", "linux", "amd64", var file]) return false;
        if (file is not ("kubeadm" or "kubelet" or "kubectl" or "kubeadm.sha256" or "kubelet.sha256" or "kubectl.sha256")) return false;
        var (minor, patch) = Split(version);
        return patch >= 0 && Data.ReleaseBinaries.Any(r => r.Minor == minor && InRange(r.Patches, patch));
    }

    internal static (string Minor, int Patch) Split(string version)
    {
        var dot = version.LastIndexOf('.');
        return dot > 0 && int.TryParse(version.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var patch)
            ? (version[..dot], patch)
            : (version, -1);
    }

    /// <summary>"0-20" → 0 ≤ patch ≤ 20.</summary>
    internal static bool InRange(string range, int patch)
    {
        var bounds = range.Split('-');
        return patch >= int.Parse(bounds[0], CultureInfo.InvariantCulture) && patch <= int.Parse(bounds[^1], CultureInfo.InvariantCulture);
    }

    private static UpstreamArtifacts Load()
    {
        using var stream = typeof(UpstreamArtifacts).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded.");
        var document = JsonSerializer.Deserialize<Document>(stream, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase })
            ?? throw new InvalidOperationException($"{ResourceName} is empty.");
        return new UpstreamArtifacts(document);
    }

    internal sealed record Document(
        string CheckedOn,
        IReadOnlyList<ReleaseBinaries> ReleaseBinaries,
        IReadOnlyList<Download> Downloads,
        IReadOnlyList<PackageRepository> PackageRepositories,
        IReadOnlyList<PackageDependency> PackageDependencies,
        IReadOnlyList<ImageTags> Images,
        IReadOnlyList<KubeadmImages> Kubeadm,
        IReadOnlyList<ManifestArtifact> Manifests,
        UbuntuArchive UbuntuArchive);

    internal sealed record ReleaseBinaries(string Minor, string Patches, string Evidence);

    internal sealed record Download(string Url, string Evidence);

    internal sealed record PackageDependency(string Package, string DependsOn, string Constraint, string Evidence);

    internal sealed record ImageTags(string Repository, IReadOnlyList<string> Tags, string Evidence);

    internal IReadOnlyList<PackageDependency> PackageDependencies => Data.PackageDependencies;
}
