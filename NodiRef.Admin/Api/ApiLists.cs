using Microsoft.AspNetCore.Http.HttpResults;

namespace NodiRef.Admin.Api;

/// <summary>
/// A list route, written once: the query's names are checked against the route's filters record (unknown
/// names, paging and sorting: 400), the filter values bound to it must read (their errors: one 400), the
/// service answers a page, and the page becomes the API's list envelope (or the service's problem).
/// </summary>
public static class ApiLists
{
    public static Task<Results<Ok<ApiList<TDto>>, ProblemHttpResult>> ListAsync<TQuery, TRow, TDto>(
        HttpContext http, IListFilters<TQuery> filters,
        Func<TQuery, CancellationToken, Task<Result<Page<TRow>>>> list,
        Func<TRow, TDto> map, CancellationToken ct)
        where TQuery : PageRequest =>
        ListAsync(http, filters, list, (_, rows, _) => Task.FromResult<IReadOnlyList<TDto>>(rows.Select(map).ToList()), ct);

    /// <summary>With a mapping that needs the query (includes) or more reads (embedded rows).</summary>
    public static async Task<Results<Ok<ApiList<TDto>>, ProblemHttpResult>> ListAsync<TQuery, TRow, TDto>(
        HttpContext http, IListFilters<TQuery> filters,
        Func<TQuery, CancellationToken, Task<Result<Page<TRow>>>> list,
        Func<ListQuery, IReadOnlyList<TRow>, CancellationToken, Task<IReadOnlyList<TDto>>> map, CancellationToken ct)
        where TQuery : PageRequest
    {
        var spec = ListSpec.Of(filters.GetType());
        var errors = new Validation();
        if (ListQuery.Parse(http.Request.Query, spec, errors) is not { } query)
        {
            return ApiResponses.ValidationProblem(errors.Errors);
        }

        spec.CheckValues(filters, errors);
        var request = filters.ToQuery(errors);
        if (!errors.IsValid)
        {
            return ApiResponses.ValidationProblem(errors.Errors, "A filter is not valid.");
        }

        var result = await list(query.Apply(request), ct);
        return result.Succeeded
            ? ApiResponses.List(await map(query, result.Value!.Items, ct), query, result.Value.Total)
            : ApiResponses.Problem(result);
    }

    /// <summary>A GET of one row, whose query may name only includes of the resource (<see cref="ListSpec.IncludesOnly"/>).</summary>
    public static Task<Results<Ok<ApiOne<TDto>>, ProblemHttpResult>> OneAsync<TRow, TDto>(
        HttpContext http, ListSpec spec, Func<CancellationToken, Task<Result<TRow>>> get, Func<TRow, ListQuery, TDto> map, CancellationToken ct) =>
        OneAsync(http, spec, get, (row, query, _) => Task.FromResult(map(row, query)), ct);

    /// <summary>With a mapping that reads more (embedded rows).</summary>
    public static async Task<Results<Ok<ApiOne<TDto>>, ProblemHttpResult>> OneAsync<TRow, TDto>(
        HttpContext http, ListSpec spec, Func<CancellationToken, Task<Result<TRow>>> get, Func<TRow, ListQuery, CancellationToken, Task<TDto>> map, CancellationToken ct)
    {
        var errors = new Validation();
        if (ListQuery.Parse(http.Request.Query, spec.IncludesOnly, errors) is not { } query)
        {
            return ApiResponses.ValidationProblem(errors.Errors);
        }

        var result = await get(ct);
        return result.Succeeded ? ApiResponses.One(await map(result.Value!, query, ct)) : ApiResponses.Problem(result);
    }
}
