using Microsoft.AspNetCore.Authentication;
using NodiRef.Admin.Features.ApiTokens;
using NodiRef.Admin.Features.Audit;
using NodiRef.Admin.Features.Conversions;
using NodiRef.Admin.Features.Overview;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.Projects;
using NodiRef.Admin.Features.ReferralLinks;
using NodiRef.Admin.Features.Rewards;
using NodiRef.Admin.Features.Tracking;
using NodiRef.Admin.Features.Webhooks;

namespace NodiRef.Admin.Api;

/// <summary>The private REST API under <c>/api</c>: bearer tokens only, JSON in snake_case, problem details for errors.</summary>
public static class ApiRoutes
{
    public const string Prefix = "/api";
    public const string Policy = "Api";
    public const int MaxBodyBytes = 64 * 1024;
    public const string TooLargeDetail = "The request body is larger than 64 KB.";

    /// <summary>The private API and the public tracking API: both answer problem details, never pages.</summary>
    public static bool IsApi(PathString path) => path.StartsWithSegments(Prefix) || path.StartsWithSegments("/v1");

    public static IServiceCollection AddPrivateApi(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(ApiTokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser());
        services.ConfigureHttpJsonOptions(options => ApiJson.Configure(options.SerializerOptions));
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions["success"] = false;
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;

            // A chunked body stopped by the server's limit reaches the status code pages as a bare 413.
            if (context.ProblemDetails.Status == StatusCodes.Status413PayloadTooLarge)
            {
                context.ProblemDetails.Detail ??= TooLargeDetail;
            }
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddApiDocumentation();
        return services;
    }

    /// <summary>Middleware of API requests: body size limit, then idempotent replays (after authorization).</summary>
    public static WebApplication UsePrivateApi(this WebApplication app)
    {
        app.UseWhen(c => IsApi(c.Request.Path), api =>
        {
            api.Use(async (http, next) =>
            {
                // A chunked body has no length to refuse up front: reading stops past the limit with a 413, which
                // ApiExceptionHandler answers as problem details. (Kestrel's own limit is the same, AppServices;
                // this one also holds where the server sets none, such as the in-memory test server.)
                if (http.Request.ContentLength is null && !HttpMethods.IsGet(http.Request.Method))
                {
                    http.Request.Body = new BoundedRequestBody(http.Request.Body, MaxBodyBytes);
                }

                if (http.Request.ContentLength > MaxBodyBytes)
                {
                    await ApiResponses.Problem(StatusCodes.Status413PayloadTooLarge, "Payload too large", TooLargeDetail).ExecuteAsync(http);
                    return;
                }

                await next(http);
            });
        });
        return app;
    }

    public static WebApplication UseIdempotency(this WebApplication app)
    {
        app.UseWhen(c => IsApi(c.Request.Path), api => api.UseMiddleware<IdempotencyMiddleware>());
        return app;
    }

    public static IEndpointRouteBuilder MapPrivateApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(Prefix)
            .RequireAuthorization(Policy)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxBodyBytes))
            .AddEndpointFilter(async (context, next) =>
            {
                // The services check permissions against whoever this token acts as.
                context.HttpContext.RequestServices.GetRequiredService<CurrentUser>().Set(context.HttpContext.User);
                return await next(context);
            })
            .AddEndpointFilter(ApiInput.Filter)
            .AddEndpointFilter(ApiResponses.ETags)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapProjectEndpoints();
        api.MapPartnerEndpoints();
        api.MapReferralLinkEndpoints();
        api.MapEventListEndpoints();
        api.MapConversionEndpoints();
        api.MapRewardEndpoints();
        api.MapAnalyticsEndpoints();
        api.MapAuditEndpoints();
        api.MapWebhookEndpoints();
        return endpoints;
    }
}
