using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace NodiRef.Admin.Api;

/// <summary>
/// Turns request failures on API routes into problem details: malformed or mistyped JSON is a 400
/// that says where, an oversized body a 413, anything unexpected a 500 without internals.
/// </summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var http = httpContext;
        // The middleware has already pointed Request.Path at the error page; the feature keeps the original.
        var path = http.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? http.Request.Path;
        if (!ApiRoutes.IsApi(path))
        {
            // Pages: logged here with the path that failed (the middleware's own log, suppressed in
            // AppPipeline, names none); the error page answers.
            LogFailure(http, path, exception);
            return false;
        }

        var problem = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => new ProblemDetails
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "Payload too large",
                Detail = $"The request body is larger than {ApiRoutes.MaxBodyBytes / 1024} KB.",
            },
            BadHttpRequestException { InnerException: JsonException json } => BadJson(json),
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = "Bad request",
                Detail = http.Request.ContentLength is null or 0 && http.Request.Headers.TransferEncoding.Count == 0
                    ? "The request body is missing: send a JSON object with \"Content-Type: application/json\"."
                    : bad.StatusCode == StatusCodes.Status415UnsupportedMediaType
                        ? "Send the body as JSON with \"Content-Type: application/json\"."
                        : "The request body must be a JSON object.",
            },
            _ when DbErrors.IsOutage(exception) => new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Database unavailable",
                Detail = "The database cannot be reached or written just now; retry in a moment.",
            },
            _ => null,
        };

        if (problem is null || problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            LogFailure(http, path, exception);
        }

        if (problem is null)
        {
            problem = new ProblemDetails { Status = StatusCodes.Status500InternalServerError, Title = "Server error", Detail = "The request failed on the server. It was logged." };
        }
        else if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            http.Response.Headers.RetryAfter = RetryAfterSeconds;
        }

        problem.Instance = path;
        http.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails BadJson(JsonException json)
    {
        if (UnknownField(json) is { } unknown)
        {
            var message = $"Unknown field \"{unknown}\": this request has no such field (check its name and where it is nested in the API reference).";
            return new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "Malformed request body",
                Detail = message,
                Extensions = { ["errors"] = new Dictionary<string, string[]> { [unknown] = [message] } },
            };
        }

        var field = FieldOf(json.Path);
        var wrongValue = json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal);
        var detail = wrongValue && field is not null
            ? $"The value of \"{field}\" has the wrong type or is not one of the accepted values."
            : wrongValue
                ? "The request body must be a JSON object."
                : $"The request body is not valid JSON (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}).";
        var problem = new ProblemDetails { Status = StatusCodes.Status400BadRequest, Title = "Malformed request body", Detail = detail };
        if (field is not null && wrongValue)
        {
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [detail] };
        }

        return problem;
    }

    // "$.payload.name" -> "payload.name"; "$" -> null.
    private static string? FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? null : path.TrimStart('$', '.');

    private const string UnmappedStart = "The JSON property '";
    private const string UnmappedEnd = "' could not be mapped to any .NET member";

    /// <summary>
    /// The full name ("payload.colour") of a body field the request type does not have (refused by
    /// <see cref="System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow"/>), or null. The serializer's
    /// message names the .NET type, which stays inside; only the field's name is taken from it.
    /// </summary>
    private static string? UnknownField(JsonException json)
    {
        var end = json.Message.IndexOf(UnmappedEnd, StringComparison.Ordinal);
        if (!json.Message.StartsWith(UnmappedStart, StringComparison.Ordinal) || end < UnmappedStart.Length)
        {
            return null;
        }

        var name = json.Message[UnmappedStart.Length..end];
        if (name.Length > 100)
        {
            name = name[..100] + "...";
        }

        // The path ends at the object that holds the field, or at the field itself.
        var at = FieldOf(json.Path);
        return at is null ? name : at == name || at.EndsWith("." + name, StringComparison.Ordinal) ? at : $"{at}.{name}";
    }

    /// <summary>What a 503 tells clients to wait, in seconds: a database outage, or the app still starting (StartupGate).</summary>
    public const string RetryAfterSeconds = "5";

    /// <summary>Logs a failed request under the path it was made to (not the error page's, where Request.Path points by now).</summary>
    private void LogFailure(HttpContext http, string path, Exception exception)
    {
        if (DbErrors.IsOutage(exception))
        {
            logger.LogError(exception, "Database unavailable on {Method} {Path}; answered 503.", http.Request.Method, path);
        }
        else
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}.", http.Request.Method, path);
        }
    }
}
