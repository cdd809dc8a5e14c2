using MudBlazor;

namespace NodiRef.Admin.Components.Shared;

/// <summary>Turns a MudDataGrid's state into the services' paging and sorting.</summary>
public static class GridPaging
{
    /// <param name="sortFields">Column property name -> the service's sort field.</param>
    public static (int PageIndex, int PageSize, SortSpec? Sort) From<T>(GridState<T> state, IReadOnlyDictionary<string, string> sortFields)
    {
        var sort = state.SortDefinitions.FirstOrDefault();
        SortSpec? spec = sort is not null && sortFields.TryGetValue(sort.SortBy, out var field)
            ? new SortSpec(field, sort.Descending)
            : null;
        return (state.Page, state.PageSize, spec);
    }
}

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
