using System.Globalization;
using Ladybug.Web.Services;
using Microsoft.AspNetCore.Components;

namespace Ladybug.Web.Components.Shared;

public partial class NodeMap
{
    /// <summary>Equirectangular map of latitudes 84°N to 58°S (the asset omits Antarctica): x = lon + 180, y = 90 − lat.</summary>
    private const string ViewBox = "0 6 360 142";
    private const int MaxListedItems = 10;
    private const int MaxTooltipItems = 15;
    /// <summary>Space left between two markers' circles (in degrees), so none hides another.</summary>
    private const double MarkerGap = 0.6;
    /// <summary>MudBlazor's default error red: a region with a node that is not Ready.</summary>
    private const string NotReadyColor = "#f44336";

    private List<Marker> _markers = [];
    private List<IGrouping<string, MapRegion>> _byCsp = [];

    private sealed record Marker(MapRegion Region, double X, double Y, double Radius);

    /// <summary>One entry per CSP and region.</summary>
    [Parameter, EditorRequired] public required IReadOnlyList<MapRegion> Regions { get; set; }

    /// <summary>The grouped CSP → region → nodes list beside the map (for reading and accessibility).</summary>
    [Parameter] public bool ShowList { get; set; } = true;

    [Parameter] public string EmptyText { get; set; } = "No nodes yet.";

    private string LandHref => Assets["maps/world-110m.svg"] + "#land";

    private string AriaLabel => Regions.Count == 0
        ? "World map without nodes"
        : $"World map with {Regions.Count} region marker{(Regions.Count == 1 ? "" : "s")} across {_byCsp.Count} cloud provider{(_byCsp.Count == 1 ? "" : "s")}";

    protected override void OnParametersSet()
    {
        _byCsp = Regions.GroupBy(r => r.Csp).OrderByDescending(g => g.Sum(r => r.NodeCount)).ThenBy(g => g.Key).ToList();
        var placed = Regions.Where(r => r.HasCoordinates)
            .Select(r => new Marker(r, r.Longitude!.Value + 180, 90 - r.Latitude!.Value, Radius(r.NodeCount)))
            .OrderByDescending(m => m.Radius).ToList();
        _markers = FanOut(placed);
    }

    private static double Radius(int count) => Math.Min(10, 3 + 1.5 * Math.Log2(Math.Max(1, count)));

    /// <summary>
    /// Different clouds often share a city, and neighbouring cities sit closer than two markers are wide: markers whose
    /// circles would touch are grouped and spread evenly on a circle around their middle, just far enough apart.
    /// </summary>
    private static List<Marker> FanOut(List<Marker> markers)
    {
        var groups = new List<List<Marker>>();
        foreach (var marker in markers)
        {
            var touching = groups.Where(g => g.Any(m => Touch(m, marker))).ToList();
            var group = touching.FirstOrDefault() ?? [];
            if (touching.Count == 0) groups.Add(group);
            // A marker touching two groups joins them into one.
            foreach (var other in touching.Skip(1))
            {
                group.AddRange(other);
                groups.Remove(other);
            }
            group.Add(marker);
        }
        var result = new List<Marker>(markers.Count);
        foreach (var group in groups)
        {
            if (group.Count == 1)
            {
                result.Add(group[0]);
                continue;
            }
            var (x, y) = (group.Average(m => m.X), group.Average(m => m.Y));
            // Neighbours on the circle are 2·spread·sin(π/n) apart: at least one widest marker's diameter plus the gap.
            var spread = (group.Max(m => m.Radius) + MarkerGap / 2) / Math.Sin(Math.PI / group.Count);
            for (var i = 0; i < group.Count; i++)
            {
                var angle = 2 * Math.PI * i / group.Count - Math.PI / 2;
                result.Add(group[i] with { X = x + spread * Math.Cos(angle), Y = y + spread * Math.Sin(angle) });
            }
        }
        return result;
    }

    private static bool Touch(Marker a, Marker b) => Math.Sqrt(Math.Pow(a.X - b.X, 2) + Math.Pow(a.Y - b.Y, 2)) < a.Radius + b.Radius + MarkerGap;

    private static string Tooltip(MapRegion region)
    {
        var head = $"{CspPalette.DisplayName(region.Csp)} · {region.Region}{(string.IsNullOrEmpty(region.Location) ? "" : $" ({region.Location})")} · {Nodes(region.NodeCount)}"
            + (region.NotReady > 0 ? $" · {region.NotReady} not Ready" : "");
        var items = region.Items.Take(MaxTooltipItems).ToList();
        if (region.Items.Count > MaxTooltipItems) items.Add($"and {region.Items.Count - MaxTooltipItems} more");
        return items.Count == 0 ? head : head + "\n" + string.Join("\n", items);
    }

    private static string Nodes(int count) => $"{count} node{(count == 1 ? "" : "s")}";

    private static string Count(int count) => count < 1000 ? count.ToString(CultureInfo.InvariantCulture) : $"{count / 1000}k";

    private static string Num(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
