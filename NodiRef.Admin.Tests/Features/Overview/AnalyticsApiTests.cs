using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Features.Conversions;
using NodiRef.Admin.Tests.Api;

namespace NodiRef.Admin.Tests.Features.Overview;

/// <summary><c>GET /api/analytics</c> over real HTTP: the figures of a project's range, its groups, and its errors by parameter name.</summary>
public sealed class AnalyticsApiTests(ApiFactory api) : ApiTest(api)
{
    private string Today => DateOnly.FromDateTime(Api.Clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A project with one partner whose link got two clicks, one referral and one accepted purchase of 25 EUR.</summary>
    private async Task<(int ProjectId, int PartnerId)> GivenSaleAsync()
    {
        var project = await GivenProjectAsync();
        var partner = await GivenPartnerAsync(projectId: project.Int("id"));
        var code = (await Admin.GetApiAsync($"/api/referral-links?filter[partner_id]={partner.Int("id")}")).AssertList().Single().Str("code");
        using var browser = Api.Anonymous();
        await browser.GetApiAsync($"/v1/{code}/hit");
        var trackingId = (await browser.GetApiAsync($"/v1/{code}/hit")).Json.Str("tracking_id");
        var referral = (await browser.PostApiAsync("/v1/referral", Body(new { tracking_id = trackingId, external_id = Unique("user-") }))).Json.Str("referral_id");
        var sent = await Api.Tracking.PostApiAsync("/v1/convert",
            Body(new { referral_id = referral, event_type = "purchase", payload = new { product_id = "pro", amount = 25m, currency = "EUR" } }));
        Assert.Equal(HttpStatusCode.Accepted, sent.Response.StatusCode);
        await Api.Services.GetRequiredService<ConversionProcessor>().ProcessPendingAsync(Ct);
        return (project.Int("id"), partner.Int("id"));
    }

    [Fact]
    public async Task A_projects_range_answers_its_totals_the_previous_period_and_one_group_per_day()
    {
        var (projectId, _) = await GivenSaleAsync();

        var data = (await Viewer.GetApiAsync($"/api/analytics?filter[project_id]={projectId}&filter[date_from]={Today}&filter[date_to]={Today}")).AssertOne();

        var totals = data.GetProperty("totals");
        Assert.Equal((2L, 1L, 1L), (totals.Long("clicks"), totals.Long("referrals"), totals.Long("conversions")));
        Assert.Equal(0.5m, totals.GetProperty("click_to_referral_rate").GetDecimal());
        var revenue = Assert.Single(totals.GetProperty("revenue").EnumerateArray());
        Assert.Equal(("EUR", 25m), (revenue.Str("currency"), revenue.GetProperty("amount").GetDecimal()));
        Assert.Equal(0L, data.GetProperty("previous").Long("clicks"));
        Assert.Equal(("day", Today), (data.Str("group_by"), data.Str("date_from")));
        var day = Assert.Single(data.GetProperty("groups").EnumerateArray());
        Assert.Equal((Today, 2L), (day.Str("key"), day.Long("clicks")));
    }

    [Fact]
    public async Task Groups_by_partner_name_them_and_groups_by_event_count_each_kind()
    {
        var (projectId, partnerId) = await GivenSaleAsync();

        var byPartner = (await Viewer.GetApiAsync($"/api/analytics?filter[project_id]={projectId}&group_by=partner&order_by=conversions&limit=5")).AssertOne();
        var byEvent = (await Viewer.GetApiAsync($"/api/analytics?filter[partner_id]={partnerId}&group_by=event")).AssertOne();

        var partner = Assert.Single(byPartner.GetProperty("groups").EnumerateArray());
        Assert.Equal((partnerId.ToString(CultureInfo.InvariantCulture), 1L), (partner.Str("key"), partner.Long("conversions")));
        Assert.False(string.IsNullOrEmpty(partner.Str("name")));
        var kinds = byEvent.GetProperty("groups").EnumerateArray().ToDictionary(g => g.Str("key"));
        Assert.Equal(["click", "referral", "purchase", "subscription", "refund"], kinds.Keys);
        Assert.Equal((2L, 1L, 1L), (kinds["click"].Long("clicks"), kinds["referral"].Long("referrals"), kinds["purchase"].Long("conversions")));
    }

    [Theory]
    [InlineData("group_by=week", "group_by")]
    [InlineData("filter[date_from]=2026-13-01", "filter[date_from]")]
    [InlineData("filter[date_from]=2026-11-30&filter[date_to]=2026-11-01", "filter[date_to]")]
    [InlineData("filter[date_from]=2026-11-01&filter[date_to]=2026-11-30&group_by=hour", "group_by")]
    [InlineData("limit=500&group_by=link", "limit")]
    [InlineData("filter[link_id]=0", "filter[link_id]")]
    [InlineData("currency=XYZ&group_by=project", "currency")]
    [InlineData("filter[campaign]=3", "filter[campaign]")]
    public async Task A_bad_parameter_is_a_400_naming_it(string query, string field)
    {
        var answer = await Viewer.GetApiAsync("/api/analytics?" + query);

        answer.AssertFieldError(field);
    }

    [Fact]
    public async Task Reading_analytics_takes_a_reading_token_and_a_tracking_token_is_refused()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.Anonymous().GetApiAsync("/api/analytics")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.Tracking.GetApiAsync("/api/analytics")).Response.StatusCode);
        var data = (await Viewer.GetApiAsync("/api/analytics")).AssertOne();
        Assert.Equal(30, data.GetProperty("groups").GetArrayLength());
        Assert.Equal(JsonValueKind.Array, data.GetProperty("totals").GetProperty("rewards_owed").ValueKind);
    }
}
