using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using NodiRef.Admin.Api;
using NodiRef.Admin.Components;
using NodiRef.Admin.Components.Account;
using NodiRef.Admin.Features.Tracking;

namespace NodiRef.Admin.Hosting;

public static class AppPipeline
{
    public static WebApplication UseNodiRef(this WebApplication app)
    {
        // API errors become problem details (IExceptionHandler); pages get the error page.
        app.UseExceptionHandler("/Error", createScopeForErrors: true);
        app.UseWhen(c => ApiRoutes.IsApi(c.Request.Path), api => api.UseStatusCodePages());
        app.UseWhen(c => !ApiRoutes.IsApi(c.Request.Path), web => web.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        app.UsePrivateApi();

        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseIdempotency();

        // Liveness never touches the database; readiness checks it.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();

        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAccountEndpoints();
        app.MapPrivateApi();
        app.MapTracking();
        app.MapApiDocumentation();
        return app;
    }
}
