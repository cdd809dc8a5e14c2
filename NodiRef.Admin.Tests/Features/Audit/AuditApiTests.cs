using System.Net;
using NodiRef.Admin.Tests.Api;

namespace NodiRef.Admin.Tests.Features.Audit;

/// <summary><c>GET /api/audit-events</c>: what a change through the API leaves, its filters, and who may read it.</summary>
public sealed class AuditApiTests(ApiFactory api) : ApiTest(api)
{
    [Fact]
    public async Task A_change_through_the_api_is_listed_under_the_token_with_its_fields_in_snake_case()
    {
        var partner = await GivenPartnerAsync(Unique("Grady "), externalId: Unique("crm-"));
        var id = partner.Int("id");
        Assert.Equal(HttpStatusCode.OK, (await Operator.PatchApiAsync($"/api/partners/{id}", Body(new { name = "Grady Booch" }))).Response.StatusCode);

        var entries = (await Admin.GetApiAsync($"/api/audit-events?filter[entity_type]=partner&filter[entity_id]={id}")).AssertList(total: 2);

        var updated = entries[0];
        Assert.Equal(("updated", "partner", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "Grady Booch"),
            (updated.Str("action"), updated.Str("entity_type"), updated.Str("entity_id"), updated.Str("entity_label")));
        Assert.Equal("token", updated.Str("actor_kind"));
        Assert.StartsWith("API token ", updated.Str("actor"), StringComparison.Ordinal);
        var change = Assert.Single(updated.GetProperty("changes").EnumerateArray());
        Assert.Equal(("name", partner.Str("name"), "Grady Booch"), (change.Str("field"), change.Str("before"), change.Str("after")));
        Assert.Equal("created", entries[1].Str("action"));
        Assert.Contains(entries[1].GetProperty("changes").EnumerateArray(), c => c.Str("field") == "external_id" && c.Str("after") == partner.Str("external_id"));
    }

    [Fact]
    public async Task The_actor_and_action_filters_narrow_the_list_and_the_oldest_come_first_when_sorted_by_at()
    {
        var partner = await GivenPartnerAsync(Unique("Filter "));
        var id = partner.Int("id");
        Assert.Equal(HttpStatusCode.OK, (await Operator.PostApiAsync($"/api/partners/{id}/deactivate", null)).Response.StatusCode);
        var operatorName = (await Admin.GetApiAsync($"/api/audit-events?filter[entity_type]=partner&filter[entity_id]={id}&filter[action]=updated")).AssertList(total: 1)[0].Str("actor");

        var byActor = (await Admin.GetApiAsync($"/api/audit-events?filter[actor]={Uri.EscapeDataString(operatorName)}&filter[entity_id]={id}")).AssertList();
        var oldestFirst = (await Admin.GetApiAsync($"/api/audit-events?filter[entity_type]=partner&filter[entity_id]={id}&sort=at")).AssertList(total: 2);

        Assert.All(byActor, e => Assert.Equal(operatorName, e.Str("actor")));
        Assert.Equal(["created", "updated"], oldestFirst.Select(e => e.Str("action")));
    }

    [Theory]
    [InlineData("filter[entity_type]=partnr", "filter[entity_type]")]
    [InlineData("filter[action]=renamed", "filter[action]")]
    [InlineData("filter[date_from]=2026-12-02&filter[date_to]=2026-12-01", "filter[date_to]")]
    public async Task A_filter_that_does_not_read_is_a_400_naming_it(string query, string field)
    {
        var problem = (await Admin.GetApiAsync($"/api/audit-events?{query}")).AssertProblem(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Theory]
    [InlineData("Operator")]
    [InlineData("Viewer")]
    public async Task Only_admins_read_the_audit_log(string role)
    {
        var answer = await Api.As(role).GetApiAsync("/api/audit-events");

        Assert.Equal(HttpStatusCode.Forbidden, answer.Response.StatusCode);
    }
}
