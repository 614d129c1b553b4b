namespace Ladybug.Engine.Infrastructure;

/// <summary>
/// The root-disk types each cloud accepts, as CB-Spider (under Tumblebug) lists them: the <c>rootdisktype</c> and
/// <c>rootdisksize</c> lines of cb-tumblebug assets/spider/cloudos_meta.yaml:15,27,37,48-50,63-64,75-76,94-95,105-106,127-128
/// @v0.13.0. A CSP with no <c>rootdisktype</c> line there (OpenStack) takes only the cloud's default. Spellings are
/// compared exactly, as the cloud APIs do ("gp3", not "GP3"); a case-only slip is pointed out.
/// </summary>
public static class RootDiskTypes
{
    public const string Default = "default";

    /// <summary>A root-disk type and the sizes (GB) the cloud allows for it, when cloudos_meta.yaml gives them.</summary>
    public sealed record DiskType(string Name, int? MinGb = null, int? MaxGb = null);

    private static readonly Dictionary<string, DiskType[]> ByCsp = new(StringComparer.OrdinalIgnoreCase)
    {
        ["aws"] = [new("standard"), new("gp2"), new("gp3")],
        ["azure"] = [new("PremiumSSD"), new("StandardSSD"), new("StandardHDD")],
        ["gcp"] = [new("pd-standard"), new("pd-balanced"), new("pd-ssd"), new("pd-extreme")],
        ["alibaba"] = [new("cloud_essd", 20, 32768), new("cloud_efficiency", 20, 32768), new("cloud", 5, 2000), new("cloud_ssd", 20, 32768)],
        ["tencent"] = [new("CLOUD_PREMIUM", 50, 16000), new("CLOUD_SSD", 50, 16000)],
        ["ibm"] = [new("general-purpose", 100, 250), new("sdp", 100, 250)],
        ["ncp"] = [new("HDD", 10, 2000)],
        ["nhn"] = [new("General_HDD", 20, 1000), new("General_SSD", 20, 1000)],
        ["kt"] = [new("HDD", 50, 100), new("SSD", 50, 100)],
    };

    /// <summary>Every type some cloud accepts: what a request can name before its connection's cloud is known.</summary>
    public static IReadOnlySet<string> Known { get; } = ByCsp.Values.SelectMany(t => t).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);

    public static bool IsDefault(string? type) => string.IsNullOrWhiteSpace(type) || type.Trim() == Default;

    public static IReadOnlyList<DiskType> Of(string csp) => ByCsp.GetValueOrDefault(csp) ?? [];

    /// <summary>Why <paramref name="type"/> is no root-disk type of any cloud, or null when some cloud has it.</summary>
    public static string? UnknownProblem(string type)
    {
        if (IsDefault(type) || Known.Contains(type.Trim())) return null;
        var trimmed = type.Trim();
        var sameLetters = Known.FirstOrDefault(k => k.Equals(trimmed, StringComparison.OrdinalIgnoreCase));
        if (sameLetters is not null) return $"Root disk type '{trimmed}' is spelled '{sameLetters}' by the cloud.";
        var near = Near(trimmed, [Default, .. Known]);
        return $"Root disk type '{trimmed}' is not one any cloud offers{(near is null ? "" : $" — did you mean '{near}'?")} Use \"default\" or a type of the connection's cloud (e.g. gp3, pd-balanced, PremiumSSD).";
    }

    /// <summary>Why the connection's cloud refuses <paramref name="type"/> (and <paramref name="sizeGb"/> with it), or null.</summary>
    public static string? ProblemOn(string csp, string connection, string type, int? sizeGb)
    {
        if (IsDefault(type)) return null;
        var offered = Of(csp);
        var trimmed = type.Trim();
        if (offered.Count == 0)
            return $"Connection '{connection}' ({csp}) takes only the cloud's default root disk type: use \"default\" (got '{trimmed}').";
        var match = offered.FirstOrDefault(t => t.Name == trimmed);
        if (match is null)
            return $"Root disk type '{trimmed}' is not offered by {csp} (connection '{connection}'): use \"default\" or one of {string.Join(", ", offered.Select(t => t.Name))}.";
        if (sizeGb is { } size && (size < match.MinGb || size > match.MaxGb))
            return $"A {match.Name} root disk on {csp} is {match.MinGb} to {match.MaxGb} GB (got {size}).";
        return null;
    }

    /// <summary>The candidate within two edits of <paramref name="word"/> (typos like "defalut"), if any.</summary>
    private static string? Near(string word, IEnumerable<string> candidates) =>
        candidates.Select(c => (Candidate: c, Distance: Distance(word.ToLowerInvariant(), c.ToLowerInvariant())))
            .Where(x => x.Distance <= 2).OrderBy(x => x.Distance).Select(x => x.Candidate).FirstOrDefault();

    /// <summary>Optimal string alignment distance: a swap of neighbours ("al" → "la") is one edit.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
