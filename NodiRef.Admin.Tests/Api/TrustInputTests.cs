using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.Rewards;
using NodiRef.Admin.Tests.Features.Rewards;
using NodiRef.Admin.Tests.Features.Tracking;

namespace NodiRef.Admin.Tests.Api;

/// <summary>
/// What the API takes from a client: text without control or bidirectional characters (bodies, queries,
/// route values, free-form JSON), no fields it does not know, and page numbers and dates within bounds.
/// </summary>
public sealed class TrustInputTests(ApiFactory api) : ApiTest(api)
{
    /// <summary>A JSON string literal holding <paramref name="text"/>, with control characters escaped as JSON writes them.</summary>
    private static string Json(string text) => JsonSerializer.Serialize(text);

    public static TheoryData<string, string> HostileText => new()
    {
        { "NUL", "Ada\u0000Lovelace" },
        { "bell", "Ada\u0007" },
        { "line feed in a one-line field", "Ada\nLovelace" },
        { "tab in a one-line field", "Ada\tLovelace" },
        { "right-to-left override", "Ada\u202Egnp.exe" },
        { "first strong isolate", "\u2068Ada\u2069" },
    };

    [Theory]
    [MemberData(nameof(HostileText))]
    public async Task Text_in_bodies_of_api_routes_is_refused_naming_the_field_and_nothing_is_written(string what, string text)
    {
        var project = await GivenProjectAsync();
        var partner = await GivenPartnerAsync();
        var before = await Api.CountsAsync();

        (await Admin.PostApiAsync("/api/partners", $$"""{"name": {{Json(text)}}}""")).AssertFieldError("name");
        (await Admin.PostApiAsync("/api/partners", $$"""{"name": "ok {{what}}", "external_id": {{Json(text)}}}""")).AssertFieldError("external_id");
        (await Admin.PostApiAsync("/api/projects", $$"""{"name": {{Json(text)}}, "landing_url": "https://example.com/"}""")).AssertFieldError("name");
        (await Admin.PatchApiAsync($"/api/partners/{partner.Int("id")}", $$"""{"name": {{Json(text)}}}""")).AssertFieldError("name");
        (await Admin.PostApiAsync("/api/referral-links", $$"""{"partner_id": {{partner.Int("id")}}, "code": {{Json(text)}}, "project_id": {{project.Int("id")}}}""")).AssertFieldError("code");
        (await Admin.PostApiAsync("/api/referral-links", $$$"""{"partner_id": {{{partner.Int("id")}}}, "metadata": {"campaign": {{{Json(text)}}}}}""")).AssertFieldError("metadata");
        (await Admin.PostApiAsync("/api/referral-links", $$$"""{"partner_id": {{{partner.Int("id")}}}, "metadata": {{{{Json(text)}}}: 1}}""")).AssertFieldError("metadata");

        Assert.Equal(before, await Api.CountsAsync());
        Assert.Equal(partner.Str("name"), (await Admin.GetApiAsync($"/api/partners/{partner.Int("id")}")).AssertOne().Str("name"));
    }

    [Theory]
    [MemberData(nameof(HostileText))]
    public async Task Text_in_bodies_of_tracking_routes_is_refused_naming_the_field_and_nothing_is_written(string what, string text)
    {
        Assert.NotEmpty(what);
        var (_, partner, link) = await Api.GivenLinkAsync();
        var referralId = await Admin.GivenReferralAsync(link.Code, Unique("user-"));
        var trackingId = await Admin.HitAsync(link.Code);
        var before = await RowsAsync();

        // With the admin token: whether or not a tracking route also takes anonymous calls, the text is what is refused.
        (await Admin.PostApiAsync("/v1/referral", $$"""{"tracking_id": "{{trackingId}}", "external_id": {{Json(text)}}}""")).AssertFieldError("external_id");
        (await Admin.PostApiAsync("/v1/referral", $$"""{"tracking_id": "{{trackingId}}", "user_agent": {{Json(text)}}}""")).AssertFieldError("user_agent");
        (await Admin.PostApiAsync("/v1/identify", $$"""{"external_id": {{Json(text)}}}""")).AssertFieldError("external_id");
        (await Admin.PostApiAsync("/v1/identify", $$"""{"partner_id": {{partner.Id}}, "ip_address": {{Json(text)}}}""")).AssertFieldError("ip_address");
        (await Admin.PostApiAsync("/v1/convert", Convert(referralId, $$"""{"product_id": {{Json(text)}}, "amount": 10, "currency": "EUR"}"""))).AssertFieldError("payload.product_id");
        (await Admin.PostApiAsync("/v1/convert", Convert(referralId, $$"""{"product_id": "p", "plan": {{Json(text)}}, "amount": 10, "currency": "EUR"}"""))).AssertFieldError("payload.plan");
        (await Admin.PostApiAsync("/v1/convert", Convert(referralId, $$$"""{"product_id": "p", "amount": 10, "currency": "EUR", "meta": {"order": {{{Json(text)}}}}}"""))).AssertFieldError("payload.meta");
        (await Admin.PostApiAsync("/v1/convert", Convert(referralId, $$$"""{"product_id": "p", "amount": 10, "currency": "EUR", "meta": {"deep": [{"x": {{{Json(text)}}}}]}}"""))).AssertFieldError("payload.meta");
        (await Admin.PostApiAsync("/v1/convert", $$$"""{"referral_id": "{{{referralId}}}", "event_type": "purchase", "event_id": {{{Json(text)}}}, "payload": {"product_id": "p", "amount": 10, "currency": "EUR"}}""")).AssertFieldError("event_id");

        Assert.Equal(before, await RowsAsync());
    }

