using System.Net;
using NodiRef.Admin.Tests.Api;
using NodiRef.Admin.Tests.Features.Tracking;

namespace NodiRef.Admin.Tests.Features.Rewards;

/// <summary><c>/api/rewards/rule-sets</c> and <c>/api/rewards/actions</c> with the API's conventions.</summary>
public sealed class RuleSetApiTests(ApiFactory api) : ApiTest(api)
{
    [Fact]
    public async Task A_rule_set_is_created_read_changed_and_listed_with_its_actions()
    {
        var project = await GivenProjectAsync();
        var name = Unique("Launch ");
        var created = await Operator.PostApiAsync("/api/rewards/rule-sets", Body(new { name, description = "Spring", scope = "project", scope_id = project.Int("id"), starts_at = "2026-01-01T00:00:00Z" }));
        var set = created.AssertOne(HttpStatusCode.Created);
        var id = set.Int("id");
        var action = (await Operator.PostApiAsync("/api/rewards/actions", Body(new { rule_set_id = id, action_type = "subscription", reward_type = "fixed", reward_amount = 15.5m, currency = "EUR" }))).AssertOne(HttpStatusCode.Created);

        var read = await Viewer.GetApiAsync($"/api/rewards/rule-sets/{id}?include=actions");
        var changed = (await Operator.PatchApiAsync($"/api/rewards/rule-sets/{id}", Body(new { is_active = false }), ("If-Match", read.ETag!))).AssertOne();
        var stale = await Operator.PatchApiAsync($"/api/rewards/rule-sets/{id}", Body(new { name = "x" }), ("If-Match", read.ETag!));
        var listed = (await Viewer.GetApiAsync($"/api/rewards/rule-sets?filter[name]={name}&filter[is_active]=false&filter[scope]=project&include=actions")).AssertList(total: 1);

        Assert.Equal($"/api/rewards/rule-sets/{id}", created.Location);
        Assert.Equal(("project", project.Int("id"), "2026-01-01T00:00:00Z", true), (set.Str("scope"), set.Int("scope_id"), set.Str("starts_at"), set.GetProperty("is_active").GetBoolean()));
        var readActions = read.AssertOne().GetProperty("actions").EnumerateArray().ToList();
        Assert.Equal((action.Int("id"), "subscription", "fixed", 15.5m, "EUR"), (readActions[0].Int("id"), readActions[0].Str("action_type"), readActions[0].Str("reward_type"), readActions[0].GetProperty("reward_amount").GetDecimal(), readActions[0].Str("currency")));
        Assert.False(changed.GetProperty("is_active").GetBoolean());
        Assert.Equal("Spring", changed.Str("description"));
        stale.AssertProblem(HttpStatusCode.Conflict);
        Assert.Equal(1, Assert.Single(listed).GetProperty("actions").GetArrayLength());
    }

    [Fact]
    public async Task Bad_rules_get_400_with_per_field_errors_and_viewers_get_403()
    {
        (await Operator.PostApiAsync("/api/rewards/rule-sets", Body(new { scope = "partner" }))).AssertFieldError("name");
        (await Operator.PostApiAsync("/api/rewards/rule-sets", Body(new { name = Unique(), scope = "partner" }))).AssertFieldError("scope_id");
        (await Operator.PostApiAsync("/api/rewards/rule-sets", Body(new { name = Unique(), scope = "galaxy" }))).AssertProblem(HttpStatusCode.BadRequest);
        (await Operator.PostApiAsync("/api/rewards/rule-sets", Body(new { name = Unique(), starts_at = "2026-02-01T00:00:00Z", ends_at = "2026-01-01T00:00:00Z" }))).AssertFieldError("ends_at");
        var set = (await Operator.PostApiAsync("/api/rewards/rule-sets", Body(new { name = Unique() }))).AssertOne(HttpStatusCode.Created);
        (await Operator.PostApiAsync("/api/rewards/actions", Body(new { rule_set_id = set.Int("id"), action_type = "purchase", reward_amount = 1m, currency = "USD" }))).AssertFieldError("reward_type");
        (await Operator.PostApiAsync("/api/rewards/actions", Body(new { rule_set_id = set.Int("id"), action_type = "purchase", reward_type = "percentage", reward_amount = -5m, currency = "USD" }))).AssertFieldError("reward_amount");
        (await Operator.PostApiAsync("/api/rewards/actions", Body(new { rule_set_id = set.Int("id"), action_type = "purchase", reward_type = "fixed", reward_amount = 5m, currency = "ABC" }))).AssertFieldError("currency");
        (await Viewer.PostApiAsync("/api/rewards/rule-sets", Body(new { name = Unique() }))).AssertProblem(HttpStatusCode.Forbidden);
        (await Viewer.DeleteApiAsync($"/api/rewards/rule-sets/{set.Int("id")}")).AssertProblem(HttpStatusCode.Forbidden);
        (await Viewer.GetApiAsync("/api/rewards/rule-sets/999999")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Rules_that_produced_rewards_cannot_be_deleted_and_unused_ones_can()
    {
        var (project, _, link) = await Api.GivenLinkAsync();
        var setId = await Api.GivenRuleAsync(project.Id, "fixed", 2m);
        var unusedAction = await Api.GivenActionAsync(setId, "fixed", 1m, actionType: "subscription");
        var client = Api.Anonymous();
        await Api.ProcessedAsync(await Api.Tracking.ConvertOkAsync(await client.GivenReferralAsync(link.Code), 10m));
        var usedAction = Assert.Single((await Viewer.GetApiAsync($"/api/rewards/actions?filter[rule_set_id]={setId}&filter[action_type]=purchase")).AssertList());

        (await Operator.DeleteApiAsync($"/api/rewards/rule-sets/{setId}")).AssertProblem(HttpStatusCode.Conflict);
        (await Operator.DeleteApiAsync($"/api/rewards/actions/{usedAction.Int("id")}")).AssertProblem(HttpStatusCode.Conflict);
        var deleted = await Operator.DeleteApiAsync($"/api/rewards/actions/{unusedAction.Int("id")}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        (await Viewer.GetApiAsync($"/api/rewards/actions/{unusedAction.Int("id")}")).AssertProblem(HttpStatusCode.NotFound);
        var changed = (await Operator.PatchApiAsync($"/api/rewards/actions/{usedAction.Int("id")}", Body(new { reward_amount = 9m, version = usedAction.Long("version") }))).AssertOne();
        Assert.Equal(9m, changed.GetProperty("reward_amount").GetDecimal());
        Assert.Equal(2m, Assert.Single((await Viewer.GetApiAsync($"/api/rewards?filter[project_id]={project.Id}")).AssertList()).GetProperty("amount").GetDecimal());
    }

    [Fact]
    public async Task Only_rules_whose_window_holds_the_conversion_pay()
    {
        var (project, partner, link) = await Api.GivenLinkAsync();
        var now = Api.Clock.GetUtcNow().UtcDateTime;
        await Api.GivenRuleAsync(project.Id, "fixed", 1m, endsAt: now.AddDays(-1));
        await Api.GivenRuleAsync(project.Id, "fixed", 2m, startsAt: now.AddDays(1));
        await Api.GivenRuleAsync(project.Id, "fixed", 4m, startsAt: now.AddDays(-1), endsAt: now.AddDays(1));
        var client = Api.Anonymous();

        await Api.ProcessedAsync(await Api.Tracking.ConvertOkAsync(await client.GivenReferralAsync(link.Code), 10m));

        Assert.Equal(4m, Assert.Single(await Api.RewardsOfPartnerAsync(partner.Id)).GetProperty("amount").GetDecimal());
    }
}
