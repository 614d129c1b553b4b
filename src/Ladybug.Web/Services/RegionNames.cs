namespace Ladybug.Web.Services;

/// <summary>
/// Human names of cloud regions ("Japan (Tokyo)" for aws ap-northeast-1), as the broker's connection configs give them
/// (Tumblebug's regionDetail.location.display). Nodes carry only the region code; the map names regions with these.
/// </summary>
public sealed class RegionNames(CloudCatalog catalog, TimeProvider time)
{
    /// <summary>Regions and their names change with a broker upgrade, not while the console runs.</summary>
    private static readonly TimeSpan CacheDuration = TimeSpan.FromMinutes(10);

    private readonly Lock _gate = new();
    private (IReadOnlyDictionary<string, string> Names, DateTimeOffset Until)? _cached;

    /// <summary>Names by <see cref="Key"/>; empty while the broker does not answer (the map then shows region codes).</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
            if (_cached is { } cached && time.GetUtcNow() < cached.Until)
                return cached.Names;
        var result = await catalog.ConnectionsAsync(cancellationToken);
        var names = result.Value
            .Where(c => !string.IsNullOrWhiteSpace(c.Location))
            .GroupBy(c => Key(c.Csp, c.Region), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Location, StringComparer.OrdinalIgnoreCase);
        lock (_gate) _cached = (names, time.GetUtcNow() + (result.Ok ? CacheDuration : CloudCatalog.UnreachableRecheck));
        return names;
    }

    public static string Key(string csp, string region) => $"{csp}/{region}";
}
