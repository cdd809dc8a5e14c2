using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NodiRef.Admin.Features.ApiTokens;
using NodiRef.Admin.Features.Conversions;

namespace NodiRef.Admin.Features.Tracking;

public sealed record HitResponse(Guid TrackingId);

public sealed record ReferralRequest(Guid? TrackingId, string? ExternalId, string? UserAgent, string? IpAddress);

public sealed record ReferralResponse(Guid ReferralId);

public sealed record IdentifyRequest(int? PartnerId, string? ExternalId, string? UserAgent, string? IpAddress);

/// <summary>
/// The public tracking API (version 1) of the original, in event order: <c>GET /v1/{code}/hit</c>
/// (and the short form <c>GET /r/{code}</c>), then referral, identify and convert. No cookie session,
/// CORS open to the projects' landing sites, rate-limited per client IP.
/// </summary>
public static class TrackingEndpoints
{
    public const string CorsPolicy = "tracking";

    /// <summary>
    /// Convert, refund and identify: an API token must be sent (401 otherwise); the service then checks that its
    /// role may send them (Tracking, Operator or Admin; 403 otherwise).
    /// </summary>
    public const string SenderPolicy = "TrackingSender";

    public static IServiceCollection AddTracking(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TrackingOptions>().Bind(configuration.GetSection(TrackingOptions.Section))
            .Validate(o => !o.InvalidTrustedProxies.Any(), "Tracking:TrustedProxies holds an entry that is neither an IP address (10.0.0.2) nor a network (10.0.0.0/8).")
            .Validate(o => o.InvalidPublicBaseUrl is null, "Tracking:PublicBaseUrl must be an absolute http or https URL without query, e.g. https://ref.example.com.")
            .ValidateOnStart();
        services.AddScoped<PublicUrls>();
        services.AddHostedService(sp => sp.GetRequiredService<ClickWriter>());
        services.AddCors();
        services.AddSingleton<ICorsPolicyProvider, TrackingCorsPolicyProvider>();
        services.AddSingleton<TrackingRateLimiter>();
        services.AddAuthorizationBuilder().AddPolicy(SenderPolicy, policy =>
            policy.AddAuthenticationSchemes(ApiTokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser());
        return services;
    }

    public static IEndpointRouteBuilder MapTracking(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGroup("/v1").WithTags("Tracking")
            .RequireCors(CorsPolicy).AddEndpointFilter(TrackingRateLimiter.Filter).AddEndpointFilter(ApiInput.Filter);

        // The busiest routes run straight from routing (ShortCircuit): a hit waits for its batch's commit, and
        // every middleware it passed through would wake up again on the way back out (authentication,
        // authorization, antiforgery, status pages... none of which a hit uses). What it does need, CORS and
        // the rate limit, it applies itself (HitEndpoint); an error still answers problem details.
        var hits = new HitEndpoint(endpoints.ServiceProvider);
        endpoints.MapGet("/v1/{code}/hit", (string code, string? redirect, HttpContext http) => hits.HitAsync(code, redirect, http))
            .WithName("Hit").WithTags("Tracking")
            .WithSummary("Record a click on a referral link; with redirect=1, answer 302 to the link's target (or the project's landing page) with ref and tracking_id appended")
            .Produces<HitResponse>().Produces(StatusCodes.Status302Found).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get], acceptCorsPreflight: true))
            .ShortCircuit();

        v1.MapPost("/referral", ReferralAsync).WithName("Referral").AllowAnonymous()
            .WithSummary("Record a sign-up that came through a click: tracking_id (required), external_id (the user's id in your system, recommended)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status429TooManyRequests);
        v1.MapPost("/identify", IdentifyAsync).WithName("Identify").RequireAuthorization(SenderPolicy)
            .WithSummary("From your backend, with an API token: mark a partner's own browser session (partner_id or the partner's external_id; the browser's ip_address and user_agent), so self-referrals can be caught")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        v1.MapConvert();

        endpoints.MapGet("/r/{code}", (string code, HttpContext http) => hits.ShortLinkAsync(code, http)).ExcludeFromDescription().ShortCircuit();
        return endpoints;
    }

    private static async Task<Results<Created<ReferralResponse>, ProblemHttpResult>> ReferralAsync(
        ReferralRequest body, HttpContext http, ReferralService referrals, IOptions<TrackingOptions> options, CancellationToken ct)
    {
        var trusted = await CallerHasTokenAsync(http);
        var client = ClientInfo.From(http, options.Value, trusted).WithReported(body.IpAddress, body.UserAgent, trusted);
        var result = await referrals.CreateAsync(new ReferralInput(body.TrackingId, body.ExternalId, client), ct);
        return result.Succeeded ? TypedResults.Created((string?)null, new ReferralResponse(result.Value!.PublicId)) : ApiResponses.Problem(result);
    }

    private static async Task<Results<Ok<ApiDone>, ProblemHttpResult>> IdentifyAsync(IdentifyRequest body, HttpContext http, ReferralService referrals, IOptions<TrackingOptions> options, CancellationToken ct)
    {
        // Only reached with a valid token (SenderPolicy): its forwarded details count, and the service checks its role.
        UseCaller(http);
        var client = ClientInfo.From(http, options.Value, callerHasToken: true).WithReported(body.IpAddress, body.UserAgent, trusted: true);
        var result = await referrals.IdentifyAsync(new IdentifyInput(body.PartnerId, body.ExternalId, client), ct);
        return result.Succeeded ? TypedResults.Ok(new ApiDone(true)) : ApiResponses.Problem(result);
    }

    /// <summary>The services check permissions against the token the request was authorized with.</summary>
    internal static void UseCaller(HttpContext http) => http.RequestServices.GetRequiredService<Common.CurrentUser>().Set(http.User);

    /// <summary>
    /// A server calling on behalf of its visitor proves it with an API token of a role that may send tracking
    /// events (Tracking, Operator, Admin); then its forwarded headers count. A Viewer token forwards nothing.
    /// </summary>
    internal static async Task<bool> CallerHasTokenAsync(HttpContext http)
    {
        // The token service is resolved only when there is a token to check: browsers send none.
        string? header = http.Request.Headers.Authorization;
        return header is not null
            && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && await http.RequestServices.GetRequiredService<ApiTokenService>().AuthenticateAsync(header["Bearer ".Length..].Trim(), http.RequestAborted) is { } token
            && Roles.TrackingSenders.Contains(token.Role);
    }

    internal static IResult Overloaded(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "1";
        return ApiResponses.Problem(StatusCodes.Status503ServiceUnavailable, "Busy", "Too many clicks are waiting to be recorded. Retry in a second.");
    }

    internal static IResult PlainPage(int status, string title, string message) =>
        TypedResults.Content(
            $$"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{title}}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;color:#333}</style></head>
            <body><h1>{{title}}</h1><p>{{message}}</p></body></html>
            """,
            "text/html; charset=utf-8",
            statusCode: status);
}
