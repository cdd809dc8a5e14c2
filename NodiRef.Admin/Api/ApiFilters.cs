using System.Globalization;

namespace NodiRef.Admin.Api;

public static class ApiFilters
{
    /// <summary>An integer filter value, or an error on <c>filter[name]</c>.</summary>
    public static int? Int(ListQuery query, string name, Validation errors)
    {
        if (query.Filter(name) is not { } raw)
        {
            return null;
        }

        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }

        errors.Add($"filter[{name}]", $"filter[{name}] must be a positive whole number.");
        return null;
    }

    /// <summary>An enum filter value written as in the API ("active"), or an error on <c>filter[name]</c>.</summary>
    public static T? Enum<T>(ListQuery query, string name, Validation errors)
        where T : struct, System.Enum
    {
        if (query.Filter(name) is not { } raw)
        {
            return null;
        }

        if (ApiEnum.TryParse<T>(raw, out var value))
        {
            return value;
        }

        errors.Add($"filter[{name}]", $"filter[{name}] must be one of: {string.Join(", ", System.Enum.GetValues<T>().Select(ApiEnum.Name))}.");
        return null;
    }

    /// <summary>A day filter value (YYYY-MM-DD, UTC), or an error on <c>filter[name]</c>.</summary>
    public static DateOnly? Date(ListQuery query, string name, Validation errors)
    {
        if (query.Filter(name) is not { } raw)
        {
            return null;
        }

        if (DateOnly.TryParseExact(raw.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        errors.Add($"filter[{name}]", $"filter[{name}] must be a date written YYYY-MM-DD (UTC day).");
        return null;
    }

    /// <summary>The filters every event list shares: partner, project, status and a date range.</summary>
    public static readonly string[] EventFilters = ["partner_id", "project_id", "status", "date_from", "date_to"];

    /// <summary>Reads the shared event filters; the range must not end before it starts.</summary>
    public static (int? PartnerId, int? ProjectId, TStatus? Status, DateOnly? From, DateOnly? To) Events<TStatus>(ListQuery query, Validation errors)
        where TStatus : struct, System.Enum
    {
        var result = (Int(query, "partner_id", errors), Int(query, "project_id", errors), Enum<TStatus>(query, "status", errors), Date(query, "date_from", errors), Date(query, "date_to", errors));
        errors.Check(result.Item4 is null || result.Item5 is null || result.Item5 >= result.Item4, "filter[date_to]", "filter[date_to] must be on or after filter[date_from].");
        return result;
    }
}
