namespace Ladybug.Sandbox.Catalog;

/// <summary>
/// What apt-get finds on a VM of each Ubuntu release with its stock sources (upstream-artifacts.json "ubuntuArchive",
/// each row with its evidence): the packages Ladybug's scripts install, and the versions apt's index holds of them.
/// </summary>
public sealed record UbuntuArchive(string About, IReadOnlyList<UbuntuRelease> Releases)
{
    public UbuntuRelease? Release(string codename) => Releases.FirstOrDefault(r => r.Codename == codename);

    /// <summary>The codename of a release number ("24.04" → "noble"), or null for a release the data does not hold.</summary>
    public string? Codename(string release) => Releases.FirstOrDefault(r => r.Release == release)?.Codename;
}

/// <summary>One Ubuntu release's packages; a row named "base" lists several package names without versions.</summary>
public sealed record UbuntuRelease(string Release, string Codename, IReadOnlyList<ArchivePackage> Packages)
{
    /// <summary>
    /// What <c>apt-get install SPEC</c> selects for SPEC = <c>name</c>, <c>name=version</c> or <c>name=prefix*</c>, or
    /// apt's error for a name or version its index does not have. Messages and matching as apt 2.7.14 (noble's apt):
    /// apt-pkg/cacheset.cc:734 "Unable to locate package %s", :840 "Version '%s' for '%s' was not found";
    /// apt-pkg/versionmatch.cc:47-51 (a trailing '*' makes a prefix match) and :137-154 (MatchVer).
    /// </summary>
    public AptSelection Select(string spec)
    {
        var equals = spec.IndexOf('=');
        var name = equals < 0 ? spec : spec[..equals];
        var package = Packages.FirstOrDefault(p => p.Name == name && p.Names is null);
        var known = package is not null || Packages.Any(p => p.Names?.Contains(name) == true);
        if (!known)
            return new AptSelection(name, null, $"E: Unable to locate package {name}");
        var versions = package?.Versions ?? [];
        if (equals < 0)
            return new AptSelection(name, versions.Count > 0 ? versions[^1] : null, null);

        var wanted = spec[(equals + 1)..];
        var match = wanted.EndsWith('*')
            ? versions.LastOrDefault(v => v.StartsWith(wanted[..^1], StringComparison.OrdinalIgnoreCase))
            : versions.FirstOrDefault(v => string.Equals(v, wanted, StringComparison.OrdinalIgnoreCase));
        return match is null
            ? new AptSelection(name, null, $"E: Version '{wanted}' for '{name}' was not found")
            : new AptSelection(name, match, null);
    }
}

/// <param name="Versions">Oldest first; the last one is the candidate of an unpinned install. Null: exists, versions unchecked.</param>
/// <param name="Names">For the "base" row: package names that exist, no version of them checked.</param>
public sealed record ArchivePackage(string Name, IReadOnlyList<string>? Versions, IReadOnlyList<string>? Names, string Evidence);

/// <summary>apt's choice for one install argument: the version it installs (null when not recorded), or its error line.</summary>
public sealed record AptSelection(string Package, string? Version, string? Error);
