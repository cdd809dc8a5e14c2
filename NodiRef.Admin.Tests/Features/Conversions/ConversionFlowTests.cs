using System.Diagnostics;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.Rewards;
using NodiRef.Admin.Tests.Api;
using NodiRef.Admin.Tests.Support;
using NodiRef.Admin.Tests.Features.Tracking;
using NodiRef.Admin.Tests.Features.Rewards;

namespace NodiRef.Admin.Tests.Features.Conversions;

/// <summary>Hit -> referral -> convert -> reward through real HTTP, for active and inactive partners.</summary>
public sealed class ConversionFlowTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private async Task SetPartnerStatusAsync(int partnerId, PartnerStatus status)
    {
        await using var scope = app.AsUser(Roles.Operator);
        Assert.True((await scope.ServiceProvider.GetRequiredService<PartnerService>().SetStatusAsync(partnerId, status, null, Ct)).Succeeded);
    }

    [Fact]
    public async Task An_active_partners_purchase_is_accepted_within_a_second_and_earns_the_capped_rewards()
    {
        var (project, partner, link) = await app.GivenLinkAsync();
        var setId = await app.GivenRuleAsync(project.Id, "percentage", 10m);
        await app.GivenActionAsync(setId, "fixed", 5m, currency: "EUR");
        await app.GivenActionAsync(setId, "percentage", 50m, cap: 20m);
        var client = app.Anonymous();
        var referralId = await client.GivenReferralAsync(link.Code, ApiFactory.Unique("user"));

        var answer = await app.Tracking.ConvertAsync(referralId, 99.99m);
        var sent = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.Accepted, answer.Status);
        Assert.Equal("pending", answer.Json.Str("status"));
        var conversionId = Guid.Parse(answer.Json.Str("conversion_id"));
        Assert.Equal($"/api/conversions/{conversionId}", answer.Location);
        var processed = await app.ProcessedAsync(conversionId, TimeSpan.FromSeconds(1));

        Assert.True(sent.Elapsed < TimeSpan.FromSeconds(1), $"took {sent.ElapsedMilliseconds} ms");
        Assert.Equal("accepted", processed.Str("status"));
        Assert.Equal((partner.Id, project.Id, link.Code), (processed.Int("partner_id"), processed.Int("project_id"), processed.Str("code")));
        var rewards = await app.RewardsOfPartnerAsync(partner.Id);
        Assert.Equal(
            [(10.00m, "USD"), (5m, "EUR"), (20m, "USD")],
            rewards.Select(r => (r.Amount(), r.Str("currency"))).ToList());
        Assert.All(rewards, r => Assert.Equal(("pending", conversionId.ToString(), setId), (r.Str("status"), r.Str("conversion_id"), r.Int("rule_set_id"))));
    }

    [Fact]
    public async Task An_inactive_partners_events_are_all_discarded_without_reward_and_the_visitor_is_still_redirected()
    {
        var (project, partner, link) = await app.GivenLinkAsync("https://shop.example.com/welcome");
        await app.GivenRuleAsync(project.Id, "fixed", 7m);
        await SetPartnerStatusAsync(partner.Id, PartnerStatus.Inactive);
        var client = app.Anonymous();

        var redirect = await client.GetAsync($"/r/{link.Code}", Ct);
        var referralId = await client.GivenReferralAsync(link.Code);
        var processed = await app.ProcessedAsync(await app.Tracking.ConvertOkAsync(referralId, 50m));

        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        Assert.StartsWith("https://shop.example.com/welcome", redirect.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(("discarded", DiscardReasons.PartnerInactive), (processed.Str("status"), processed.Str("reason")));
        Assert.Empty(await app.RewardsOfPartnerAsync(partner.Id));
        var referral = Assert.Single((await app.Admin.GetApiAsync($"/api/referrals?filter[partner_id]={partner.Id}")).AssertList());
        Assert.Equal(("discarded", "partner_inactive"), (referral.Str("status"), referral.Str("discard_reason")));
        var clicks = (await app.Admin.GetApiAsync($"/api/clicks?filter[partner_id]={partner.Id}&filter[status]=discarded")).AssertList(total: 2);
        Assert.All(clicks, c => Assert.Equal("partner_inactive", c.Str("discard_reason")));
        await using var scope = app.AsUser(Roles.Viewer);
        var totals = (await scope.ServiceProvider.GetRequiredService<RewardService>().TotalsForPartnerAsync(partner.Id, Ct)).Value!;
        Assert.Equal((0L, 0L, 0L), (totals.Referrals, totals.Conversions, totals.ConversionsInReview));
        Assert.Empty(totals.Rewards);
    }

    [Fact]
    public async Task Reactivation_applies_only_to_conversions_that_arrive_afterwards()
    {
        var (project, partner, link) = await app.GivenLinkAsync();
        await app.GivenRuleAsync(project.Id, "fixed", 3m);
        var client = app.Anonymous();
        var referralId = await client.GivenReferralAsync(link.Code);
        await SetPartnerStatusAsync(partner.Id, PartnerStatus.Inactive);
        var before = await app.ProcessedAsync(await app.Tracking.ConvertOkAsync(referralId, 10m));

        await SetPartnerStatusAsync(partner.Id, PartnerStatus.Active);
        var after = await app.ProcessedAsync(await app.Tracking.ConvertOkAsync(referralId, 10m));

        Assert.Equal("discarded", (await app.ProcessedAsync(Guid.Parse(before.Str("id")))).Str("status"));
        Assert.Equal("accepted", after.Str("status"));
        var reward = Assert.Single(await app.RewardsOfPartnerAsync(partner.Id));
        Assert.Equal(after.Str("id"), reward.Str("conversion_id"));
    }

    [Fact]
    public async Task The_same_conversion_sent_twice_is_recorded_once_and_both_calls_get_the_same_answer()
    {
        var (project, partner, link) = await app.GivenLinkAsync();
        await app.GivenRuleAsync(project.Id, "fixed", 4m);
        var client = app.Anonymous();
        var referralId = await client.GivenReferralAsync(link.Code);
        var key = ApiFactory.Unique("order-");

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.Tracking.ConvertAsync(referralId, 25m, key: key)));
        var later = await app.Tracking.ConvertAsync(referralId, 25m, key: key);
        var byField = await app.Tracking.PostApiAsync("/v1/convert", ApiHttp.Body(new { referral_id = referralId, event_type = "purchase", event_id = key, payload = new { product_id = "plan-pro", amount = 25m, currency = "USD" } }));
        var different = await app.Tracking.ConvertAsync(referralId, 26m, key: key);

        Assert.All(answers.Append(later).Append(byField), a => Assert.Equal((HttpStatusCode.Accepted, answers[0].Text), (a.Status, a.Text)));
        Assert.Equal("true", later.Header("Idempotent-Replayed"));
        different.AssertProblem(HttpStatusCode.UnprocessableEntity);
        await app.ProcessedAsync(Guid.Parse(answers[0].Json.Str("conversion_id")));
        await using var db = app.Db();
        Assert.Equal(1, await db.Conversions.CountAsync(c => c.PartnerId == partner.Id, Ct));
        Assert.Single(await app.RewardsOfPartnerAsync(partner.Id));
    }

    [Fact]
    public async Task An_event_id_and_a_different_idempotency_key_are_refused_as_ambiguous()
    {
        var link = (await app.GivenLinkAsync()).Link;
        var client = app.Anonymous();
        var referralId = await client.GivenReferralAsync(link.Code);

        var answer = await app.Tracking.PostApiAsync("/v1/convert",
            ApiHttp.Body(new { referral_id = referralId, event_type = "purchase", event_id = "a", payload = new { product_id = "p", amount = 1m, currency = "USD" } }),
            ("Idempotency-Key", "b"));

        answer.AssertFieldError("event_id");
    }

    [Fact]
    public async Task Bad_conversions_get_a_clear_error_and_nothing_is_written()
    {
        var link = (await app.GivenLinkAsync()).Link;
        var client = app.Anonymous();
        var externalId = ApiFactory.Unique("user");
        var referralId = await client.GivenReferralAsync(link.Code, externalId);
        await using var before = app.Db();
        var count = await before.Conversions.CountAsync(Ct);

        string Purchase(object payload, object? referral = null) =>
            ApiHttp.Body(new { referral_id = referral ?? referralId, event_type = "purchase", payload });

        (await app.Tracking.PostApiAsync("/v1/convert", Purchase(new { product_id = "p", amount = -1m, currency = "USD" }))).AssertFieldError("payload.amount");
        (await app.Tracking.PostApiAsync("/v1/convert", Purchase(new { product_id = "p", amount = 1m, currency = "XYZ" }))).AssertFieldError("payload.currency");
        (await app.Tracking.PostApiAsync("/v1/convert", Purchase(new { amount = 1m, currency = "USD" }))).AssertFieldError("payload.product_id");
        (await app.Tracking.PostApiAsync("/v1/convert", Purchase(new { product_id = "p", currency = "USD" }))).AssertFieldError("payload.amount");
        (await app.Tracking.PostApiAsync("/v1/convert", Purchase(new { product_id = "p", amount = 1m, currency = "USD", meta = "text" }))).AssertFieldError("payload.meta");
        (await app.Tracking.PostApiAsync("/v1/convert", ApiHttp.Body(new { referral_id = referralId, event_type = "gift", payload = new { amount = 1m, currency = "USD" } }))).AssertFieldError("event_type");
        (await app.Tracking.PostApiAsync("/v1/convert", ApiHttp.Body(new { event_type = "purchase", payload = new { product_id = "p", amount = 1m, currency = "USD" } }))).AssertFieldError("referral_id");
        (await app.Tracking.PostApiAsync("/v1/convert", ApiHttp.Body(new { referral_id = referralId, event_type = "subscription" }))).AssertFieldError("payload");
        (await app.Tracking.PostApiAsync("/v1/convert", Purchase(new { product_id = "p", amount = 1m, currency = "USD" }, Guid.NewGuid()))).AssertProblem(HttpStatusCode.NotFound);
        (await app.Tracking.PostApiAsync("/v1/convert", ApiHttp.Body(new { external_id = "nobody-" + externalId, event_type = "purchase", payload = new { product_id = "p", amount = 1m, currency = "USD" } }))).AssertProblem(HttpStatusCode.NotFound);
        (await app.Tracking.PostApiAsync("/v1/convert", "{\"referral_id\": \"x\"}")).AssertProblem(HttpStatusCode.BadRequest);
        var huge = Purchase(new { product_id = "p", amount = 1m, currency = "USD", meta = new { note = new string('x', 70_000) } });
        (await app.Tracking.PostApiAsync("/v1/convert", huge)).AssertProblem(HttpStatusCode.RequestEntityTooLarge);

        await using var after = app.Db();
        Assert.Equal(count, await after.Conversions.CountAsync(Ct));
        var byExternalId = await app.Tracking.PostApiAsync("/v1/convert", ApiHttp.Body(new { external_id = externalId, event_type = "subscription", payload = new { plan = "pro", amount = 9m, currency = "eur", meta = new { seats = 3 } } }));
        Assert.Equal(HttpStatusCode.Accepted, byExternalId.Status);
        await using var stored = app.Db();
        var conversion = await stored.Conversions.AsNoTracking().SingleAsync(c => c.PublicId == Guid.Parse(byExternalId.Json.Str("conversion_id")), Ct);
        Assert.Equal(("subscription", "EUR", 9m, "pro", "{\"seats\":3}"), (conversion.EventType, conversion.Currency, conversion.Amount, conversion.Plan, conversion.Meta));
    }

    [Fact]
    public async Task Convert_needs_a_token_that_may_send_and_forwarded_client_headers_count_from_it()
    {
        var (project, partner, link) = await app.GivenLinkAsync();
        await app.GivenRuleAsync(project.Id, "fixed", 5m);
        var browser = app.Anonymous();
        var referralId = await browser.GivenReferralAsync(link.Code);
        (string, string)[] forged = [("X-Forwarded-For", "203.0.113.9"), ("X-User-Agent", "Forged/1.0")];
        var body = ApiHttp.Body(new { referral_id = referralId, event_type = "purchase", payload = new { product_id = "p", amount = 1_000_000m, currency = "EUR" } });
        await using (var before = app.Db())
        {
            Assert.Equal(0, await before.Conversions.CountAsync(c => c.PartnerId == partner.Id, Ct));
        }

        // Anyone on the internet: no credential, no conversion (and no key taken).
        var anonymous = await browser.PostApiAsync("/v1/convert", body, [.. forged, ("Idempotency-Key", "order-1002")]);
        var badToken = await app.Client("nr_notatoken_0000").PostApiAsync("/v1/convert", body);
        var viewer = await app.Viewer.PostApiAsync("/v1/convert", body);
        var refund = await browser.PostApiAsync("/v1/convert", ApiHttp.Body(new { event_type = "refund", payload = new { original_event_id = "order-1002" } }));
        anonymous.AssertProblem(HttpStatusCode.Unauthorized);
        badToken.AssertProblem(HttpStatusCode.Unauthorized);
        viewer.AssertProblem(HttpStatusCode.Forbidden);
        refund.AssertProblem(HttpStatusCode.Unauthorized);
        await using (var db = app.Db())
        {
            Assert.Equal(0, await db.Conversions.CountAsync(c => c.PartnerId == partner.Id, Ct));
        }

        // The shop's backend, forwarding its visitor: accepted, with the visitor's details, and the key is its own.
        var sent = await app.Tracking.PostApiAsync("/v1/convert", body, [.. forged, ("Idempotency-Key", "order-1002")]);
        var fromServer = Guid.Parse(sent.Json.Str("conversion_id"));
        Assert.Equal(HttpStatusCode.Accepted, sent.Status);
        await app.ProcessedAsync(fromServer);

        await using var stored = app.Db();
        var serverRow = await stored.Conversions.AsNoTracking().SingleAsync(c => c.PublicId == fromServer, Ct);
        Assert.Equal(("203.0.113.9", "Forged/1.0", "order-1002"), (serverRow.IpAddress, serverRow.UserAgent, serverRow.EventKey));
        Assert.NotNull(serverRow.TokenId);
    }

    [Fact]
    public async Task Idempotency_keys_belong_to_the_token_that_sent_them()
    {
        var (project, partner, link) = await app.GivenLinkAsync();
        await app.GivenRuleAsync(project.Id, "fixed", 5m);
        var referralId = await app.Anonymous().GivenReferralAsync(link.Code);
        var other = app.Client(await app.CreateTokenAsync(Roles.Tracking));
        var key = ApiFactory.Unique("order-");

        // Another sender (a second shop, or an attacker holding some other token) uses the key first...
        var first = await other.ConvertAsync(referralId, 5m, key: key);
        // ...and this backend's genuine request with that key is still recorded, then replayed only to itself.
        var genuine = await app.Tracking.ConvertAsync(referralId, 99m, key: key);
        var retry = await app.Tracking.ConvertAsync(referralId, 99m, key: key);
        var refund = await app.Tracking.PostApiAsync("/v1/convert", ApiHttp.Body(new { event_type = "refund", payload = new { original_event_id = key, amount = 9m } }));

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.Status, genuine.Status, retry.Status));
        Assert.NotEqual(first.Json.Str("conversion_id"), genuine.Json.Str("conversion_id"));
        Assert.Equal(genuine.Json.Str("conversion_id"), retry.Json.Str("conversion_id"));
        Assert.Equal(HttpStatusCode.Accepted, refund.Status);
        await using var db = app.Db();
        var original = await db.Conversions.AsNoTracking().SingleAsync(c => c.PublicId == Guid.Parse(genuine.Json.Str("conversion_id")), Ct);
        var refundRow = await db.Conversions.AsNoTracking().SingleAsync(c => c.PublicId == Guid.Parse(refund.Json.Str("conversion_id")), Ct);
        Assert.Equal((99m, original.Id), (original.Amount, refundRow.ReversesConversionId));
    }

    [Fact]
    public async Task A_conversion_from_the_partners_own_session_is_held_as_suspicious_until_a_person_decides()
    {
        var (project, partner, link) = await app.GivenLinkAsync();
        await app.GivenRuleAsync(project.Id, "fixed", 5m);
        var server = app.Tracking;
        (string, string)[] from = [("X-Forwarded-For", "198.51.100.23")];
        Assert.Equal(HttpStatusCode.OK, (await server.PostApiAsync("/v1/identify", ApiHttp.Body(new { partner_id = partner.Id }), from)).Status);
        var referralId = await app.Anonymous().GivenReferralAsync(link.Code);
        var body = ApiHttp.Body(new { referral_id = referralId, event_type = "purchase", payload = new { product_id = "p", amount = 10m, currency = "USD" } });
        var held = await app.ProcessedAsync(Guid.Parse((await server.PostApiAsync("/v1/convert", body, from)).Json.Str("conversion_id")));
        var second = await app.ProcessedAsync(Guid.Parse((await server.PostApiAsync("/v1/convert", body, from)).Json.Str("conversion_id")));

        Assert.Equal(("suspicious", "self_referral"), (held.Str("status"), held.Str("reason")));
        Assert.Empty(await app.RewardsOfPartnerAsync(partner.Id));

        (await app.Operator.PostApiAsync($"/api/conversions/{held.Str("id")}/reject", "{}")).AssertFieldError("note");
        var rejected = (await app.Operator.PostApiAsync($"/api/conversions/{second.Str("id")}/reject", ApiHttp.Body(new { note = "Own purchase" }))).AssertOne();
        var accepted = (await app.Operator.PostApiAsync($"/api/conversions/{held.Str("id")}/accept", ApiHttp.Body(new { note = "Checked: a colleague" }), ("If-Match", $"W/\"{held.Long("version")}\""))).AssertOne();
        var again = await app.Operator.PostApiAsync($"/api/conversions/{held.Str("id")}/accept", "{}");
        var viewer = await app.Viewer.PostApiAsync($"/api/conversions/{second.Str("id")}/accept", "{}");

        Assert.Equal(("rejected", "Own purchase"), (rejected.Str("status"), rejected.Str("review_note")));
        Assert.Equal(("accepted", "Checked: a colleague"), (accepted.Str("status"), accepted.Str("review_note")));
        again.AssertProblem(HttpStatusCode.Conflict);
        viewer.AssertProblem(HttpStatusCode.Forbidden);
        var reward = Assert.Single(await app.RewardsOfPartnerAsync(partner.Id));
        Assert.Equal((5m, held.Str("id")), (reward.Amount(), reward.Str("conversion_id")));
    }

    [Fact]
    public async Task The_address_limit_holds_browsers_and_a_refused_call_writes_nothing_while_a_token_holders_conversions_pass()
    {
        var link = (await app.GivenLinkAsync()).Link;
        var referralId = await app.Anonymous().GivenReferralAsync(link.Code);
        using var limited = await app.WithWebHostBuilder(b => b.UseSetting("Tracking:RequestsPerMinutePerIp", "2")).ReadyAsync();
        var browser = limited.CreateClient();
        var backend = limited.CreateClient();
        backend.DefaultRequestHeaders.Authorization = app.Tracking.DefaultRequestHeaders.Authorization;

        var referrals = new List<ApiAnswer>();
        for (var i = 0; i < 3; i++)
        {
            var trackingId = await app.Anonymous().HitAsync(link.Code);
            referrals.Add(await browser.PostApiAsync("/v1/referral", ApiHttp.Body(new { tracking_id = trackingId, external_id = $"limited-{referralId}-{i}" })));
        }

        // A shop's backend sends for all its visitors from one address: its token, not the address, is what counts.
        var conversions = new List<ApiAnswer>();
        for (var i = 0; i < 4; i++)
        {
            conversions.Add(await backend.ConvertAsync(referralId, 10m, key: $"limited-{referralId}-{i}"));
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], referrals.Select(r => r.Status).ToList());
        referrals[2].AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.NotNull(referrals[2].Header("Retry-After"));
        Assert.All(conversions, c => Assert.Equal(HttpStatusCode.Accepted, c.Status));
        await using var db = app.Db();
        Assert.False(await db.Referrals.AnyAsync(r => r.ExternalId == $"limited-{referralId}-2", Ct));
    }
}
