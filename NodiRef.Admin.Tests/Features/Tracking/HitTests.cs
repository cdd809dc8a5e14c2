using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.Projects;
using NodiRef.Admin.Features.Tracking;
using NodiRef.Admin.Tests.Api;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Tracking;

/// <summary>The public hit routes through real HTTP: recording, redirects, discarding, forged headers.</summary>
public sealed class HitTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_hit_for_an_active_partner_is_recorded_with_its_partner_and_project_and_answers_a_tracking_id()
    {
        var (project, partner, link) = await app.GivenLinkAsync(targetUrl: null);
        var client = app.Anonymous();

        var response = await client.GetAsync($"/v1/{link.Code}/hit", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var trackingId = body.GetProperty("tracking_id").GetGuid();
        await using var db = app.Db();
        var click = await db.Clicks.AsNoTracking().SingleAsync(c => c.TrackingId == trackingId, Ct);
        Assert.Equal((link.Id, partner.Id, project.Id, EventStatus.Recorded, (string?)null), (click.LinkId, click.PartnerId, click.ProjectId, click.Status, click.DiscardReason));
        var totals = await TotalsAsync(partner.Id);
        Assert.Equal(new ClickTotals(1, 0), totals);
    }

    [Fact]
    public async Task Redirects_go_to_the_target_or_the_landing_page_with_ref_and_tracking_id()
    {
        var (_, _, withTarget) = await app.GivenLinkAsync(targetUrl: "https://shop.example.com/spring?utm=x");
        var (project, _, withoutTarget) = await app.GivenLinkAsync(targetUrl: null);
        var client = app.Anonymous();

        var viaV1 = await client.GetAsync($"/v1/{withTarget.Code}/hit?redirect=1", Ct);
        var viaShort = await client.GetAsync($"/r/{withoutTarget.Code}", Ct);

        Assert.Equal(HttpStatusCode.Redirect, viaV1.StatusCode);
        var target = viaV1.Headers.Location!.ToString();
        Assert.StartsWith("https://shop.example.com/spring?utm=x&ref=" + withTarget.Code + "&tracking_id=", target, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, viaShort.StatusCode);
        Assert.StartsWith(project.LandingUrl + "?ref=" + withoutTarget.Code + "&tracking_id=", viaShort.Headers.Location!.ToString(), StringComparison.Ordinal);
        var trackingId = Guid.Parse(target[(target.LastIndexOf('=') + 1)..]);
        await using var db = app.Db();
        Assert.True(await db.Clicks.AnyAsync(c => c.TrackingId == trackingId, Ct));
    }

    [Fact]
    public async Task An_inactive_partners_click_is_stored_discarded_counts_nowhere_and_still_redirects()
    {
        var (_, partner, link) = await app.GivenLinkAsync(targetUrl: "https://example.com/landing");
        await SetPartnerStatusAsync(partner.Id, PartnerStatus.Inactive);
        var client = app.Anonymous();

        var response = await client.GetAsync($"/r/{link.Code}", Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var db = app.Db();
        var click = await db.Clicks.AsNoTracking().SingleAsync(c => c.LinkId == link.Id, Ct);
        Assert.Equal((EventStatus.Discarded, DiscardReasons.PartnerInactive), (click.Status, click.DiscardReason));
        Assert.Equal(new ClickTotals(0, 1), await TotalsAsync(partner.Id));
    }

    [Fact]
    public async Task Reactivation_counts_only_later_clicks_and_leaves_earlier_ones_discarded()
    {
        var (_, partner, link) = await app.GivenLinkAsync(targetUrl: null);
        var client = app.Anonymous();
        await SetPartnerStatusAsync(partner.Id, PartnerStatus.Inactive);
        var whileInactive = await client.HitAsync(link.Code);

        await SetPartnerStatusAsync(partner.Id, PartnerStatus.Active);
        var afterwards = await client.HitAsync(link.Code);

        await using var db = app.Db();
        var clicks = await db.Clicks.AsNoTracking().Where(c => c.LinkId == link.Id).ToDictionaryAsync(c => c.TrackingId, c => c.Status, Ct);
        Assert.Equal(EventStatus.Discarded, clicks[whileInactive]);
        Assert.Equal(EventStatus.Recorded, clicks[afterwards]);
        Assert.Equal(new ClickTotals(1, 1), await TotalsAsync(partner.Id));
    }

    [Fact]
    public async Task A_click_on_an_archived_projects_link_is_discarded_and_a_crawlers_too()
    {
        var (project, _, link) = await app.GivenLinkAsync(targetUrl: null);
        var (_, _, other) = await app.GivenLinkAsync(targetUrl: null);
        await using (var scope = app.AsUser(Roles.Admin))
        {
            var projects = scope.ServiceProvider.GetRequiredService<ProjectService>();
            Assert.True((await projects.SetStatusAsync(project.Id, ProjectStatus.Archived, project.Version, Ct)).Succeeded);
        }

        var client = app.Anonymous();
        var archived = await client.HitAsync(link.Code);
        using var crawler = new HttpRequestMessage(HttpMethod.Get, $"/v1/{other.Code}/hit");
        crawler.Headers.UserAgent.ParseAdd("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
        var bot = await (await client.SendAsync(crawler, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        await using var db = app.Db();
        Assert.Equal(DiscardReasons.ProjectArchived, (await db.Clicks.SingleAsync(c => c.TrackingId == archived, Ct)).DiscardReason);
        var botId = bot.GetProperty("tracking_id").GetGuid();
        Assert.Equal(DiscardReasons.Bot, (await db.Clicks.SingleAsync(c => c.TrackingId == botId, Ct)).DiscardReason);
    }

    [Fact]
    public async Task Unknown_codes_are_404_as_json_and_as_a_plain_page_and_write_nothing()
    {
        var client = app.Anonymous();
        await using var before = app.Db();
        var clicks = await before.Clicks.CountAsync(Ct);

        var json = await client.GetAsync("/v1/NoSuchCode99/hit", Ct);
        var page = await client.GetAsync("/r/NoSuchCode99", Ct);
        var malformed = await client.GetAsync("/v1/%3Cscript%3E/hit", Ct);

        Assert.Equal(HttpStatusCode.NotFound, json.StatusCode);
        Assert.Equal("application/problem+json", json.Content.Headers.ContentType?.MediaType);
        Assert.Contains("NoSuchCode99", await json.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Link not found", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
        await using var after = app.Db();
        Assert.Equal(clicks, await after.Clicks.CountAsync(Ct));
    }

    [Fact]
    public async Task Forwarded_client_headers_count_only_from_a_caller_with_a_token_that_may_send()
    {
        var (_, _, link) = await app.GivenLinkAsync(targetUrl: null);

        var forged = await HitWithHeadersAsync(app.Anonymous(), link.Code);
        var viewer = await HitWithHeadersAsync(app.Viewer, link.Code);
        var server = await HitWithHeadersAsync(app.Tracking, link.Code);

        await using var db = app.Db();
        var browserClick = await db.Clicks.SingleAsync(c => c.TrackingId == forged, Ct);
        var viewerClick = await db.Clicks.SingleAsync(c => c.TrackingId == viewer, Ct);
        var serverClick = await db.Clicks.SingleAsync(c => c.TrackingId == server, Ct);
        Assert.NotEqual("203.0.113.9", browserClick.IpAddress);
        Assert.NotEqual("Forwarded Agent/1.0", browserClick.UserAgent);
        Assert.Equal((browserClick.IpAddress, browserClick.UserAgent), (viewerClick.IpAddress, viewerClick.UserAgent));
        Assert.Equal("203.0.113.9", serverClick.IpAddress);
        Assert.Equal("Forwarded Agent/1.0", serverClick.UserAgent);
    }

    [Fact]
    public async Task Many_concurrent_hits_are_each_stored_exactly_once()
    {
        var (_, partner, link) = await app.GivenLinkAsync(targetUrl: null);
        var client = app.Anonymous();

        var ids = await Task.WhenAll(Enumerable.Range(0, 250).Select(_ => client.HitAsync(link.Code)));

        await using var db = app.Db();
        var stored = await db.Clicks.Where(c => c.LinkId == link.Id).Select(c => c.TrackingId).ToListAsync(Ct);
        Assert.Equal(250, ids.Distinct().Count());
        Assert.Equal(ids.Order(), stored.Order());
        Assert.Equal(new ClickTotals(250, 0), await TotalsAsync(partner.Id));
    }

    [Fact]
    public async Task The_rollups_catch_up_with_the_clicks_within_a_second_of_quiet_and_count_each_once()
    {
        var (_, partner, link) = await app.GivenLinkAsync(targetUrl: null);
        var client = app.Anonymous();
        await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => client.HitAsync(link.Code)));

        // Exact at once (the clicks not rolled up yet are counted by the readers) ...
        Assert.Equal(new ClickTotals(40, 0), await TotalsAsync(partner.Id));

        // ... and the rollups themselves hold them soon after, without anything else happening.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        long rolledUp;
        do
        {
            await using var poll = app.Db();
            rolledUp = await poll.ClickDaily.Where(d => d.LinkId == link.Id).SumAsync(d => d.Count, Ct);
            if (rolledUp < 40)
            {
                await Task.Delay(20, Ct);
            }
        }
        while (rolledUp < 40 && DateTime.UtcNow < deadline);

        Assert.Equal(40, rolledUp);
        await using var db = app.Db();
        var newest = await db.Clicks.MaxAsync(c => c.Id, Ct);
        var mark = await db.ClickRollupState.Select(s => s.RolledUpThrough).SingleAsync(Ct);
        if (app.Provider == NodiRef.Admin.Data.DatabaseProvider.Sqlite)
        {
            Assert.True(mark >= (await db.Clicks.Where(c => c.LinkId == link.Id).MaxAsync(c => c.Id, Ct)), $"mark {mark}, newest click {newest}");
        }

        Assert.Equal(new ClickTotals(40, 0), await TotalsAsync(partner.Id));
    }

    [Fact]
    public async Task A_link_edited_or_a_project_archived_after_a_hit_applies_to_the_very_next_hit()
    {
        var (project, _, link) = await app.GivenLinkAsync(targetUrl: "https://old.example.com/");
        var client = app.Anonymous();
        var before = await client.GetAsync($"/v1/{link.Code}/hit?redirect=1", Ct);

        await using (var scope = app.AsUser(Roles.Admin))
        {
            var links = scope.ServiceProvider.GetRequiredService<NodiRef.Admin.Features.ReferralLinks.ReferralLinkService>();
            Assert.True((await links.UpdateAsync(link.Id, new(project.Id, "https://new.example.com/spring", null), null, Ct)).Succeeded);
        }

        var after = await client.GetAsync($"/v1/{link.Code}/hit?redirect=1", Ct);
        await using (var scope = app.AsUser(Roles.Admin))
        {
            var projects = scope.ServiceProvider.GetRequiredService<ProjectService>();
            Assert.True((await projects.SetStatusAsync(project.Id, ProjectStatus.Archived, project.Version, Ct)).Succeeded);
        }

        var archived = await client.HitAsync(link.Code);

        Assert.StartsWith("https://old.example.com/?ref=", before.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("https://new.example.com/spring?ref=", after.Headers.Location!.ToString(), StringComparison.Ordinal);
        await using var db = app.Db();
        Assert.Equal(DiscardReasons.ProjectArchived, (await db.Clicks.SingleAsync(c => c.TrackingId == archived, Ct)).DiscardReason);
    }

    [Fact]
    public async Task When_the_queue_overflows_every_200_is_a_stored_click_and_every_503_is_not()
    {
        var (_, _, link) = await app.GivenLinkAsync(targetUrl: null);
        using var small = await app.WithWebHostBuilder(b => b.UseSetting("Tracking:QueueCapacity", "4")).ReadyAsync();
        var client = small.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 300).Select(_ => client.GetAsync($"/v1/{link.Code}/hit", Ct)));

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        var answered = new List<Guid>();
        foreach (var response in responses.Where(r => r.StatusCode == HttpStatusCode.OK))
        {
            answered.Add((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("tracking_id").GetGuid());
        }

        await using var db = app.Db();
        var stored = await db.Clicks.Where(c => c.LinkId == link.Id).Select(c => c.TrackingId).ToListAsync(Ct);
        Assert.Equal(answered.Order(), stored.Order());
    }

    [Fact]
    public async Task The_rate_limit_answers_429_with_retry_after_per_client_address()
    {
        var (_, _, link) = await app.GivenLinkAsync(targetUrl: null);
        using var limited = await app.WithWebHostBuilder(b => b.UseSetting("Tracking:RequestsPerMinutePerIp", "3")).ReadyAsync();
        var client = limited.CreateClient();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 5; i++)
        {
            last = await client.GetAsync($"/v1/{link.Code}/hit", Ct);
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.True(int.Parse(last!.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal("application/problem+json", last.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Hits_short_links_and_referrals_share_one_budget_per_client_address()
    {
        var (_, _, link) = await app.GivenLinkAsync(targetUrl: "https://shop.example.com/offer");
        using var limited = await app.WithWebHostBuilder(b => b.UseSetting("Tracking:RequestsPerMinutePerIp", "4")).ReadyAsync();
        var client = limited.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var statuses = new List<HttpStatusCode>
        {
            (await client.GetAsync($"/v1/{link.Code}/hit", Ct)).StatusCode,
            (await client.GetAsync($"/r/{link.Code}", Ct)).StatusCode,
            (await client.PostAsJsonAsync("/v1/referral", new { tracking_id = Guid.NewGuid() }, Ct)).StatusCode,
            (await client.GetAsync($"/v1/{link.Code}/hit", Ct)).StatusCode,
            (await client.GetAsync($"/r/{link.Code}", Ct)).StatusCode,
            (await client.PostAsJsonAsync("/v1/referral", new { tracking_id = Guid.NewGuid() }, Ct)).StatusCode,
            (await client.GetAsync($"/v1/{link.Code}/hit", Ct)).StatusCode,
        };

        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.Found, HttpStatusCode.NotFound, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests],
            statuses);
        await using var db = app.Db();
        Assert.Equal(3, await db.Clicks.CountAsync(c => c.LinkId == link.Id, Ct));
    }

    private async Task<Guid> HitWithHeadersAsync(HttpClient client, string code)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/{code}/hit");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9, 10.0.0.1");
        request.Headers.Add("X-User-Agent", "Forwarded Agent/1.0");
        var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("tracking_id").GetGuid();
    }

    private async Task SetPartnerStatusAsync(int partnerId, PartnerStatus status)
    {
        await using var scope = app.AsUser(Roles.Operator);
        var result = await scope.ServiceProvider.GetRequiredService<PartnerService>().SetStatusAsync(partnerId, status, null, Ct);
        Assert.True(result.Succeeded, result.Describe());
    }

    private async Task<ClickTotals> TotalsAsync(int partnerId)
    {
        await using var scope = app.AsUser(Roles.Viewer);
        return (await scope.ServiceProvider.GetRequiredService<ClickService>().TotalsForPartnerAsync(partnerId, Ct)).Value!;
    }
}
