using System.Diagnostics;
using System.Net;
using System.Text.Json;
using NodiRef.Admin.Tests.Api;
using NodiRef.Admin.Tests.Features.Tracking;

namespace NodiRef.Admin.Tests.Features.Rewards;

/// <summary>The public event sequence and the reward rules, arranged through real HTTP as the customer's systems would.</summary>
internal static class RewardFlow
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    /// <summary>A rule set scoped to <paramref name="projectId"/> with one action; the rule set's id.</summary>
    public static async Task<int> GivenRuleAsync(this ApiFactory app, int projectId, string rewardType, decimal amount, decimal? cap = null,
        string currency = "USD", string actionType = "purchase", DateTime? startsAt = null, DateTime? endsAt = null)
    {
        var set = (await app.Admin.PostApiAsync("/api/rewards/rule-sets", ApiHttp.Body(new Dictionary<string, object?>
        {
            ["name"] = ApiFactory.Unique("Rules "),
            ["scope"] = "project",
            ["scope_id"] = projectId,
            ["starts_at"] = startsAt,
            ["ends_at"] = endsAt,
        }))).AssertOne(HttpStatusCode.Created);
        await app.GivenActionAsync(set.Int("id"), rewardType, amount, cap, currency, actionType);
        return set.Int("id");
    }

    public static async Task<JsonElement> GivenActionAsync(this ApiFactory app, int ruleSetId, string rewardType, decimal amount, decimal? cap = null, string currency = "USD", string actionType = "purchase") =>
        (await app.Admin.PostApiAsync("/api/rewards/actions", ApiHttp.Body(new Dictionary<string, object?>
        {
            ["rule_set_id"] = ruleSetId,
            ["action_type"] = actionType,
            ["reward_type"] = rewardType,
            ["reward_amount"] = amount,
            ["max_cap"] = cap,
            ["currency"] = currency,
        }))).AssertOne(HttpStatusCode.Created);

    /// <summary>Hit, then referral: the referral id a landing page's backend would keep.</summary>
    public static async Task<Guid> GivenReferralAsync(this HttpClient client, string code, string? externalId = null)
    {
        var trackingId = await client.HitAsync(code);
        var created = await client.PostApiAsync("/v1/referral", ApiHttp.Body(new { tracking_id = trackingId, external_id = externalId }));
        Assert.True(created.Status == HttpStatusCode.Created, created.ToString());
        return Guid.Parse(created.Json.Str("referral_id"));
    }

    public static Task<ApiAnswer> ConvertAsync(this HttpClient client, Guid referralId, decimal amount, string currency = "USD", string? key = null, string eventType = "purchase")
    {
        var body = ApiHttp.Body(new
        {
            referral_id = referralId,
            event_type = eventType,
            payload = new { product_id = "plan-pro", amount, currency },
        });
        return key is null ? client.PostApiAsync("/v1/convert", body) : client.PostApiAsync("/v1/convert", body, ("Idempotency-Key", key));
    }

    /// <summary>POST /v1/convert, which must be accepted for processing; the conversion id.</summary>
    public static async Task<Guid> ConvertOkAsync(this HttpClient client, Guid referralId, decimal amount, string currency = "USD", string? key = null)
    {
        var answer = await client.ConvertAsync(referralId, amount, currency, key);
        Assert.True(answer.Status == HttpStatusCode.Accepted, answer.ToString());
        return Guid.Parse(answer.Json.Str("conversion_id"));
    }

    /// <summary>Waits until the processor has decided on a conversion (at most <paramref name="within"/>); its final state.</summary>
    public static async Task<JsonElement> ProcessedAsync(this ApiFactory app, Guid conversionId, TimeSpan? within = null)
    {
        var limit = within ?? TimeSpan.FromSeconds(10);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var conversion = (await app.Admin.GetApiAsync($"/api/conversions/{conversionId}")).AssertOne();
            if (conversion.Str("status") != "pending")
            {
                return conversion;
            }

            Assert.True(watch.Elapsed < limit, $"Conversion {conversionId} was still pending after {limit.TotalSeconds} s.");
            await Task.Delay(20, Ct);
        }
    }

    public static async Task<List<JsonElement>> RewardsOfPartnerAsync(this ApiFactory app, int partnerId) =>
        (await app.Admin.GetApiAsync($"/api/rewards?filter[partner_id]={partnerId}&page[size]=100&sort=created_at")).AssertList();

    public static decimal Amount(this JsonElement e, string name = "amount") => e.GetProperty(name).GetDecimal();
}
