using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Rewards;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Rewards;

public sealed class RuleSetServiceTests : ServiceTest
{
    private static RuleSetInput Input(string name = "Launch", RewardScope scope = RewardScope.All, int? scopeId = null, DateTime? starts = null, DateTime? ends = null) =>
        new(name, "Spring launch", starts, ends, scope, scopeId, true);

    [Fact]
    public async Task Bad_rule_sets_get_per_field_errors_and_nothing_is_saved()
    {
        App.ActAs(Roles.Operator);
        var at = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);

        InvalidOn(await App.RuleSets.CreateAsync(Input(""), Ct), nameof(RuleSetInput.Name));
        InvalidOn(await App.RuleSets.CreateAsync(Input(new string('n', 121)), Ct), nameof(RuleSetInput.Name));
        InvalidOn(await App.RuleSets.CreateAsync(Input(starts: at, ends: at), Ct), nameof(RuleSetInput.EndsAt));
        InvalidOn(await App.RuleSets.CreateAsync(Input(scope: RewardScope.Project), Ct), nameof(RuleSetInput.ScopeId));
        InvalidOn(await App.RuleSets.CreateAsync(Input(scope: RewardScope.Link, scopeId: 999), Ct), nameof(RuleSetInput.ScopeId));
        InvalidOn(await App.RuleSets.CreateAsync(Input(scopeId: 1), Ct), nameof(RuleSetInput.ScopeId));

