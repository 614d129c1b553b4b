using MudBlazor;

namespace Ladybug.Web.Components.Layout;

/// <summary>Ladybug red on neutral surfaces, in light and dark.</summary>
public static class LadybugTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#c62828",
            Secondary = "#37474f",
            AppbarBackground = "#b71c1c",
            Background = "#f7f7f8",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#ef5350",
            Secondary = "#90a4ae",
            AppbarBackground = "#1e1e24",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}
