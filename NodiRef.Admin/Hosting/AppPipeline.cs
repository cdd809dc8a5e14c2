using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using NodiRef.Admin.Components;
using NodiRef.Admin.Components.Account;
using NodiRef.Admin.Features.Tracking;

namespace NodiRef.Admin.Hosting;

public static class AppPipeline
{
    public static WebApplication UseNodiRef(this WebApplication app)
    {
        // Before routing, because the hit routes run straight from it (ShortCircuit): they too get the
        // headers, and the start-up gate, each a few field reads and header sets. (The body limit is Kestrel's, and
        // the API's own stream for other servers: ApiRoutes.)
        app.UseSecurityHeaders();
        app.UseStartupGate();
        app.UseRouting();

        // The scheme a trusted TLS proxy saw, before anything looks at it (HSTS, cookies, redirects).
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        // API errors become problem details (IExceptionHandler); pages get the error page. A database outage
        // is a 503 either way. ApiExceptionHandler logs every failure with its original path, so the
        // middleware's own log (which names none) is left out.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/Error",
            CreateScopeForErrors = true,
            StatusCodeSelector = e => DbErrors.IsOutage(e) ? StatusCodes.Status503ServiceUnavailable
                : e is BadHttpRequestException bad ? bad.StatusCode
                : StatusCodes.Status500InternalServerError,
            SuppressDiagnosticsCallback = _ => true,
        });
        app.UseWhen(c => ApiRoutes.IsApi(c.Request.Path), api => api.UseStatusCodePages());
        app.UseWhen(c => !ApiRoutes.IsApi(c.Request.Path), web => web.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        app.UsePrivateApi();

        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseIdempotency();

        // Liveness never touches the database; readiness checks that it is prepared (StartupGate), reachable and writable.
        app.MapHealthChecks(StartupGate.LivePath, new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks(StartupGate.ReadyPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();

        app.MapStaticAssets();
        // Our policy already says frame-ancestors 'none'; Blazor's own ('self') would be a second, weaker header.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = null);
        app.MapAccountEndpoints();
        app.MapPrivateApi();
        app.MapTracking();
        app.MapApiDocumentation();
        return app;
    }
}