        Assert.Equal(0, await CountAsync<RewardRuleSet>());
    }

    [Fact]
    public async Task Bad_actions_get_per_field_errors()
    {
        App.ActAs(Roles.Operator);
        var set = Ok(await App.RuleSets.CreateAsync(Input(), Ct));

        InvalidOn(await App.RuleSets.CreateActionAsync(new ActionInput(set.Id, "refund", RewardType.Fixed, 1m, null, "USD"), Ct), nameof(ActionInput.ActionType));
        InvalidOn(await App.RuleSets.CreateActionAsync(new ActionInput(set.Id, "purchase", RewardType.Fixed, 0m, null, "USD"), Ct), nameof(ActionInput.RewardAmount));
        InvalidOn(await App.RuleSets.CreateActionAsync(new ActionInput(set.Id, "purchase", RewardType.Percentage, 101m, null, "USD"), Ct), nameof(ActionInput.RewardAmount));
        InvalidOn(await App.RuleSets.CreateActionAsync(new ActionInput(set.Id, "purchase", RewardType.Fixed, 1m, -1m, "USD"), Ct), nameof(ActionInput.MaxCap));
        InvalidOn(await App.RuleSets.CreateActionAsync(new ActionInput(set.Id, "purchase", RewardType.Fixed, 1m, null, "EURO"), Ct), nameof(ActionInput.Currency));
        InvalidOn(await App.RuleSets.CreateActionAsync(new ActionInput(set.Id + 1, "purchase", RewardType.Fixed, 1m, null, "USD"), Ct), nameof(ActionInput.RuleSetId));
        var action = Ok(await App.RuleSets.CreateActionAsync(new ActionInput(set.Id, "Purchase", RewardType.Percentage, 12.5m, 30m, "usd"), Ct));

        Assert.Equal(("purchase", 12.5m, (decimal?)30m, "USD"), (action.ActionType, action.RewardAmount, action.MaxCap, action.Currency));
        Assert.Equal(1, Ok(await App.RuleSets.GetAsync(set.Id, Ct)).ActionCount);
    }

    [Fact]
    public async Task Names_are_unique_scopes_are_named_and_edits_need_the_current_version()
    {
        var project = await GivenProjectAsync("Shop");
        App.ActAs(Roles.Operator);
        var set = Ok(await App.RuleSets.CreateAsync(Input(scope: RewardScope.Project, scopeId: project.Id), Ct));

        ConflictOn(await App.RuleSets.CreateAsync(Input(), Ct), nameof(RuleSetInput.Name));
        var changed = Ok(await App.RuleSets.UpdateAsync(set.Id, Input("Launch 2", RewardScope.Project, project.Id), set.Version, Ct));
        var stale = await App.RuleSets.UpdateAsync(set.Id, Input("Launch 3"), set.Version, Ct);

        Assert.Equal(("Shop", "Launch 2"), (set.ScopeName, changed.Name));
        Assert.Equal(ResultStatus.Conflict, stale.Status);
        Assert.Equal("Launch 2", stale.Value!.Name);
    }

    [Fact]
    public async Task Viewers_read_but_cannot_change_rules()
    {
        App.ActAs(Roles.Admin);
        var set = Ok(await App.RuleSets.CreateAsync(Input(), Ct));
        App.ActAs(Roles.Viewer);

        Assert.Single(Ok(await App.RuleSets.ListAsync(new RuleSetQuery(), Ct)).Items);
        Assert.Equal(ResultStatus.Forbidden, (await App.RuleSets.CreateAsync(Input("Other"), Ct)).Status);
        Assert.Equal(ResultStatus.Forbidden, (await App.RuleSets.UpdateAsync(set.Id, Input("Other"), set.Version, Ct)).Status);
        Assert.Equal(ResultStatus.Forbidden, (await App.RuleSets.DeleteAsync(set.Id, null, Ct)).Status);
        Assert.Equal(ResultStatus.Forbidden, (await App.RuleSets.CreateActionAsync(new ActionInput(set.Id, "purchase", RewardType.Fixed, 1m, null, "USD"), Ct)).Status);
    }

    [Fact]
    public async Task An_unused_rule_set_is_deleted_with_its_actions()
    {
        App.ActAs(Roles.Operator);
        var set = Ok(await App.RuleSets.CreateAsync(Input(), Ct));
        Ok(await App.RuleSets.CreateActionAsync(new ActionInput(set.Id, "purchase", RewardType.Fixed, 1m, null, "USD"), Ct));

        Assert.Equal(ResultStatus.Conflict, (await App.RuleSets.DeleteAsync(set.Id, set.Version + 1, Ct)).Status);
        Ok(await App.RuleSets.DeleteAsync(set.Id, null, Ct));

        Assert.Equal((0, 0), (await CountAsync<RewardRuleSet>(), await CountAsync<RewardAction>()));
        Assert.Equal(ResultStatus.NotFound, (await App.RuleSets.GetAsync(set.Id, Ct)).Status);
    }

    [Fact]
    public async Task A_partner_or_link_that_a_rule_set_is_scoped_to_cannot_be_deleted_from_under_it()
    {
        var partner = await GivenPartnerAsync("Unused partner");
        var other = await GivenPartnerAsync("Other partner");
        var link = await GivenLinkAsync(other.Id, "rulelink1");
        App.ActAs(Roles.Operator);
        Ok(await App.RuleSets.CreateAsync(Input("For the partner", RewardScope.Partner, partner.Id), Ct));
        Ok(await App.RuleSets.CreateAsync(Input("For the link", RewardScope.Link, link.Id), Ct));

        var partnerDelete = await App.Partners.DeleteAsync(partner.Id, null, Ct);
        var linkDelete = await App.Links.DeleteAsync(link.Id, null, Ct);
        var ownerDelete = await App.Partners.DeleteAsync(other.Id, null, Ct);

        Assert.Equal(ResultStatus.Conflict, partnerDelete.Status);
        Assert.Contains("For the partner", partnerDelete.Message, StringComparison.Ordinal);
        Assert.Equal(ResultStatus.Conflict, linkDelete.Status);
        Assert.Contains("For the link", linkDelete.Message, StringComparison.Ordinal);
        Assert.Equal(ResultStatus.Conflict, ownerDelete.Status);
    }

    [Fact]
    public async Task A_window_time_without_a_zone_is_taken_as_utc()
    {
        App.ActAs(Roles.Operator);
        var unspecified = new DateTime(2026, 12, 1, 9, 30, 0, DateTimeKind.Unspecified);

        var set = Ok(await App.RuleSets.CreateAsync(Input(starts: unspecified, ends: unspecified.AddDays(1)), Ct));

        Assert.Equal(new DateTime(2026, 12, 1, 9, 30, 0, DateTimeKind.Utc), set.StartsAt);
        Assert.Equal(DateTimeKind.Utc, set.StartsAt!.Value.Kind);
    }
}
