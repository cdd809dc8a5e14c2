using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace NodiRef.Admin.Features.Tracking;

/// <summary>
/// <c>GET /v1/{code}/hit</c> and <c>GET /r/{code}</c>, which run straight from routing (see
/// <see cref="TrackingEndpoints.MapTracking"/>): they apply the tracking API's CORS policy and rate limit
/// themselves, as the middleware does for the other tracking routes, and answer problem details on an error.
/// The services are resolved once, when the routes are mapped.
/// </summary>
internal sealed class HitEndpoint(IServiceProvider services)
{
    private readonly ClickWriter _writer = services.GetRequiredService<ClickWriter>();
    private readonly TrackingOptions _options = services.GetRequiredService<IOptions<TrackingOptions>>().Value;
    private readonly TimeProvider _clock = services.GetRequiredService<TimeProvider>();
    private readonly TrackingRateLimiter _limiter = services.GetRequiredService<TrackingRateLimiter>();
    private readonly ICorsService _cors = services.GetRequiredService<ICorsService>();
    private readonly ICorsPolicyProvider _corsPolicies = services.GetRequiredService<ICorsPolicyProvider>();
    private readonly ILogger _logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<HitEndpoint>();

    public async Task<IResult> HitAsync(string code, string? redirect, HttpContext http)
    {
        try
        {
            return await AnswerHitAsync(code, redirect, http);
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            // What the exception handler does for the routes that pass through it.
            _logger.LogError(e, "Could not record a hit on {Code}.", code);
            return ApiResponses.Problem(StatusCodes.Status500InternalServerError, "Could not record the click", "The click could not be stored just now; retry in a moment.");
        }
    }

    public async Task<IResult> ShortLinkAsync(string code, HttpContext http)
    {
        try
        {
            return await FollowShortLinkAsync(code, http);
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            _logger.LogError(e, "Could not record a hit on {Code}.", code);
            return TrackingEndpoints.PlainPage(StatusCodes.Status500InternalServerError, "Something went wrong", "This link could not be followed just now. Please try again in a moment.");
        }
    }

    private async Task<IResult> AnswerHitAsync(string code, string? redirect, HttpContext http)
    {
        // What the CORS middleware does for a route with a CORS policy: a preflight is answered here.
        if (http.Request.Headers.ContainsKey(HeaderNames.Origin) && await ApplyCorsAsync(http))
        {
            return Results.NoContent();
        }

        if (_limiter.Check(http) is { } tooMany)
        {
            return tooMany;
        }

        var result = await RecordAsync(code, http);
        if (result.Outcome == HitOutcome.UnknownCode)
        {
            return ApiResponses.Problem(StatusCodes.Status404NotFound, "Unknown referral code", $"No referral link has the code \"{code}\".");
        }

        if (result.Outcome == HitOutcome.Overloaded)
        {
            return TrackingEndpoints.Overloaded(http);
        }

        if (redirect is "1" or "true")
        {
            return result.Destination is { } destination
                ? TypedResults.Redirect(destination)
                : ApiResponses.Problem(StatusCodes.Status404NotFound, "No destination", $"Link \"{result.Code}\" has no target URL and no project landing page to send visitors to.");
        }

        return WriteTrackingId(http.Response, result.TrackingId);
    }

    /// <summary>
    /// The answer of the busiest route, <c>{"tracking_id":"..."}</c> in the API's snake_case, written as bytes with
    /// its length: no serializer, no content-type parsing, no string.
    /// </summary>
    private static IResult WriteTrackingId(HttpResponse response, Guid trackingId)
    {
        ReadOnlySpan<byte> prefix = "{\"tracking_id\":\""u8;
        ReadOnlySpan<byte> suffix = "\"}"u8;
        var length = prefix.Length + 36 + suffix.Length;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = length;
        var span = response.BodyWriter.GetSpan(length);
        prefix.CopyTo(span);
        trackingId.TryFormat(span[prefix.Length..], out var written, "D");
        suffix.CopyTo(span[(prefix.Length + written)..]);
        response.BodyWriter.Advance(length);
        return Results.Empty;
    }

    private async Task<IResult> FollowShortLinkAsync(string code, HttpContext http)
    {
        if (_limiter.Check(http) is { } tooMany)
        {
            return tooMany;
        }

        var result = await RecordAsync(code, http);

        var destination = result.Destination;
        return result.Outcome switch
        {
            HitOutcome.Overloaded => TrackingEndpoints.Overloaded(http),
            HitOutcome.UnknownCode => TrackingEndpoints.PlainPage(StatusCodes.Status404NotFound, "Link not found", "This referral link does not exist. Check the address, or ask the person who shared it."),
            _ when destination is null => TrackingEndpoints.PlainPage(StatusCodes.Status404NotFound, "Link has no destination", "This referral link is not set up to send visitors anywhere yet."),
            _ => TypedResults.Redirect(destination),
        };
    }

    /// <summary>The hit, once committed.</summary>
    private async Task<HitResult> RecordAsync(string code, HttpContext http)
    {
        if (ReferralCode.Validate(code) is not null)
        {
            return new HitResult(HitOutcome.UnknownCode);
        }

        var client = ClientInfo.From(http, _options, await TrackingEndpoints.CallerHasTokenAsync(http));
        return await _writer.RecordAsync(new HitRequest(code, client.IpAddress, client.UserAgent, http.Request.Headers.Referer, _clock.GetUtcNow().UtcDateTime));
    }

    /// <summary>Applies the tracking CORS policy to the response; true when the request was a preflight, now answered.</summary>
    private async Task<bool> ApplyCorsAsync(HttpContext http)
    {
        var preflight = HttpMethods.IsOptions(http.Request.Method) && http.Request.Headers.ContainsKey(HeaderNames.AccessControlRequestMethod);
        if (await _corsPolicies.GetPolicyAsync(http, TrackingEndpoints.CorsPolicy) is { } policy)
        {
            _cors.ApplyResult(_cors.EvaluatePolicy(http, policy), http.Response);
        }

        return preflight;
    }
}
