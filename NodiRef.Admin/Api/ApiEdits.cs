using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace NodiRef.Admin.Api;

/// <summary>
/// The write routes' shared steps, written once: the version the client expects (<c>If-Match</c> or the
/// body's <c>version</c>), the current row a PATCH merges into, and the answer.
/// </summary>
/// <summary>A body that may name the version its change expects (<c>{"version": 3}</c>), instead of an <c>If-Match</c> header.</summary>
public interface IVersionedRequest
{
    long? Version { get; }
}

public static class ApiEdits
{
    /// <summary>
    /// A PATCH: fields left out keep the current row's values, so <paramref name="update"/> gets the current
    /// row to merge with and the version to hold it to (the client's, else the one just read).
    /// </summary>
    public static Task<Results<Ok<ApiOne<TDto>>, ProblemHttpResult>> PatchAsync<TRow, TDto>(
        HttpContext http, long? bodyVersion,
        Func<CancellationToken, Task<Result<TRow>>> current,
        Func<TRow, long, CancellationToken, Task<Result<TRow>>> update,
        Func<TRow, TDto> map, Func<TRow, long> version, CancellationToken ct) =>
        ChangeAsync(http, bodyVersion, async (expected, ct) =>
        {
            var now = await current(ct);
            return now.Succeeded ? await update(now.Value!, expected ?? version(now.Value!), ct) : now;
        }, map, ct);

    /// <summary>A change held to the version the client expects, when it says one (review, ledger moves): the row as changed.</summary>
    public static async Task<Results<Ok<ApiOne<TDto>>, ProblemHttpResult>> ChangeAsync<TRow, TDto>(
        HttpContext http, long? bodyVersion, Func<long?, CancellationToken, Task<Result<TRow>>> change, Func<TRow, TDto> map, CancellationToken ct)
    {
        if (!TryExpectedVersion(http, bodyVersion, out var expected, out var refused))
        {
            return refused;
        }

        return ApiResponses.One(await change(expected, ct), map);
    }

    /// <summary>
    /// Maps a POST that changes one row (a review, a ledger move), held to the version the client expects:
    /// <c>If-Match</c>, else the body's <c>version</c>. The answer is the row as changed; a retry with the same
    /// <c>Idempotency-Key</c> gets it again.
    /// </summary>
    public static RouteHandlerBuilder MapChange<TService, TId, TBody, TRow, TDto>(
        this IEndpointRouteBuilder group, string pattern, string name, string summary,
        Func<TService, TId, TBody, long?, CancellationToken, Task<Result<TRow>>> change, Func<TRow, TDto> map)
        where TService : notnull
        where TBody : IVersionedRequest =>
        group.MapPost(pattern, ([FromRoute] TId id, TBody body, HttpContext http, [FromServices] TService service, CancellationToken ct) =>
                ChangeAsync(http, body.Version, (version, c) => change(service, id, body, version, c), map, ct))
            .WithName(name).WithSummary(summary).WithIdempotencyKey().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

    /// <summary>A DELETE, held to the version in <c>If-Match</c> when there is one: 204, or the service's problem.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync<T>(HttpContext http, Func<long?, CancellationToken, Task<Result<T>>> delete, CancellationToken ct)
    {
        if (!TryExpectedVersion(http, null, out var expected, out var refused))
        {
            return refused;
        }

        return ApiResponses.NoContent(await delete(expected, ct));
    }

    /// <summary>The version a change expects: from <c>If-Match</c> (an ETag this API returned), else the body's <c>version</c>.</summary>
    private static bool TryExpectedVersion(HttpContext http, long? bodyVersion, out long? expected, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out ProblemHttpResult? refused)
    {
        refused = null;
        expected = bodyVersion;
        string? ifMatch = http.Request.Headers.IfMatch;
        if (string.IsNullOrWhiteSpace(ifMatch) || ifMatch == "*")
        {
            return true;
        }

        var raw = ifMatch.Trim();
        if (raw.StartsWith("W/", StringComparison.Ordinal))
        {
            raw = raw[2..];
        }

        if (long.TryParse(raw.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            expected = version;
            return true;
        }

        refused = ApiResponses.ValidationProblem(new Dictionary<string, string> { ["If-Match"] = "If-Match must be an ETag this API returned, e.g. W/\"3\"." });
        return false;
    }
}
