using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace NodiRef.Admin.Tests.EndToEnd;

/// <summary>The public tracking API as a landing page and a billing backend call it, over real HTTP.</summary>
public static class PublicApiCalls
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>GET /v1/{code}/hit, then POST /v1/referral: the referral id.</summary>
    public static async Task<Guid> SignUpAsync(this HttpClient client, string code, string? externalId = null)
    {
        var hit = await client.GetAsync($"v1/{code}/hit", Ct);
        Assert.True(hit.StatusCode == HttpStatusCode.OK, $"Hit on {code}: {(int)hit.StatusCode} {await hit.Content.ReadAsStringAsync(Ct)}");
        var trackingId = (await hit.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("tracking_id").GetGuid();
        var referral = await client.PostAsJsonAsync("v1/referral", new { tracking_id = trackingId, external_id = externalId }, Ct);
        Assert.True(referral.StatusCode == HttpStatusCode.Created, $"Referral: {(int)referral.StatusCode} {await referral.Content.ReadAsStringAsync(Ct)}");
        return (await referral.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("referral_id").GetGuid();
    }

    /// <summary>POST /v1/convert of a purchase (or another event type); the conversion id.</summary>
    public static async Task<Guid> ConvertAsync(this HttpClient client, Guid referralId, decimal amount, string currency, string productId = "plan-pro", string eventType = "purchase")
    {
        object payload = eventType == "subscription"
            ? new { plan = productId, amount, currency }
            : new { product_id = productId, amount, currency };
        var converted = await client.PostAsJsonAsync("v1/convert", new { referral_id = referralId, event_type = eventType, payload }, Ct);
        Assert.True(converted.StatusCode == HttpStatusCode.Accepted, $"Convert: {(int)converted.StatusCode} {await converted.Content.ReadAsStringAsync(Ct)}");
        return (await converted.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("conversion_id").GetGuid();
    }

    /// <summary>POST /v1/identify: this client's browser session is the partner's own.</summary>
    public static async Task IdentifyAsync(this HttpClient client, int partnerId)
    {
        var identified = await client.PostAsJsonAsync("v1/identify", new { partner_id = partnerId }, Ct);
        Assert.True(identified.StatusCode == HttpStatusCode.OK, $"Identify: {(int)identified.StatusCode} {await identified.Content.ReadAsStringAsync(Ct)}");
    }
}
