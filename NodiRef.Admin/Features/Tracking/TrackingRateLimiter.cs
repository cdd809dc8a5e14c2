using Microsoft.Extensions.Options;

namespace NodiRef.Admin.Features.Tracking;

/// <summary>
/// The per-client-IP limit of the public tracking routes (<see cref="TrackingOptions.RequestsPerMinutePerIp"/>),
/// one budget per address across all of them, checked by an endpoint filter. It lives in the endpoints rather
/// than in ASP.NET Core's rate-limiting middleware because the busiest route, <c>GET /v1/{code}/hit</c>, runs
/// straight from routing (<see cref="TrackingEndpoints"/>) without the middleware pipeline.
/// </summary>
public sealed class TrackingRateLimiter : IDisposable
{
    private readonly PerMinuteBudget _budget;

    public TrackingRateLimiter(IOptions<TrackingOptions> options)
    {
        var settings = options.Value;
        _budget = new PerMinuteBudget(settings.RequestsPerMinutePerIp, http => ClientInfo.RateLimitKey(http, settings));
    }

    /// <summary>Takes one request from the caller's budget; answers the 429 to send when it is spent, else null.</summary>
    public IResult? Check(HttpContext http)
    {
        if (_budget.TryTake(http) is not { } retryAfter)
        {
            return null;
        }

        http.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ApiResponses.Problem(StatusCodes.Status429TooManyRequests, "Too many requests", $"Too many requests from this address. Retry in {retryAfter} s.");
    }

    /// <summary>
    /// The filter that applies the limit to every endpoint it is added to. A request already authorized with an API
    /// token (convert, identify) is a shop's backend, which sends for all its visitors from one address: the
    /// token, which can be revoked, is what it is held to, not the per-address budget of browsers.
    /// </summary>
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        (context.HttpContext.User.HasClaim(c => c.Type == ApiTokens.ApiTokenAuthenticationHandler.TokenIdClaim)
            ? null
            : context.HttpContext.RequestServices.GetRequiredService<TrackingRateLimiter>().Check(context.HttpContext)) ?? await next(context);

    public void Dispose() => _budget.Dispose();
}
