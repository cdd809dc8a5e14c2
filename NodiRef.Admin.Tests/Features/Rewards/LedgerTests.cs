using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Rewards;
using NodiRef.Admin.Tests.Api;
using NodiRef.Admin.Tests.Features.Tracking;

namespace NodiRef.Admin.Tests.Features.Rewards;

/// <summary>The rewards ledger through the API: approve, pay, reverse, refunds, and the partner's totals.</summary>
public sealed class LedgerTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    /// <summary>A partner whose one purchase of <paramref name="amount"/> earned a 10% reward (processed).</summary>
    private async Task<(int PartnerId, Guid ConversionId, JsonElement Reward)> GivenRewardAsync(decimal amount = 200m)
    {
        var (project, partner, link) = await app.GivenLinkAsync();
        await app.GivenRuleAsync(project.Id, "percentage", 10m);
        var client = app.Anonymous();
        var conversionId = await app.Tracking.ConvertOkAsync(await client.GivenReferralAsync(link.Code), amount);
        Assert.Equal("accepted", (await app.ProcessedAsync(conversionId)).Str("status"));
        return (partner.Id, conversionId, Assert.Single(await app.RewardsOfPartnerAsync(partner.Id)));
    }

    private async Task<PartnerActivityTotals> TotalsAsync(int partnerId)
    {
        await using var scope = app.AsUser(Roles.Viewer);
        return (await scope.ServiceProvider.GetRequiredService<RewardService>().TotalsForPartnerAsync(partnerId, Ct)).Value!;
    }

    private Task<ApiAnswer> MoveAsync(long id, string verb, string? note = null, HttpClient? client = null) =>
        (client ?? app.Operator).PostApiAsync($"/api/rewards/{id}/{verb}", ApiHttp.Body(new { note }));

    [Fact]
    public async Task A_reward_moves_pending_approved_paid_with_its_history_and_the_totals_follow()
    {
        var (partnerId, _, reward) = await GivenRewardAsync();
        var id = reward.Long("id");
        Assert.Equal(new RewardBalance("USD", 20m, 0m, 0m), Assert.Single((await TotalsAsync(partnerId)).Rewards));

        (await MoveAsync(id, "pay")).AssertProblem(HttpStatusCode.Conflict);
        var approved = (await MoveAsync(id, "approve", "Checked")).AssertOne();
        Assert.Equal(new RewardBalance("USD", 0m, 20m, 0m), Assert.Single((await TotalsAsync(partnerId)).Rewards));
        (await app.Operator.PostApiAsync($"/api/rewards/{id}/pay", ApiHttp.Body(new { version = reward.Long("version") }))).AssertProblem(HttpStatusCode.Conflict);
        var paid = (await app.Operator.PostApiAsync($"/api/rewards/{id}/pay", "{}", ("If-Match", $"W/\"{approved.Long("version")}\""))).AssertOne();
        (await MoveAsync(id, "approve", client: app.Viewer)).AssertProblem(HttpStatusCode.Forbidden);

        Assert.Equal("approved", approved.Str("status"));
        Assert.Equal("paid", paid.Str("status"));
        var totals = await TotalsAsync(partnerId);
        Assert.Equal(new RewardBalance("USD", 0m, 0m, 20m), Assert.Single(totals.Rewards));
        Assert.Equal((1L, 1L, 0L), (totals.Referrals, totals.Conversions, totals.ConversionsInReview));
        var history = (await app.Viewer.GetApiAsync($"/api/rewards/{id}?include=history")).AssertOne().GetProperty("history").EnumerateArray()
            .Select(h => (h.GetProperty("from_status").ValueKind == JsonValueKind.Null ? null : h.Str("from_status"), h.Str("to_status"))).ToList();
        Assert.Equal([(null, "pending"), ("pending", "approved"), ("approved", "paid")], history);
    }

    [Fact]
    public async Task Reversing_an_unpaid_reward_appends_a_negative_entry_and_neither_counts()
    {
        var (partnerId, _, reward) = await GivenRewardAsync();
        var id = reward.Long("id");

        (await MoveAsync(id, "reverse")).AssertFieldError("note");
        var reversal = (await MoveAsync(id, "reverse", "Duplicate order")).AssertOne();
        var again = await MoveAsync(id, "reverse", "Twice");

        Assert.Equal((-20m, id, "reversed", "Duplicate order"), (reversal.Amount(), reversal.Long("reverses_reward_id"), reversal.Str("status"), reversal.Str("note")));
        again.AssertProblem(HttpStatusCode.Conflict);
        var ledger = await app.RewardsOfPartnerAsync(partnerId);
        Assert.Equal([(20m, "reversed"), (-20m, "reversed")], ledger.Select(r => (r.Amount(), r.Str("status"))).ToList());
        Assert.Empty((await TotalsAsync(partnerId)).Rewards);
        (await MoveAsync(reversal.Long("id"), "reverse", "Undo")).AssertProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Reversing_a_paid_reward_keeps_it_paid_and_makes_the_reversal_due_back()
    {
        var (partnerId, _, reward) = await GivenRewardAsync();
        var id = reward.Long("id");
        (await MoveAsync(id, "approve")).AssertOne();
        (await MoveAsync(id, "pay")).AssertOne();

        var reversal = (await MoveAsync(id, "reverse", "Chargeback")).AssertOne();

        Assert.Equal((-20m, "approved"), (reversal.Amount(), reversal.Str("status")));
        Assert.Equal(new RewardBalance("USD", 0m, -20m, 20m), Assert.Single((await TotalsAsync(partnerId)).Rewards));
        Assert.Equal("paid", (await app.Admin.GetApiAsync($"/api/rewards/{id}")).AssertOne().Str("status"));
    }

    [Fact]
    public async Task A_refund_sent_as_a_conversion_reversal_takes_back_its_share_of_the_rewards()
    {
        var (partnerId, conversionId, reward) = await GivenRewardAsync(200m);
        var client = app.Anonymous();
        string Refund(decimal? amount) => ApiHttp.Body(new { event_type = "refund", payload = new { conversion_id = conversionId, amount } });

        var partial = Guid.Parse((await app.Tracking.PostApiAsync("/v1/convert", Refund(50m))).Json.Str("conversion_id"));
        Assert.Equal("accepted", (await app.ProcessedAsync(partial)).Str("status"));
        var tooMuch = await app.Tracking.PostApiAsync("/v1/convert", Refund(151m));
        var rest = Guid.Parse((await app.Tracking.PostApiAsync("/v1/convert", Refund(null))).Json.Str("conversion_id"));
        await app.ProcessedAsync(rest);
        var nothingLeft = await app.Tracking.PostApiAsync("/v1/convert", Refund(null));

        tooMuch.AssertFieldError("payload.amount", HttpStatusCode.Conflict);
        nothingLeft.AssertProblem(HttpStatusCode.Conflict);
        var ledger = await app.RewardsOfPartnerAsync(partnerId);
        Assert.Equal([20m, -5m, -15m], ledger.Select(r => r.Amount()).ToList());
        Assert.All(ledger.Skip(1), r => Assert.Equal(reward.Long("id"), r.Long("reverses_reward_id")));
        Assert.All(ledger, r => Assert.Equal("reversed", r.Str("status")));
        Assert.Empty((await TotalsAsync(partnerId)).Rewards);
        var refunds = (await app.Admin.GetApiAsync($"/api/conversions?filter[partner_id]={partnerId}&filter[event_type]=refund")).AssertList(total: 2);
        Assert.All(refunds, r => Assert.Equal(conversionId.ToString(), r.Str("reverses_conversion_id")));
    }

    [Fact]
    public async Task A_partial_refund_of_an_unpaid_reward_moves_with_it_through_approval_and_payment()
    {
        var (partnerId, conversionId, reward) = await GivenRewardAsync(200m);
        var refund = (await app.Operator.PostApiAsync($"/api/conversions/{conversionId}/refund", ApiHttp.Body(new { amount = 100m, note = "Half returned" }))).AssertOne(HttpStatusCode.Created);
        Assert.Equal(("refund", "accepted", 100m), (refund.Str("event_type"), refund.Str("status"), refund.Amount()));
        Assert.Equal(new RewardBalance("USD", 10m, 0m, 0m), Assert.Single((await TotalsAsync(partnerId)).Rewards));

        (await MoveAsync(reward.Long("id"), "approve")).AssertOne();
        Assert.Equal(new RewardBalance("USD", 0m, 10m, 0m), Assert.Single((await TotalsAsync(partnerId)).Rewards));
        (await MoveAsync(reward.Long("id"), "pay")).AssertOne();

        Assert.Equal(new RewardBalance("USD", 0m, 0m, 10m), Assert.Single((await TotalsAsync(partnerId)).Rewards));
        (await app.Viewer.PostApiAsync($"/api/conversions/{conversionId}/refund", "{}")).AssertProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Ledger_lists_filter_by_partner_project_status_currency_and_date()
    {
        var (partnerId, _, reward) = await GivenRewardAsync();
        var today = app.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var tomorrow = app.Clock.GetUtcNow().UtcDateTime.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var hit = (await app.Viewer.GetApiAsync($"/api/rewards?filter[partner_id]={partnerId}&filter[project_id]={reward.Int("project_id")}&filter[status]=pending&filter[currency]=usd&filter[date_from]={today}&filter[date_to]={today}")).AssertList(total: 1);
        var none = (await app.Viewer.GetApiAsync($"/api/rewards?filter[partner_id]={partnerId}&filter[date_from]={tomorrow}")).AssertList(total: 0);

        Assert.Equal(reward.Long("id"), Assert.Single(hit).Long("id"));
        Assert.Empty(none);
        (await app.Viewer.GetApiAsync("/api/rewards?filter[status]=owed")).AssertFieldError("filter[status]");
        (await app.Viewer.GetApiAsync("/api/rewards?filter[date_from]=25-11-2026")).AssertFieldError("filter[date_from]");
        (await app.Viewer.GetApiAsync($"/api/rewards?filter[date_from]={tomorrow}&filter[date_to]={today}")).AssertFieldError("filter[date_to]");
        (await app.Viewer.GetApiAsync("/api/rewards?filter[currency]=dollars")).AssertFieldError("filter[currency]");
        (await app.Viewer.GetApiAsync("/api/conversions?filter[event_type]=gift")).AssertFieldError("filter[event_type]");
        (await app.Viewer.GetApiAsync("/api/clicks?filter[code]=x")).AssertFieldError("filter[code]");
    }
}
