using MudBlazor;

namespace NodiRef.Admin.Components.Layout;

public static class AppTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3949ab",
            Secondary = "#00897b",
            AppbarBackground = "#283593",
            Background = "#f5f6fa",

            // Darker status colours than Material's defaults, for 4.5:1 contrast as text (WCAG AA).
            Success = "#1b5e20",
            Warning = "#b45309",
            Error = "#c62828",
            Info = "#0b5cad",
            TextSecondary = "rgba(0,0,0,0.62)",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8c9eff",
            PrimaryContrastText = "#1a1a27",
            Secondary = "#4db6ac",
            Success = "#3ddc97",
            Error = "#ff8a80",
            Info = "#7cc0ff",
            Warning = "#ffb74d",
            WarningContrastText = "#1a1a27",
            TextSecondary = "rgba(255,255,255,0.72)",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
            },
        },
    };
}
