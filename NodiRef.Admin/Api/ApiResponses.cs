namespace NodiRef.Admin.Api;

/// <summary>The envelope of the original API: <c>{"success": true, "data": ...}</c>.</summary>
public sealed record ApiOne<T>(bool Success, T Data);

public sealed record ApiListMeta(int Page, int PageSize, int Total);

public sealed record ApiList<T>(bool Success, IReadOnlyList<T> Data, ApiListMeta Meta);

public static class ApiResponses
{
    public static IResult One<T>(T data, HttpContext http, long? version = null)
    {
        if (version is { } v)
        {
            http.Response.Headers.ETag = ETag(v);
        }

        return TypedResults.Json(new ApiOne<T>(true, data), ApiJson.Options);
    }

    public static IResult Created<T>(T data, string location, HttpContext http, long? version = null)
    {
        if (version is { } v)
        {
            http.Response.Headers.ETag = ETag(v);
        }

        http.Response.Headers.Location = location;
        return TypedResults.Json(new ApiOne<T>(true, data), ApiJson.Options, statusCode: StatusCodes.Status201Created);
    }

    public static IResult List<T>(IReadOnlyList<T> data, ListQuery query, int total) =>
        TypedResults.Json(new ApiList<T>(true, data, new ApiListMeta(query.Page, query.PageSize, total)), ApiJson.Options);

    public static string ETag(long version) => $"W/\"{version}\"";

    /// <summary>An expected failure of a service as RFC 9457 problem details.</summary>
    public static IResult Problem<T>(Result<T> result) => result.Status switch
    {
        ResultStatus.Invalid => ValidationProblem(result.Errors, "Some fields are not valid."),
        ResultStatus.NotFound => Problem(StatusCodes.Status404NotFound, "Not found", result.Message),
        ResultStatus.Forbidden => Problem(StatusCodes.Status403Forbidden, "Forbidden", result.Message),
        ResultStatus.Conflict => Problem(StatusCodes.Status409Conflict, "Conflict", result.Message, result.Errors),
        ResultStatus.Unprocessable => Problem(StatusCodes.Status422UnprocessableEntity, "Unprocessable", result.Message),
        _ => throw new InvalidOperationException("A successful result is not a problem."),
    };

    public static IResult ValidationProblem(IReadOnlyDictionary<string, string> errors, string detail) =>
        TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Validation failed",
            Detail = detail,
            Extensions = { ["errors"] = errors.ToDictionary(e => e.Key, e => new[] { e.Value }) },
        });

    public static IResult Problem(int status, string title, string? detail, IReadOnlyDictionary<string, string>? errors = null)
    {
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        if (errors is { Count: > 0 })
        {
            problem.Extensions["errors"] = errors.ToDictionary(e => e.Key, e => new[] { e.Value });
        }

        return TypedResults.Problem(problem);
    }

    /// <summary>The version an update expects: from <c>If-Match</c> (an ETag) or the body's <c>version</c>.</summary>
    public static Result<long?> ExpectedVersion(HttpContext http, long? bodyVersion)
    {
        string? ifMatch = http.Request.Headers.IfMatch;
        if (string.IsNullOrWhiteSpace(ifMatch) || ifMatch == "*")
        {
            return Result<long?>.Ok(bodyVersion);
        }

        var raw = ifMatch.Trim();
        if (raw.StartsWith("W/", StringComparison.Ordinal))
        {
            raw = raw[2..];
        }

        return long.TryParse(raw.Trim('"'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? Result<long?>.Ok(v)
            : Result<long?>.Invalid("If-Match", "If-Match must be an ETag this API returned, e.g. W/\"3\".");
    }
}