    [Fact]
    public async Task Notes_and_descriptions_take_line_breaks_and_tabs_but_no_other_control_or_bidi_characters()
    {
        var created = (await Admin.PostApiAsync("/api/rewards/rule-sets", Body(new { name = Unique("Rules "), description = "First line\nsecond line\r\n\tindented" }))).AssertOne(HttpStatusCode.Created);
        Assert.Equal("First line\nsecond line\r\n\tindented", created.Str("description"));

        (await Admin.PostApiAsync("/api/rewards/rule-sets", Body(new { name = Unique("Rules "), description = "bad\u0000" }))).AssertFieldError("description");
        (await Admin.PostApiAsync("/api/rewards/rule-sets", Body(new { name = Unique("Rules "), description = "bad\u202E" }))).AssertFieldError("description");
        (await Admin.PatchApiAsync($"/api/rewards/rule-sets/{created.Int("id")}", Body(new { description = "bad\u001B[31m" }))).AssertFieldError("description");
        (await Admin.PostApiAsync("/api/rewards/rule-sets", Body(new { name = "two\nlines" }))).AssertFieldError("name");
    }

    [Fact]
    public async Task The_services_refuse_the_same_text_so_the_dashboard_forms_do_too()
    {
        await using var scope = Api.AsUser(Roles.Admin);
        var partners = scope.ServiceProvider.GetRequiredService<PartnerService>();
        var rules = scope.ServiceProvider.GetRequiredService<RuleSetService>();

        var nul = await partners.CreateAsync(new CreatePartnerInput("Ada\u0000"), Ct);
        var bidi = await partners.CreateAsync(new CreatePartnerInput("Ada", "id\u202E"), Ct);
        var description = await rules.CreateAsync(new RuleSetInput(Unique("Rules "), "ok\nbut\u0000", null, null, RewardScope.All, null, true), Ct);

        Assert.Equal(ResultStatus.Invalid, nul.Status);
        Assert.Contains(nameof(CreatePartnerInput.Name), nul.Errors.Keys);
        Assert.Equal(ResultStatus.Invalid, bidi.Status);
        Assert.Contains(nameof(CreatePartnerInput.ExternalId), bidi.Errors.Keys);
        Assert.Equal(ResultStatus.Invalid, description.Status);
        Assert.Contains(nameof(RuleSetInput.Description), description.Errors.Keys);
    }

    public static TheoryData<string, string> HostileQueries => new()
    {
        { "/api/partners?filter[name]=a%00b", "filter[name]" },
        { "/api/partners?filter[search]=%E2%80%AEevil", "filter[search]" },
        { "/api/partners?filter[external_id]=x%0Ay", "filter[external_id]" },
        { "/api/partners?sort=name%00", "sort" },
        { "/api/partners?include=projects%E2%81%A6", "include" },
        { "/api/referral-links?filter[code]=ab%01cd", "filter[code]" },
        { "/api/rewards/rule-sets?filter[name]=%E2%80%AB", "filter[name]" },
        { "/api/clicks?filter[date_from]=2026-01-01%00", "filter[date_from]" },
        { "/api/partners?filter[name]=%41&filter[search]=%2E", "" },
    };

    [Theory]
    [MemberData(nameof(HostileQueries))]
    public async Task Query_parameters_with_control_or_bidi_characters_are_refused_naming_the_parameter(string url, string field)
    {
        var answer = await Admin.GetApiAsync(url);
        if (field.Length == 0)
        {
            // The control case: plain characters, percent-encoded, are fine.
            answer.AssertList();
            return;
        }

        answer.AssertFieldError(field);
    }

