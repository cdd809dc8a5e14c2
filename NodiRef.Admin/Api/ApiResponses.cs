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

    public const string InvalidDetail = "Some fields are not valid.";

    /// <summary>
    /// An expected failure of a service as RFC 9457 problem details. The service names its fields by their
    /// domain names; the answer names them as the API does (<see cref="ApiNames"/>).
    /// </summary>
    public static IResult Problem<T>(Result<T> result) => result.Status switch
    {
        ResultStatus.Invalid => Problem(StatusCodes.Status400BadRequest, "Validation failed", InvalidDetail, ApiNames.Errors(result.Errors)),
        ResultStatus.NotFound => Problem(StatusCodes.Status404NotFound, "Not found", result.Message),
        ResultStatus.Forbidden => Problem(StatusCodes.Status403Forbidden, "Forbidden", result.Message),
        ResultStatus.Conflict => Problem(StatusCodes.Status409Conflict, "Conflict", result.Message, ApiNames.Errors(result.Errors)),
        ResultStatus.Unprocessable => Problem(StatusCodes.Status422UnprocessableEntity, "Unprocessable", result.Message),
        _ => throw new InvalidOperationException("A successful result is not a problem."),
    };

    /// <summary>A field the route refuses before calling the service, named by its domain name as a service would.</summary>
    public static IResult Invalid(string field, string message, string detail = InvalidDetail) =>
        Problem(StatusCodes.Status400BadRequest, "Validation failed", detail, ApiNames.Errors(new Dictionary<string, string> { [field] = message }));

    /// <summary>A refusal of the API's own reading of the request (query names, If-Match): its keys are the API's names already.</summary>
    public static IResult Refused<T>(Result<T> refused) => ValidationProblem(refused.Errors, InvalidDetail);

    /// <summary>A 400 for what the API itself checks (query names, headers, text): its keys are the API's names already.</summary>
    public static IResult ValidationProblem(IReadOnlyDictionary<string, string> errors, string detail) =>
        Problem(StatusCodes.Status400BadRequest, "Validation failed", detail, errors.ToDictionary(e => e.Key, e => new[] { e.Value }));

    public static IResult Problem(int status, string title, string? detail, Dictionary<string, string[]>? errors = null)
    {
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        if (errors is { Count: > 0 })
        {
            problem.Extensions["errors"] = errors;
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
