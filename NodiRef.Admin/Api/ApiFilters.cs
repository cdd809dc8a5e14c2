using System.Globalization;
using NodiRef.Admin.Features.Common;

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
}
