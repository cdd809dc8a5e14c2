using System.Globalization;

namespace NodiRef.Admin.Api;

/// <summary>
/// What a list route accepts: its filters (as the API names them), and its sort fields and includes by their
/// domain names (entity and DTO properties), which the API takes in snake_case (<see cref="ApiNames"/>).
/// </summary>
public sealed record ListSpec(string[] Filters, string[] Sorts, string[] Includes)
{
    public IEnumerable<string> SortNames => Sorts.Select(ApiNames.Of);

    public IEnumerable<string> IncludeNames => Includes.Select(ApiNames.Of);
}

/// <summary>
/// A list request in the original API's conventions: <c>filter[field]=value</c>,
/// <c>page[number]</c>/<c>page[size]</c> or <c>page</c>/<c>item_per_page</c>, <c>sort=field</c> or
/// <c>sort=-field</c>, <c>include=a,b</c>. Unknown names are errors, never silently ignored.
/// </summary>
public sealed record ListQuery(int Page, int PageSize, IReadOnlyDictionary<string, string> Filters, SortSpec? Sort, IReadOnlySet<string> Includes)
{
    public const int DefaultPageSize = 10;
    public const int MaxPageSize = 100;

    /// <summary>The last page a list serves: 100 million rows in at most, far past any real list, and never an offset that overflows.</summary>
    public const int MaxPageNumber = 1_000_000;

    public string? Filter(string name) => Filters.GetValueOrDefault(name);

    /// <summary>Whether the request asked for an include, by its domain name (<c>nameof(PartnerDto.Projects)</c>).</summary>
    public bool Has(string include) => Includes.Contains(include);

    public T Apply<T>(T request)
        where T : PageRequest => request with { PageIndex = Page - 1, PageSize = PageSize, Sort = Sort };

    /// <summary>Parses the query string; errors name the offending parameter.</summary>
    public static Result<ListQuery> Parse(IQueryCollection query, ListSpec spec)
    {
        var errors = new Validation();
        var filters = new Dictionary<string, string>(StringComparer.Ordinal);
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
                else
                {
                    filters[field] = value;
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

        return errors.IsValid
            ? Result<ListQuery>.Ok(new ListQuery(page ?? 1, size ?? DefaultPageSize, filters, sort, includes))
            : errors.ToResult<ListQuery>();
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