    [Fact]
    public async Task Overlong_query_values_are_refused()
    {
        (await Admin.GetApiAsync("/api/partners?filter[search]=" + new string('a', 100_000))).AssertFieldError("filter[search]");
        (await Admin.GetApiAsync("/api/partners?filter[search]=" + new string('a', 1_000))).AssertList();
    }

    [Fact]
    public async Task Route_values_with_control_or_bidi_characters_are_refused_naming_the_value()
    {
        var before = await RowsAsync();

        // (A NUL in a path never reaches the app: Kestrel refuses the request line, and the test server cannot even build it.)
        (await Admin.GetApiAsync("/api/partners/external/user%0142")).AssertFieldError("externalId");
        (await Admin.GetApiAsync("/api/partners/external/%E2%80%AEuser")).AssertFieldError("externalId");
        (await Admin.PatchApiAsync("/api/partners/external/user%1F42", """{"name": "x"}""")).AssertFieldError("externalId");
        (await Admin.DeleteApiAsync("/api/partners/external/user%0142")).AssertFieldError("externalId");
        (await Admin.PostApiAsync("/api/partners/external/user%E2%81%A9/deactivate", null)).AssertFieldError("externalId");

        // A hit on a code that cannot exist is a plain 404 (codes have their own alphabet), with no click.
        var hit = await Admin.GetApiAsync("/v1/ab%01cd/hit");
        Assert.Equal(HttpStatusCode.NotFound, hit.Status);
        Assert.Equal(before, await RowsAsync());
    }

    [Fact]
    public async Task A_NUL_escape_in_conversion_meta_is_refused_and_other_escapes_are_kept_as_sent()
    {
        var (_, _, link) = await Api.GivenLinkAsync();
        var referralId = await Admin.GivenReferralAsync(link.Code);

        (await Admin.PostApiAsync("/v1/convert", Convert(referralId, """{"product_id": "p", "amount": 10, "currency": "EUR", "meta": {"order": "10\u000001"}}"""))).AssertFieldError("payload.meta");
        (await Admin.PostApiAsync("/v1/convert", Convert(referralId, """{"product_id": "p", "amount": 10, "currency": "EUR", "meta": {"a\u0000": 1}}"""))).AssertFieldError("payload.meta");

        var accepted = await Admin.PostApiAsync("/v1/convert", Convert(referralId, """{"product_id": "p", "amount": 10, "currency": "EUR", "meta": {"order": "caf\u00e9 \ud83d\ude00"}}"""));
        Assert.True(accepted.Status == HttpStatusCode.Accepted, accepted.ToString());
        await using var db = Api.Db();
        var id = Guid.Parse(accepted.Json.Str("conversion_id"));
        var meta = await db.Conversions.AsNoTracking().Where(c => c.PublicId == id).Select(c => c.Meta).SingleAsync(Ct);
        Assert.Equal("café 😀", JsonDocument.Parse(meta!).RootElement.Str("order"));
    }

    public static TheoryData<string, string, string> UnknownFields => new()
    {
        // Another API's name for a rule set's scope: ignored, it made a rule set for ALL projects.
        { "/api/rewards/rule-sets", """{"name": "Spring", "scopable_type": "project", "scopable_id": 1}""", "scopable_type" },
        { "/api/projects", """{"name": "Shop", "landing_url": "https://shop.example.com/", "landing_page": "https://x.example.com/"}""", "landing_page" },
        { "/api/partners", """{"name": "Ada", "email": "ada@example.com"}""", "email" },
        { "/api/referral-links", """{"partner_id": 1, "url": "https://example.com/"}""", "url" },
        { "/api/rewards/actions", """{"rule_set_id": 1, "action_type": "purchase", "reward_type": "fixed", "reward_amount": 1, "currency": "EUR", "cap": 5}""", "cap" },
        { "/v1/referral", """{"tracking_id": "0193b9c6-1f2e-7a4b-9c00-112233445566", "user_id": "u1"}""", "user_id" },
        { "/v1/identify", """{"partner": 1}""", "partner" },
        { "/v1/convert", """{"external_id": "u", "event_type": "purchase", "payload": {"product_id": "p", "amount": 1, "currency": "EUR", "colour": "red"}}""", "payload.colour" },
        { "/v1/convert", """{"external_id": "u", "event_type": "purchase", "amount": 1, "payload": {"product_id": "p", "amount": 1, "currency": "EUR"}}""", "amount" },
    };

