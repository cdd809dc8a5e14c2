using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Primitives;

namespace NodiRef.Admin.Hosting;

/// <summary>
/// Headers every response carries, pages and API alike. The values are built once: the hit routes pay a
/// few header sets and two path compares, nothing allocated.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Pages: Blazor Server needs its own scripts and a WebSocket to this host ('self' covers ws/wss of the
    /// same host); MudBlazor sets inline styles, so styles need 'unsafe-inline' (scripts do not).
    /// </summary>
    public const string PagePolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The API reference (Scalar) starts itself with an inline script and styles itself inline; everything it
    /// loads comes from this app (no CDN, no fonts, no telemetry: see ApiDocumentation), so only inline code is added.
    /// </summary>
    public const string ApiReferencePolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        + "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>JSON answers load nothing.</summary>
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";

    private static readonly StringValues Page = PagePolicy;
    private static readonly StringValues Reference = ApiReferencePolicy;
    private static readonly StringValues Api = ApiPolicy;
    private static readonly StringValues NoSniff = "nosniff";
    private static readonly StringValues Deny = "DENY";

    // Landing pages keep seeing where a visitor came from (the origin only): that is what referrals are about.
    private static readonly StringValues ReferrerPolicy = "strict-origin-when-cross-origin";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(next => http =>
        {
            Apply(http);
            return next(http);
        });

    /// <summary>Also registers <see cref="AfterErrors"/>: the exception handler clears the headers of a failed response.</summary>
    public static IServiceCollection AddSecurityHeaders(this IServiceCollection services) =>
        services.AddExceptionHandler<AfterErrors>();

    public static void Apply(HttpContext http)
    {
        var headers = http.Response.Headers;
        var path = http.Request.Path;
        headers.ContentSecurityPolicy = ApiRoutes.IsApi(path) ? Api
            : path.StartsWithSegments(ApiDocumentation.ReferencePath) ? Reference
            : Page;
        headers.XContentTypeOptions = NoSniff;
        headers.XFrameOptions = Deny;
        headers["Referrer-Policy"] = ReferrerPolicy;
    }

    /// <summary>
    /// Runs first among the exception handlers, after the middleware cleared the failed response: the error
    /// answer (problem details or the error page) gets the headers again. Handles nothing itself.
    /// </summary>
    public sealed class AfterErrors : IExceptionHandler
    {
        public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            // The original path decides the policy, not the error page's.
            var current = httpContext.Request.Path;
            if (httpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path is { } original)
            {
                httpContext.Request.Path = original;
            }

            Apply(httpContext);
            httpContext.Request.Path = current;
            return ValueTask.FromResult(false);
        }
    }
}
