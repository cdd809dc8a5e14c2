namespace NodiRef.Admin.Api;

/// <summary>
/// A list route, written once: the query is parsed against the route's spec (unknown names, paging and
/// sorting: 400), the route reads its filters into the service's query (their errors: one 400), the
/// service answers a page, and the page becomes the API's list envelope (or the service's problem).
/// </summary>
public static class ApiLists
{
    public static Task<IResult> HandleAsync<TQuery, TRow, TDto>(
        HttpContext http, ListSpec spec,
        Func<ListQuery, Validation, TQuery> filters,
        Func<TQuery, CancellationToken, Task<Result<Page<TRow>>>> list,
        Func<TRow, TDto> map, CancellationToken ct)
        where TQuery : PageRequest =>
        HandleAsync(http, spec, filters, list, (_, rows, _) => Task.FromResult<IReadOnlyList<TDto>>(rows.Select(map).ToList()), ct);

    /// <summary>With a mapping that needs the query (includes) or more reads (embedded rows).</summary>
    public static async Task<IResult> HandleAsync<TQuery, TRow, TDto>(
        HttpContext http, ListSpec spec,
        Func<ListQuery, Validation, TQuery> filters,
        Func<TQuery, CancellationToken, Task<Result<Page<TRow>>>> list,
        Func<ListQuery, IReadOnlyList<TRow>, CancellationToken, Task<IReadOnlyList<TDto>>> map, CancellationToken ct)
        where TQuery : PageRequest
    {
        var parsed = ListQuery.Parse(http.Request.Query, spec);
        if (!parsed.Succeeded)
        {
            return ApiResponses.Refused(parsed);
        }

        var query = parsed.Value!;
        var v = new Validation();
        var request = filters(query, v);
        if (!v.IsValid)
        {
            return ApiResponses.ValidationProblem(v.Errors, "A filter is not valid.");
        }

        var result = await list(query.Apply(request), ct);
        return result.Succeeded
            ? ApiResponses.List(await map(query, result.Value!.Items, ct), query, result.Value.Total)
            : ApiResponses.Problem(result);
    }
}
