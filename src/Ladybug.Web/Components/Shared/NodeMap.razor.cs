using System.Globalization;
using Ladybug.Web.Services;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;

namespace Ladybug.Web.Components.Shared;

public partial class NodeMap
{
    private const int MaxListedItems = 10;
    private const int MaxTooltipItems = 15;
    private const int MaxPopoverEntries = 25;

    private ElementReference _svg;
    private IJSObjectReference? _module;
    private DotNetObjectReference<NodeMap>? _self;
    private MapViewport _view = MapViewport.World;
    private IReadOnlyList<MarkerCluster> _clusters = [];
    private List<MapPoint> _points = [];
    private Dictionary<string, MapRegion> _byKey = [];
    private List<IGrouping<string, MapRegion>> _byCsp = [];
    private IReadOnlyDictionary<string, string> _names = new Dictionary<string, string>();
    /// <summary>Clusters (by their anchor) the person expanded; they fold again when the zoom changes.</summary>
    private readonly HashSet<string> _expanded = [];
    private string? _open;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    // Optional: a page without the cloud catalog (a component test) shows region codes.
    [Inject] private IServiceProvider Services { get; set; } = default!;

    /// <summary>One entry per CSP and region.</summary>
    [Parameter, EditorRequired] public required IReadOnlyList<MapRegion> Regions { get; set; }

    /// <summary>The grouped CSP → region → nodes list beside the map (for reading and accessibility).</summary>
    [Parameter] public bool ShowList { get; set; } = true;

    [Parameter] public string EmptyText { get; set; } = "No nodes yet.";

    private string LandHref => Assets["maps/world-110m.svg"] + "#land";

    private MapRegion? OpenRegion => _open is not null && _byKey.TryGetValue(_open, out var region) && region.HasCoordinates ? region : null;

    private string AriaLabel => Regions.Count == 0
        ? "World map without nodes"
        : $"World map with {Regions.Count} region marker{(Regions.Count == 1 ? "" : "s")} across {_byCsp.Count} cloud provider{(_byCsp.Count == 1 ? "" : "s")}";

