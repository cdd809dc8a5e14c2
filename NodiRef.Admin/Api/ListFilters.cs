using System.Globalization;
using Microsoft.AspNetCore.Mvc;

namespace NodiRef.Admin.Api;

/// <summary>
/// The part of a list query that is the route's own, bound with <c>[AsParameters]</c>: one property per filter,
/// named <c>filter[...]</c> by <see cref="FromQueryAttribute"/>, and the sort fields and includes as
/// <see cref="ListSortsAttribute"/> and <see cref="ListIncludesAttribute"/>. The route's <see cref="ListSpec"/>
/// (what is accepted, what is an unknown name) and its OpenAPI description are read from it.
/// </summary>
public interface IListFilters<out TQuery>
    where TQuery : PageRequest
{
    /// <summary>The service's query. A value that could not be read (<see cref="Filter{T}"/>) is reported before this is called.</summary>
    TQuery ToQuery(Validation errors);
}

/// <summary>The fields a list sorts by, by their domain names (the service's sort fields).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ListSortsAttribute(params string[] fields) : Attribute
{
    public string[] Fields { get; } = fields;
}

/// <summary>The relations a resource embeds on request, by the names of its DTO's properties.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ListIncludesAttribute(params string[] relations) : Attribute
{
    public string[] Relations { get; } = relations;
}

/// <summary>
/// A typed filter value. Binding never fails on it: a value that does not read keeps the reason, and the list
/// answers 400 naming the filter (as <c>filter[project_id] must be a positive whole number.</c>), like its other errors.
/// </summary>
public readonly record struct Filter<T>(T? Value, string? Problem) : IFilterValue
    where T : struct
{
    public static bool TryParse(string? text, out Filter<T> filter)
    {
        filter = Parse(text ?? "");
        return true;
    }

    private static Filter<T> Parse(string text)
    {
        if (typeof(T) == typeof(int))
        {
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? new((T)(object)n, null)
                : new(null, "must be a positive whole number");
        }

        if (typeof(T) == typeof(DateOnly))
        {
            return DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                ? new((T)(object)day, null)
                : new(null, "must be a date written YYYY-MM-DD (UTC day)");
        }

        if (typeof(T) == typeof(bool))
        {
            bool? flag = text switch { "true" or "1" => true, "false" or "0" => false, _ => null };
            return flag is { } b ? new((T)(object)b, null) : new(null, "must be true or false");
        }

        if (typeof(T).IsEnum)
        {
            return ApiEnum.TryParse(typeof(T), text, out var value)
                ? new((T)value, null)
                : new(null, $"must be one of: {string.Join(", ", Enum.GetValues(typeof(T)).Cast<Enum>().Select(ApiEnum.Name))}");
        }

        throw new NotSupportedException($"A filter of {typeof(T).Name} is not read by Filter<T>.");
    }
}

/// <summary>A <see cref="Filter{T}"/> of any type, for the check that reports the ones that did not read (<see cref="ListSpec.CheckValues"/>).</summary>
public interface IFilterValue
{
    string? Problem { get; }
}

/// <summary>The filters every event list shares (clicks, referrals, conversions, rewards): partner, project, status and a UTC day range.</summary>
[ListSorts(nameof(ITimestamped.CreatedAt))]
public abstract record EventFilters<TStatus>
    where TStatus : struct, Enum
{
    [FromQuery(Name = "filter[partner_id]")] public Filter<int>? PartnerId { get; init; }

    [FromQuery(Name = "filter[project_id]")] public Filter<int>? ProjectId { get; init; }

    [FromQuery(Name = "filter[status]")] public Filter<TStatus>? Status { get; init; }

    [FromQuery(Name = "filter[date_from]")] public Filter<DateOnly>? DateFrom { get; init; }

    [FromQuery(Name = "filter[date_to]")] public Filter<DateOnly>? DateTo { get; init; }

    /// <summary>The service's query from the shared filters (project, partner, status, from, to); the range must not end before it starts.</summary>
    protected TQuery Read<TQuery>(Validation errors, Func<int?, int?, TStatus?, DateOnly?, DateOnly?, TQuery> query)
    {
        errors.Check(DateFrom?.Value is not { } from || DateTo?.Value is not { } to || to >= from, "filter[date_to]", "filter[date_to] must be on or after filter[date_from].");
        return query(ProjectId?.Value, PartnerId?.Value, Status?.Value, DateFrom?.Value, DateTo?.Value);
    }
}
