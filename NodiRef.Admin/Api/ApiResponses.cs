using Microsoft.AspNetCore.Http.HttpResults;

namespace NodiRef.Admin.Api;

/// <summary>The envelope of the original API: <c>{"success": true, "data": ...}</c>.</summary>
public sealed record ApiOne<T>(bool Success, T Data) : IApiOne
{
    object? IApiOne.Data => Data;
}

public sealed record ApiListMeta(int Page, int PageSize, int Total);

public sealed record ApiList<T>(bool Success, IReadOnlyList<T> Data, ApiListMeta Meta);

/// <summary>An answer that only says it worked: <c>{"success": true}</c>.</summary>
public sealed record ApiDone(bool Success);

/// <summary>An <see cref="ApiOne{T}"/> of any type, for <see cref="ApiResponses.ETags"/>.</summary>
public interface IApiOne
{
    object? Data { get; }
}

/// <summary>A DTO of a versioned row: answered alone, its version is the answer's ETag (what If-Match sends back).</summary>
public interface IVersionedDto
{
    long Version { get; }
}

/// <summary>
/// The answers of the API, written once. Handlers return them as typed results, so each route's success
/// schema in the OpenAPI document comes from its signature; a service's failure becomes problem details
/// in <see cref="Problem{T}"/> and nowhere else.
/// </summary>
public static class ApiResponses
{
    public const string InvalidDetail = "Some fields are not valid.";

    public static Results<Ok<ApiOne<T>>, ProblemHttpResult> One<TRow, T>(Result<TRow> result, Func<TRow, T> map) =>
        result.Succeeded ? One(map(result.Value!)) : Problem(result);

    public static Ok<ApiOne<T>> One<T>(T data) => TypedResults.Ok(new ApiOne<T>(true, data));

    /// <summary>201 with the new row and its address.</summary>
    public static Results<Created<ApiOne<T>>, ProblemHttpResult> Created<TRow, T>(Result<TRow> result, Func<TRow, T> map, Func<T, string> location)
    {
        if (!result.Succeeded)
        {
            return Problem(result);
        }

        var data = map(result.Value!);
        return TypedResults.Created(location(data), new ApiOne<T>(true, data));
    }

    public static Results<NoContent, ProblemHttpResult> NoContent<T>(Result<T> result) =>
        result.Succeeded ? TypedResults.NoContent() : Problem(result);

    public static Ok<ApiList<T>> List<T>(IReadOnlyList<T> data, ListQuery query, int total) =>
        TypedResults.Ok(new ApiList<T>(true, data, new ApiListMeta(query.Page, query.PageSize, total)));

    public static string ETag(long version) => $"W/\"{version}\"";

    /// <summary>
    /// An endpoint filter: an answer of one versioned row (<see cref="IVersionedDto"/>) carries its version as
    /// the ETag, whichever route answered it.
    /// </summary>
    public static async ValueTask<object?> ETags(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var answer = await next(context);
        if ((answer is INestedHttpResult nested ? nested.Result : answer) is IValueHttpResult { Value: IApiOne { Data: IVersionedDto row } })
        {
            context.HttpContext.Response.Headers.ETag = ETag(row.Version);
        }

        return answer;
    }

    /// <summary>
    /// An expected failure of a service as RFC 9457 problem details. The service names its fields by their
    /// domain names; the answer names them as the API does (<see cref="ApiNames"/>).
    /// </summary>
    public static ProblemHttpResult Problem<T>(Result<T> result) => result.Status switch
    {
        ResultStatus.Invalid => Problem(StatusCodes.Status400BadRequest, "Validation failed", InvalidDetail, ApiNames.Errors(result.Errors)),
        ResultStatus.NotFound => Problem(StatusCodes.Status404NotFound, "Not found", result.Message),
        ResultStatus.Forbidden => Problem(StatusCodes.Status403Forbidden, "Forbidden", result.Message),
        ResultStatus.Conflict => Problem(StatusCodes.Status409Conflict, "Conflict", result.Message, ApiNames.Errors(result.Errors)),
        ResultStatus.Unprocessable => Problem(StatusCodes.Status422UnprocessableEntity, "Unprocessable", result.Message),
        _ => throw new InvalidOperationException("A successful result is not a problem."),
    };

    /// <summary>A field the route refuses before calling the service, named by its domain name as a service would.</summary>
    public static ProblemHttpResult Invalid(string field, string message, string detail = InvalidDetail) =>
        Problem(StatusCodes.Status400BadRequest, "Validation failed", detail, ApiNames.Errors(new Dictionary<string, string> { [field] = message }));

    /// <summary>A 400 for what the API itself reads (query names, headers, text): its keys are the API's names already.</summary>
    public static ProblemHttpResult ValidationProblem(IReadOnlyDictionary<string, string> errors, string detail = InvalidDetail) =>
        Problem(StatusCodes.Status400BadRequest, "Validation failed", detail, errors.ToDictionary(e => e.Key, e => new[] { e.Value }));

    public static ProblemHttpResult Problem(int status, string title, string? detail, Dictionary<string, string[]>? errors = null)
    {
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        if (errors is { Count: > 0 })
        {
            problem.Extensions["errors"] = errors;
        }

        return TypedResults.Problem(problem);
    }
}
