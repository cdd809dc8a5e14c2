using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Tests.Api;

namespace NodiRef.Admin.Tests.Features.Tracking;

/// <summary>
/// CORS of the public tracking API, through real HTTP: open to the projects' landing sites (and the links'
/// target sites), closed to every other origin; the hit route applies it itself, the others through the middleware.
/// </summary>
public sealed class TrackingCorsTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    private const string Landing = "https://landing.example.com";
    private const string Stranger = "https://elsewhere.example.org";
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_landing_sites_browser_may_read_the_hit_and_another_sites_may_not()
    {
        var (_, _, link) = await app.GivenLinkAsync();
        var client = app.Anonymous();

        var fromLanding = await SendAsync(client, HttpMethod.Get, $"/v1/{link.Code}/hit", Landing);
        var fromStranger = await SendAsync(client, HttpMethod.Get, $"/v1/{link.Code}/hit", Stranger);
        var fromServer = await client.GetAsync($"/v1/{link.Code}/hit", Ct);

        Assert.Equal(HttpStatusCode.OK, fromLanding.StatusCode);
        Assert.Equal(Landing, AllowedOrigin(fromLanding));
        Assert.Equal(HttpStatusCode.OK, fromStranger.StatusCode); // recorded all the same; the browser just may not read it
        Assert.Null(AllowedOrigin(fromStranger));
        Assert.Null(AllowedOrigin(fromServer));
        await using var db = app.Db();
        Assert.Equal(3, await db.Clicks.CountAsync(c => c.LinkId == link.Id, Ct));
    }

    [Fact]
    public async Task Preflights_of_the_hit_and_of_a_referral_are_answered_for_landing_sites_and_record_nothing()
    {
        var (_, _, link) = await app.GivenLinkAsync();
        var client = app.Anonymous();

        var hit = await SendAsync(client, HttpMethod.Options, $"/v1/{link.Code}/hit", Landing, requestMethod: "GET", requestHeaders: "content-type");
        var referral = await SendAsync(client, HttpMethod.Options, "/v1/referral", Landing, requestMethod: "POST", requestHeaders: "content-type");
        var stranger = await SendAsync(client, HttpMethod.Options, $"/v1/{link.Code}/hit", Stranger, requestMethod: "GET");

        Assert.Equal(HttpStatusCode.NoContent, hit.StatusCode);
        Assert.Equal(Landing, AllowedOrigin(hit));
        Assert.Contains("GET", hit.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, referral.StatusCode);
        Assert.Equal(Landing, AllowedOrigin(referral));
        Assert.Equal(HttpStatusCode.NoContent, stranger.StatusCode);
        Assert.Null(AllowedOrigin(stranger));
        await using var db = app.Db();
        Assert.Equal(0, await db.Clicks.CountAsync(c => c.LinkId == link.Id, Ct));
    }

    [Fact]
    public async Task A_referral_from_a_landing_site_may_be_read_by_it()
    {
        var (_, _, link) = await app.GivenLinkAsync();
        var client = app.Anonymous();
        var trackingId = await client.HitAsync(link.Code);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/referral") { Content = JsonContent.Create(new { tracking_id = trackingId }) };
        request.Headers.Add("Origin", Landing);
        var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(Landing, AllowedOrigin(response));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string origin, string? requestMethod = null, string? requestHeaders = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Origin", origin);
        if (requestMethod is not null)
        {
            request.Headers.Add("Access-Control-Request-Method", requestMethod);
        }

        if (requestHeaders is not null)
        {
            request.Headers.Add("Access-Control-Request-Headers", requestHeaders);
        }

        return await client.SendAsync(request, Ct);
    }

    private static string? AllowedOrigin(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;
}