    protected override async Task OnParametersSetAsync()
    {
        _byCsp = Regions.GroupBy(r => r.Csp).OrderByDescending(g => g.Sum(r => r.NodeCount)).ThenBy(g => g.Key).ToList();
        _byKey = Regions.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.First());
        _points = Regions.Where(r => r.HasCoordinates)
            .Select(r => new MapPoint(r.Key, r.Longitude!.Value + 180, 90 - r.Latitude!.Value, r.NodeCount)).ToList();
        Regroup();
        if (Regions.Any(r => string.IsNullOrEmpty(r.Location)) && Services.GetService(typeof(RegionNames)) is RegionNames names)
            _names = await names.GetAsync();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        _self = DotNetObjectReference.Create(this);
        try
        {
            // A module path must start with "./" or "/": the fingerprinted asset path alone is a bare specifier.
            _module = await JS.InvokeAsync<IJSObjectReference?>("import", $"./{Assets["js/nodemap.js"]}");
            if (_module is not null)
                await _module.InvokeVoidAsync("attach", _svg, _self, new
                {
                    x = MapViewport.WorldX, y = MapViewport.WorldY, width = MapViewport.WorldWidth, height = MapViewport.WorldHeight, maxZoom = MapViewport.MaxZoom,
                });
        }
        catch (JSException ex)
        {
            (Services.GetService(typeof(ILogger<NodeMap>)) as ILogger)?.LogWarning(ex, "The node map's gestures script did not load");
            // Without the script the map still zooms with its buttons and markers still open; only gestures are lost.
        }
    }

    /// <summary>The browser's wheel, drag or pinch ended on this view.</summary>
    [JSInvokable]
    public Task SetViewAsync(double centerX, double centerY, double zoom) => InvokeAsync(() =>
    {
        SetView(MapViewport.At(centerX, centerY, zoom));
        StateHasChanged();
    });

    private void SetView(MapViewport view)
    {
        if (view.Zoom != _view.Zoom) _expanded.Clear();
        _view = view;
        _open = null;
        Regroup();
    }

    private void Regroup()
    {
        _clusters = MarkerClusters.Group(_points, _view.Zoom);
        _expanded.RemoveWhere(key => !_clusters.Any(c => c.Anchor.Key == key && !c.IsSingle));
    }

    private void Zoom(double factor) => SetView(_view.ZoomBy(factor));

    private void Reset()
    {
        _expanded.Clear();
        SetView(MapViewport.World);
    }

    private void Open(string key) => _open = _open == key ? null : key;

    private void Close() => _open = null;

    /// <summary>
    /// A cluster comes apart where it stands: side by side, each with a line to its true place (two clouds in one city
    /// never separate by zooming). Zooming in also separates neighbouring cities.
    /// </summary>
    private void Expand(MarkerCluster cluster)
    {
        _expanded.Add(cluster.Anchor.Key);
        _open = null;
    }

    private void OnMarkerKey(KeyboardEventArgs e, string key)
    {
        if (e.Key is "Enter" or " ") Open(key);
        else if (e.Key == "Escape") Close();
    }

    private void OnClusterKey(KeyboardEventArgs e, MarkerCluster cluster)
    {
        if (e.Key is "Enter" or " ") Expand(cluster);
    }

    private void OnPopoverKey(KeyboardEventArgs e)
    {
        if (e.Key == "Escape") Close();
    }

    /// <summary>Beside the marker, on the side with more room, so the popover never leaves the map sideways.</summary>
    private string PopoverStyle(MapRegion region)
    {
        var (x, y) = MarkerPlace(region);
        var (fx, fy) = _view.Fraction(x, y);
        fx = Math.Clamp(fx, 0, 1);
        fy = Math.Clamp(fy, 0, 1);
        var horizontal = fx <= 0.5 ? $"left:{Percent(fx)}" : $"right:{Percent(1 - fx)}";
        var vertical = fy <= 0.5 ? $"top:{Percent(fy)}" : $"bottom:{Percent(1 - fy)}";
        return $"{horizontal};{vertical}";
    }

    private (double X, double Y) MarkerPlace(MapRegion region)
    {
        var cluster = _clusters.First(c => c.Members.Any(m => m.Key == region.Key));
        var spread = MarkerClusters.Spread(cluster, _view.Zoom).First(s => s.Point.Key == region.Key);
        return (spread.X, spread.Y);
    }

    /// <summary>The ring of a cluster: each cloud's share of its nodes, as arcs (in percent of the circumference).</summary>
    private static IEnumerable<(string Color, double Start, double Length)> Arcs(IReadOnlyList<MapRegion> members)
    {
        var total = Math.Max(1, members.Sum(m => m.NodeCount));
        var start = 0.0;
        foreach (var csp in members.GroupBy(m => m.Csp).OrderByDescending(g => g.Sum(m => m.NodeCount)).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            var length = 100.0 * csp.Sum(m => m.NodeCount) / total;
            yield return (CspPalette.Color(csp.Key), start, length);
            start += length;
        }
    }

    /// <summary>The region's human name from the cloud ("Japan (Tokyo)"), else its code.</summary>
    private string RegionName(MapRegion region) =>
        !string.IsNullOrEmpty(region.Location) ? region.Location
        : _names.TryGetValue(RegionNames.Key(region.Csp, region.Region), out var name) ? name
        : region.Region;

    /// <summary>How every place names a marker: cloud, region name, region code.</summary>
    private string Title(MapRegion region)
    {
        var name = RegionName(region);
        return $"{CspPalette.DisplayName(region.Csp)} · {name}{(name == region.Region ? "" : $" · {region.Region}")}";
    }

    /// <summary>The marker's accessible name: it includes the count drawn on the marker, as the audit asks.</summary>
    private string Label(MapRegion region) => $"{Title(region)} · {Nodes(region.NodeCount)}";

    private string Tooltip(MapRegion region)
    {
        var head = $"{Title(region)} · {Nodes(region.NodeCount)}" + (region.NotReady > 0 ? $" · {region.NotReady} not Ready" : "");
        var items = region.Items.Take(MaxTooltipItems).ToList();
        if (region.Items.Count > MaxTooltipItems) items.Add($"and {region.Items.Count - MaxTooltipItems} more");
        return items.Count == 0 ? head : head + "\n" + string.Join("\n", items);
    }

    private string ClusterLabel(IReadOnlyList<MapRegion> members) =>
        $"{members.Count} regions, {Nodes(members.Sum(m => m.NodeCount))}: {string.Join("; ", members.Select(Title))}. Press to show them apart.";

    private static string Nodes(int count) => $"{count} node{(count == 1 ? "" : "s")}";

    private static string Count(int count) => count < 1000 ? count.ToString(CultureInfo.InvariantCulture) : $"{count / 1000}k";

    private static string Num(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Percent(double fraction) => (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    public async ValueTask DisposeAsync()
    {
        if (_module is not null)
        {
            try
            {
                await _module.InvokeVoidAsync("detach", _svg);
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone, and the page's listeners with it.
            }
        }
        _self?.Dispose();
    }
}
