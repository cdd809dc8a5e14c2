using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Mvc;

namespace NodiRef.Admin.Api;

/// <summary>
/// What a list route accepts, read once from its filters record (<see cref="IListFilters{TQuery}"/>): the
/// filters as the API names them, and the sort fields and includes by their domain names, which the API takes
/// in snake_case (<see cref="ApiNames"/>).
/// </summary>
public sealed record ListSpec(string[] Filters, string[] Sorts, string[] Includes)
{
    private static readonly ConcurrentDictionary<Type, ListSpec> Specs = new();

    private (string Name, PropertyInfo Property)[] _values = [];

    public IEnumerable<string> SortNames => Sorts.Select(ApiNames.Of);

    public IEnumerable<string> IncludeNames => Includes.Select(ApiNames.Of);

    /// <summary>What a GET of one row accepts: the includes of its list, no filters or sorts.</summary>
    public ListSpec IncludesOnly => this with { Filters = [], Sorts = [], _values = [] };

    public static ListSpec Of<TFilters>() => Of(typeof(TFilters));

    public static ListSpec Of(Type filters) => Specs.GetOrAdd(filters, Read);

    /// <summary>Adds an error for each filter whose value did not read (<see cref="Filter{T}"/>), named as sent.</summary>
    public void CheckValues(object filters, Validation errors)
    {
        foreach (var (name, property) in _values)
        {
            if (property.GetValue(filters) is IFilterValue { Problem: { } problem })
            {
                errors.Add(name, $"{name} {problem}.");
            }
        }
    }

    private static ListSpec Read(Type type)
    {
        var filters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Name: p.GetCustomAttribute<FromQueryAttribute>()?.Name ?? "", Property: p))
            .ToArray();
        if (filters.FirstOrDefault(f => !f.Name.StartsWith(FilterStart, StringComparison.Ordinal) || !f.Name.EndsWith(']')) is { Property: { } odd })
        {
            throw new InvalidOperationException($"{type.Name}.{odd.Name} is not a filter: a filters record holds [FromQuery(Name = \"filter[...]\")] properties only.");
        }

        return new ListSpec(
            filters.Select(f => f.Name[FilterStart.Length..^1]).ToArray(),
            type.GetCustomAttribute<ListSortsAttribute>()?.Fields ?? [],
            type.GetCustomAttribute<ListIncludesAttribute>()?.Relations ?? [])
        {
            _values = filters.Where(f => typeof(IFilterValue).IsAssignableFrom(Nullable.GetUnderlyingType(f.Property.PropertyType) ?? f.Property.PropertyType)).ToArray(),
        };
    }

    private const string FilterStart = "filter[";
}

/// <summary>
/// A list request in the original API's conventions: <c>filter[field]=value</c>,
/// <c>page[number]</c>/<c>page[size]</c> or <c>page</c>/<c>item_per_page</c>, <c>sort=field</c> or
/// <c>sort=-field</c>, <c>include=a,b</c>. Unknown names are errors, never silently ignored.
/// </summary>
public sealed record ListQuery(int Page, int PageSize, SortSpec? Sort, IReadOnlySet<string> Includes)
{
    public const int DefaultPageSize = 10;
    public const int MaxPageSize = 100;

    /// <summary>The last page a list serves: 100 million rows in at most, far past any real list, and never an offset that overflows.</summary>
    public const int MaxPageNumber = 1_000_000;

    /// <summary>Whether the request asked for an include, by its domain name (<c>nameof(PartnerDto.Projects)</c>).</summary>
    public bool Has(string include) => Includes.Contains(include);

    public T Apply<T>(T request)
        where T : PageRequest => request with { PageIndex = Page - 1, PageSize = PageSize, Sort = Sort };

    /// <summary>
    /// Reads the query string against <paramref name="spec"/>: every name must be one the route takes (the filters'
    /// values are bound to the route's filters record). Null, with errors naming the offending parameters, if not.
    /// </summary>
    public static ListQuery? Parse(IQueryCollection query, ListSpec spec, Validation errors)
    {
        int? page = null;
        int? size = null;
        SortSpec? sort = null;
        var includes = new HashSet<string>(StringComparer.Ordinal);

        foreach (var (key, values) in query)
        {
            var value = values.ToString();
            if (key.StartsWith("filter[", StringComparison.Ordinal) && key.EndsWith(']'))
            {
                var field = key["filter[".Length..^1];
                if (!spec.Filters.Contains(field))
                {
                    errors.Add(key, spec.Filters.Length == 0
                        ? $"Unknown filter \"{field}\": this route takes no filters."
                        : $"Unknown filter \"{field}\". Filters: {List(spec.Filters)}.");
                }

                continue;
            }

            switch (key)
            {
                case "page[number]" or "page":
                    page = ParsePositive(errors, key, value, MaxPageNumber);
                    break;
                case "page[size]" or "item_per_page":
                    size = ParsePositive(errors, key, value, MaxPageSize);
                    break;
                case "sort":
                    sort = ParseSort(errors, value, spec);
                    break;
                case "include":
                    foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (ApiNames.Find(spec.Includes, part) is { } include)
                        {
                            includes.Add(include);
                        }
                        else
                        {
                            errors.Add("include", spec.Includes.Length == 0
                                ? $"Unknown include \"{part}\": this resource has no relations to include."
                                : $"Unknown include \"{part}\". Includes: {List(spec.IncludeNames)}.");
                        }
                    }

                    break;
                default:
                    errors.Add(key, $"Unknown query parameter \"{key}\". Use filter[field], page[number], page[size], page, item_per_page, sort and include.");
                    break;
            }
        }

        return errors.IsValid ? new ListQuery(page ?? 1, size ?? DefaultPageSize, sort, includes) : null;
    }

    private static int? ParsePositive(Validation errors, string key, string value, int max)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= max)
        {
            return n;
        }

        errors.Add(key, $"{key} must be a whole number from 1 to {max.ToString("N0", CultureInfo.InvariantCulture)}.");
        return null;
    }

    private static SortSpec? ParseSort(Validation errors, string value, ListSpec spec)
    {
        var field = value.Trim();
        var descending = field.StartsWith('-');
        if (descending)
        {
            field = field[1..];
        }

        if (field.Contains(','))
        {
            errors.Add("sort", "Sort by one field: sort=field or sort=-field.");
            return null;
        }

        if (ApiNames.Find(spec.Sorts, field) is not { } sortField)
        {
            errors.Add("sort", $"Unknown sort field \"{field}\". Sort fields: {List(spec.SortNames)}.");
            return null;
        }

        return new SortSpec(sortField, descending);
    }

    private static string List(IEnumerable<string> names) => string.Join(", ", names);
}
