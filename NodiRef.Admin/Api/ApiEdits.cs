namespace NodiRef.Admin.Api;

/// <summary>
/// The write routes' shared steps, written once: the version the client expects (<c>If-Match</c> or the
/// body's <c>version</c>), the current row a PATCH merges into, and the answer.
/// </summary>
public static class ApiEdits
{
    /// <summary>
    /// A PATCH: fields left out keep the current row's values, so <paramref name="update"/> gets the current
    /// row to merge with and the version to hold it to (the client's, else the one just read).
    /// </summary>
    public static async Task<IResult> PatchAsync<TRow, TDto>(
        HttpContext http, long? bodyVersion,
        Func<CancellationToken, Task<Result<TRow>>> current,
        Func<TRow, long, CancellationToken, Task<Result<TRow>>> update,
        Func<TRow, TDto> map, Func<TRow, long> version, CancellationToken ct)
    {
        var expected = ApiResponses.ExpectedVersion(http, bodyVersion);
        if (!expected.Succeeded)
        {
            return ApiResponses.Refused(expected);
        }

        var now = await current(ct);
        if (!now.Succeeded)
        {
            return ApiResponses.Problem(now);
        }

        var result = await update(now.Value!, expected.Value ?? version(now.Value!), ct);
        return result.Succeeded ? ApiResponses.One(map(result.Value!), http, version(result.Value!)) : ApiResponses.Problem(result);
    }

    /// <summary>A DELETE, held to the version in <c>If-Match</c> when there is one: 204, or the service's problem.</summary>
    public static async Task<IResult> DeleteAsync<T>(HttpContext http, Func<long?, CancellationToken, Task<Result<T>>> delete, CancellationToken ct)
    {
        var expected = ApiResponses.ExpectedVersion(http, null);
        if (!expected.Succeeded)
        {
            return ApiResponses.Refused(expected);
        }

        var result = await delete(expected.Value, ct);
        return result.Succeeded ? TypedResults.NoContent() : ApiResponses.Problem(result);
    }
}
