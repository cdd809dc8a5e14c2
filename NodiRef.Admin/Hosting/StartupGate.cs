namespace NodiRef.Admin.Hosting;

/// <summary>
/// The first middleware while the database is being prepared: <c>/health/live</c> passes, everything else
/// (readiness included) answers 503 with Retry-After. Once ready it costs one field read per request.
/// </summary>
public static class StartupGate
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    public static IApplicationBuilder UseStartupGate(this IApplicationBuilder app)
    {
        var readiness = app.ApplicationServices.GetRequiredService<DatabaseReadiness>();
        return app.Use(next => http => readiness.IsReady || http.Request.Path.Equals(LivePath, StringComparison.OrdinalIgnoreCase)
            ? next(http)
            : StartingAsync(http));
    }

    private static Task StartingAsync(HttpContext http)
    {
        http.Response.Headers.RetryAfter = ApiExceptionHandler.RetryAfterSeconds;
        const string detail = "The app is starting (preparing its database); retry in a few seconds.";
        return ApiRoutes.IsApi(http.Request.Path)
            ? ApiResponses.Problem(StatusCodes.Status503ServiceUnavailable, "Starting", detail).ExecuteAsync(http)
            : Results.Text(detail, "text/plain; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(http);
    }
}
