namespace NodiRef.Admin.Components.Shared;

/// <summary>How the dashboard writes dates, money and percentages: the same for every viewer.</summary>
public static class Display
{
    /// <summary>Dates are stored in UTC and shown as such, the same for every viewer.</summary>
    public static string DateTime(DateTime utc) =>
        utc.ToString("d MMM yyyy, HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " UTC";

    public static string Date(DateTime utc) =>
        utc.ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>An amount with as many decimals as its currency pays (more only when it has them), and the code: "1,234.50 EUR", "-5.00 USD".</summary>
    public static string Money(decimal amount, string currency)
    {
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        var exact = amount.ToString("0.####", culture);
        var decimals = Math.Max(Domain.Currency.MinorUnitsOf(currency), exact.Contains('.', StringComparison.Ordinal) ? exact.Length - exact.IndexOf('.', StringComparison.Ordinal) - 1 : 0);
        return amount.ToString("N" + decimals, culture) + " " + currency;
    }

    /// <summary>A percentage as typed: "10 %", "2.5 %".</summary>
    public static string Percent(decimal value) =>
        value.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture) + " %";
}