    [Theory]
    [MemberData(nameof(UnknownFields))]
    public async Task Unknown_body_fields_are_refused_naming_them_and_nothing_is_written(string url, string body, string field)
    {
        var before = await RowsAsync();

        var answer = await Admin.PostApiAsync(url, body);

        var message = answer.AssertFieldError(field);
        Assert.Contains($"Unknown field \"{field}\"", message, StringComparison.Ordinal);
        Assert.Equal(before, await RowsAsync());
    }

    [Fact]
    public async Task Unknown_fields_of_a_patch_are_refused_and_known_ones_still_bind()
    {
        var partner = await GivenPartnerAsync();
        var id = partner.Int("id");

        (await Admin.PatchApiAsync($"/api/partners/{id}", """{"nmae": "Typo"}""")).AssertFieldError("nmae");
        Assert.Equal(partner.Str("name"), (await Admin.GetApiAsync($"/api/partners/{id}")).AssertOne().Str("name"));

        var renamed = (await Admin.PatchApiAsync($"/api/partners/{id}", Body(new { name = "Renamed", external_id = (string?)null, version = partner.Long("version") }))).AssertOne();
        Assert.Equal("Renamed", renamed.Str("name"));
    }

    public static TheoryData<string> EventLists => ["/api/clicks", "/api/referrals", "/api/conversions", "/api/rewards"];

    [Theory]
    [MemberData(nameof(EventLists))]
    public async Task Event_lists_take_the_widest_dates_and_refuse_absurd_pages(string list)
    {
        (await Admin.GetApiAsync($"{list}?filter[date_to]=9999-12-31")).AssertList();
        (await Admin.GetApiAsync($"{list}?filter[date_from]=0001-01-01&filter[date_to]=9999-12-31")).AssertList();
        (await Admin.GetApiAsync($"{list}?filter[date_from]=9999-12-31")).AssertList(total: 0);
        (await Admin.GetApiAsync($"{list}?page[number]={ListQueryBound}&page[size]=100")).AssertList(page: ListQueryBound);
        (await Admin.GetApiAsync($"{list}?page[number]=2147483647")).AssertFieldError("page[number]");
        (await Admin.GetApiAsync($"{list}?page={ListQueryBound + 1}")).AssertFieldError("page");
        (await Admin.GetApiAsync($"{list}?page[size]=-1")).AssertFieldError("page[size]");
        (await Admin.GetApiAsync($"{list}?item_per_page=99999999999")).AssertFieldError("item_per_page");
    }

    private const int ListQueryBound = NodiRef.Admin.Api.ListQuery.MaxPageNumber;

    [Fact]
    public async Task The_last_page_is_empty_and_never_wraps_around_to_the_first_rows()
    {
        await GivenPartnerAsync();

        Assert.Empty((await Admin.GetApiAsync($"/api/partners?page[number]={ListQueryBound}&page[size]=100")).AssertList());
        Assert.Empty((await Admin.GetApiAsync($"/api/projects?page[number]={ListQueryBound}&page[size]=100")).AssertList());
        (await Admin.GetApiAsync("/api/partners?page[number]=2147483647&page[size]=100")).AssertFieldError("page[number]");
    }

    [Fact]
    public void A_page_request_far_out_skips_as_far_as_it_can_instead_of_overflowing()
    {
        Assert.Equal(int.MaxValue, new PageRequest(int.MaxValue, 100).Skip);
        Assert.Equal(int.MaxValue, new PageRequest(21_474_837, 100).Skip);
        Assert.Equal(2_147_483_600, new PageRequest(21_474_836, 100).Skip);
        Assert.Equal(0, new PageRequest(-5, 100).Skip);
    }

    private static string Convert(Guid referralId, string payload) =>
        $$"""{"referral_id": "{{referralId}}", "event_type": "purchase", "payload": {{payload}}}""";

    /// <summary>Row counts of everything the tracking and reward routes write.</summary>
    private async Task<string> RowsAsync()
    {
        await using var db = Api.Db();
        return string.Join(",",
            await db.Projects.CountAsync(Ct), await db.Partners.CountAsync(Ct), await db.ReferralLinks.CountAsync(Ct),
            await db.Clicks.CountAsync(Ct), await db.Referrals.CountAsync(Ct), await db.PartnerSessions.CountAsync(Ct),
            await db.Conversions.CountAsync(Ct), await db.RewardRuleSets.CountAsync(Ct), await db.RewardActions.CountAsync(Ct));
    }
}
