using System.Globalization;

namespace Ladybug.Web.Services;

/// <summary>
/// Round-trip times between cloud regions from CB-Tumblebug's latency table (<c>assets/cloudlatencymap.csv</c> @v0.13.0,
/// bundled unchanged; see Data/cloudlatencymap.NOTICE.md). Regions are keyed as Tumblebug keys them: "provider-region".
/// </summary>
public sealed class RegionLatency
{
    private readonly Dictionary<string, int> _index;
    private readonly double?[][] _rtt;

    private RegionLatency(Dictionary<string, int> index, double?[][] rtt) => (_index, _rtt) = (index, rtt);

    /// <summary>The bundled table, read once.</summary>
    public static RegionLatency Bundled => LazyBundled.Value;

    private static readonly Lazy<RegionLatency> LazyBundled = new(() =>
    {
        using var stream = typeof(RegionLatency).Assembly.GetManifestResourceStream("Ladybug.Web.cloudlatencymap.csv")
            ?? throw new InvalidOperationException("The latency table is not embedded in Ladybug.Web.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    });

    /// <summary>A square table: a header row of region keys, then one row per region with its key first.</summary>
    public static RegionLatency Parse(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var columns = lines[0].Split(',').Skip(1).Select(k => k.Trim()).ToList();
        var index = columns.Select((key, i) => (key, i)).Where(c => c.key.Length > 0)
            .ToDictionary(c => c.key, c => c.i, StringComparer.OrdinalIgnoreCase);
        var rtt = new double?[columns.Count][];
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            if (!index.TryGetValue(cells[0].Trim(), out var row)) continue;
            rtt[row] = [.. columns.Select((_, i) => i + 1 < cells.Length && double.TryParse(cells[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) ? ms : (double?)null)];
        }
        return new RegionLatency(index, rtt);
    }

    /// <summary>Tumblebug's key of a region: "aws-ap-northeast-2".</summary>
    public static string Key(string csp, string region) => $"{csp.Trim().ToLowerInvariant()}-{region.Trim().ToLowerInvariant()}";

    /// <summary>Milliseconds from one region to the other, or null when the table does not measure that pair.</summary>
    public double? RoundTripMs(string fromCsp, string fromRegion, string toCsp, string toRegion)
    {
        if (!_index.TryGetValue(Key(fromCsp, fromRegion), out var from) || !_index.TryGetValue(Key(toCsp, toRegion), out var to)) return null;
        // Measured each way; either direction answers when the other is missing.
        return _rtt[from]?[to] ?? _rtt[to]?[from];
    }
}
