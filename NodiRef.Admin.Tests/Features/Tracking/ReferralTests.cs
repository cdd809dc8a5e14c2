using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Tests.Api;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Tracking;

/// <summary>POST /v1/referral and /v1/identify through real HTTP.</summary>
public sealed class ReferralTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_tracking_id_becomes_one_referral_with_the_clicks_partner_and_project()
    {
        var (project, partner, link) = await app.GivenLinkAsync();
        var code = link.Code;
        var client = app.Anonymous();
        var trackingId = await client.HitAsync(code);
        var externalId = ApiFactory.Unique("user");

        var created = await client.PostAsJsonAsync("/v1/referral", new { tracking_id = trackingId, external_id = externalId }, Ct);
        var again = await client.PostAsJsonAsync("/v1/referral", new { tracking_id = trackingId }, Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var referralId = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("referral_id").GetGuid();
        await using var db = app.Db();
        var referral = await db.Referrals.AsNoTracking().SingleAsync(r => r.PublicId == referralId, Ct);
        Assert.Equal((partner.Id, (int?)project.Id, externalId, EventStatus.Recorded), (referral.PartnerId, referral.ProjectId, referral.ExternalId, referral.Status));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(1, await db.Referrals.CountAsync(r => r.TrackingId == trackingId, Ct));
    }

    [Fact]
    public async Task A_tracking_id_finds_its_own_click_among_the_clicks_of_its_millisecond()
    {
        var (firstProject, firstPartner, firstLink) = await app.GivenLinkAsync();
        var (secondProject, secondPartner, secondLink) = await app.GivenLinkAsync();
        var at = new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(1234);
        var first = await TestClicks.WriteAsync(app.Services, firstLink.Id, firstPartner.Id, firstProject.Id, at, EventStatus.Recorded, ct: Ct);
        var second = await TestClicks.WriteAsync(app.Services, secondLink.Id, secondPartner.Id, secondProject.Id, at.AddTicks(5000), EventStatus.Recorded, ct: Ct);
        var client = app.Anonymous();

        var created = await client.PostAsJsonAsync("/v1/referral", new { tracking_id = second.TrackingId }, Ct);
        var noClickInThatMillisecond = await client.PostAsJsonAsync("/v1/referral", new { tracking_id = Click.NewTrackingId(at) }, Ct);
        var noClickAtAll = await client.PostAsJsonAsync("/v1/referral", new { tracking_id = Click.NewTrackingId(at.AddMilliseconds(1)) }, Ct);

        Assert.Equal(Click.CreatedWithin(first.TrackingId), Click.CreatedWithin(second.TrackingId));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await using var db = app.Db();
        var referral = await db.Referrals.AsNoTracking().SingleAsync(r => r.TrackingId == second.TrackingId, Ct);
        Assert.Equal((second.Id, secondLink.Id, secondPartner.Id), (referral.ClickId, referral.LinkId, referral.PartnerId));
        Assert.Equal(HttpStatusCode.NotFound, noClickInThatMillisecond.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noClickAtAll.StatusCode);
    }

    [Fact]
    public async Task The_same_external_id_twice_in_a_project_is_refused_and_bad_input_writes_nothing()
    {
        var code = (await app.GivenLinkAsync()).Link.Code;
        var client = app.Anonymous();
        var externalId = ApiFactory.Unique("user");
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/referral", new { tracking_id = await client.HitAsync(code), external_id = externalId }, Ct)).StatusCode);
        await using var before = app.Db();
        var count = await before.Referrals.CountAsync(Ct);

        var duplicate = await client.PostAsJsonAsync("/v1/referral", new { tracking_id = await client.HitAsync(code), external_id = externalId }, Ct);
        var unknown = await client.PostAsJsonAsync("/v1/referral", new { tracking_id = Guid.NewGuid() }, Ct);
        var missing = await client.PostAsJsonAsync("/v1/referral", new { external_id = "x" }, Ct);
        var malformed = await client.PostAsync("/v1/referral", new StringContent("{\"tracking_id\": \"not-a-uuid\"}", System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("tracking_id", await missing.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        await using var after = app.Db();
        Assert.Equal(count, await after.Referrals.CountAsync(Ct));
    }

    [Fact]
    public async Task An_inactive_partners_referral_is_stored_discarded()
    {
        var (_, partner, link) = await app.GivenLinkAsync();
        var code = link.Code;
        var client = app.Anonymous();
        var trackingId = await client.HitAsync(code);
        await using (var scope = app.AsUser(Roles.Operator))
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<PartnerService>().SetStatusAsync(partner.Id, PartnerStatus.Inactive, null, Ct)).Succeeded);
        }

        var created = await client.PostAsJsonAsync("/v1/referral", new { tracking_id = trackingId }, Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await using var db = app.Db();
        var referral = await db.Referrals.AsNoTracking().SingleAsync(r => r.TrackingId == trackingId, Ct);
        Assert.Equal((EventStatus.Discarded, DiscardReasons.PartnerInactive), (referral.Status, referral.DiscardReason));
    }

    [Fact]
    public async Task Identify_needs_a_sending_token_and_records_the_partners_own_session_with_the_reported_details()
    {
        var partner = (await app.GivenLinkAsync()).Partner;

        // Anonymous callers can neither plant "own session" addresses nor learn which partners exist.
        var browser = await app.Anonymous().PostAsJsonAsync("/v1/identify", new { partner_id = partner.Id, ip_address = "198.51.100.7", user_agent = "Forged/1.0" }, Ct);
        var probe = await app.Anonymous().PostAsJsonAsync("/v1/identify", new { partner_id = int.MaxValue }, Ct);
        var viewer = await app.Viewer.PostAsJsonAsync("/v1/identify", new { partner_id = partner.Id, ip_address = "198.51.100.7" }, Ct);
        var server = await app.Tracking.PostAsJsonAsync("/v1/identify", new { partner_id = partner.Id, ip_address = "198.51.100.7", user_agent = "Reported/1.0" }, Ct);
        var unknown = await app.Tracking.PostAsJsonAsync("/v1/identify", new { partner_id = int.MaxValue }, Ct);

        Assert.Equal(
            (HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.OK, HttpStatusCode.NotFound),
            (browser.StatusCode, probe.StatusCode, viewer.StatusCode, server.StatusCode, unknown.StatusCode));
        await using var db = app.Db();
        var session = await db.PartnerSessions.AsNoTracking().SingleAsync(s => s.PartnerId == partner.Id, Ct);
        Assert.Equal(("198.51.100.7", "Reported/1.0"), (session.IpAddress, session.UserAgent));
    }
}
