using System.Globalization;

namespace Ladybug.Web.Components.Shared;

/// <summary>
/// The part of the world map in view: a centre and a zoom over the equirectangular world (x = lon + 180, y = 90 − lat,
/// latitudes 84°N to 58°S: the asset omits Antarctica). The view never leaves the world, so panning stops at its edges.
/// The browser's wheel, drag and pinch (js/nodemap.js) apply the same bounds.
/// </summary>
public readonly record struct MapViewport(double CenterX, double CenterY, double Zoom)
{
    public const double WorldX = 0, WorldY = 6, WorldWidth = 360, WorldHeight = 142;
    public const double MaxZoom = 12;

    public static MapViewport World => new(WorldX + WorldWidth / 2, WorldY + WorldHeight / 2, 1);

    public double Width => WorldWidth / Zoom;

    public double Height => WorldHeight / Zoom;

    public double Left => CenterX - Width / 2;

    public double Top => CenterY - Height / 2;

    public string ViewBox => string.Join(' ', new[] { Left, Top, Width, Height }.Select(v => v.ToString("0.###", CultureInfo.InvariantCulture)));

    public bool IsWorld => Zoom <= 1;

    /// <summary>Zoom by a factor, keeping the centre where possible; the result is clamped to 1..<see cref="MaxZoom"/>.</summary>
    public MapViewport ZoomBy(double factor) => At(CenterX, CenterY, Zoom * factor);

    /// <summary>A view centred on a point at a zoom, moved just enough to stay inside the world.</summary>
    public static MapViewport At(double centerX, double centerY, double zoom)
    {
        zoom = Math.Clamp(double.IsFinite(zoom) ? zoom : 1, 1, MaxZoom);
        var (halfWidth, halfHeight) = (WorldWidth / zoom / 2, WorldHeight / zoom / 2);
        return new MapViewport(
            Math.Clamp(double.IsFinite(centerX) ? centerX : WorldX + WorldWidth / 2, WorldX + halfWidth, WorldX + WorldWidth - halfWidth),
            Math.Clamp(double.IsFinite(centerY) ? centerY : WorldY + WorldHeight / 2, WorldY + halfHeight, WorldY + WorldHeight - halfHeight),
            zoom);
    }

    /// <summary>Where a map point falls in the view, as fractions of its width and height (0..1 inside).</summary>
    public (double X, double Y) Fraction(double x, double y) => ((x - Left) / Width, (y - Top) / Height);
}
