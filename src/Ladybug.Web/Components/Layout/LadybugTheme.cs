using MudBlazor;

namespace Ladybug.Web.Components.Layout;

/// <summary>
/// Ladybug red stays the brand (the app bar), but each other colour means one thing: red is an error, blue is focus,
/// selection and the primary action, green is done. A red primary made a focused field look like a wrong one.
/// </summary>
public static class LadybugTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1565c0",
            Secondary = "#37474f",
            Error = "#c62828",
            Success = "#2e7d32",
            // MudBlazor's orange gives white text 2.2:1; this one reads (4.6:1) on chips and buttons alike.
            Warning = "#b45309",
            Info = "#0277bd",
            AppbarBackground = "#b71c1c",
            Background = "#f7f7f8",
            // MudBlazor's 54 % black gives 4.48:1 on the background, just under WCAG AA's 4.5:1.
            TextSecondary = "rgba(0,0,0,0.62)",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#90caf9",
            PrimaryContrastText = "#0d1b2a",
            Secondary = "#90a4ae",
            // Lighter than the light theme's: 4.5:1 or more on dark surfaces, with dark text on filled chips and buttons.
            Error = "#f28b82",
            ErrorContrastText = "rgba(0,0,0,0.87)",
            Success = "#66bb6a",
            SuccessContrastText = "rgba(0,0,0,0.87)",
            Warning = "#ffa726",
            WarningContrastText = "rgba(0,0,0,0.87)",
            TextSecondary = "rgba(255,255,255,0.64)",
            AppbarBackground = "#1e1e24",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}
