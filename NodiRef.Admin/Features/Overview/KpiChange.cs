using System.Globalization;

namespace NodiRef.Admin.Features.Overview;

/// <summary>How a figure moved against the previous period: the text shown ("+25 %", "-3.5 pts", "new") and its direction.</summary>
public sealed record KpiChange(string Text, int Direction)
{
    public static KpiChange Of(decimal change, string unit)
    {
        var rounded = decimal.Round(change, 1);
        return rounded == 0
            ? new KpiChange("no change", 0)
            : new KpiChange((rounded > 0 ? "+" : "−") + Math.Abs(rounded).ToString("0.#", CultureInfo.InvariantCulture) + unit, Math.Sign(rounded));
    }
}
