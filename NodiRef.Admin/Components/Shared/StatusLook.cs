using MudBlazor;

namespace NodiRef.Admin.Components.Shared;

/// <summary>How a <see cref="StatusChip"/> looks: its colour, icon, hover text and (text or outlined) variant.</summary>
public sealed record StatusLook(Color Color, string? Icon = null, string? Title = null, Variant Variant = Variant.Text)
{
    public static readonly StatusLook Plain = new(Color.Default);
}
