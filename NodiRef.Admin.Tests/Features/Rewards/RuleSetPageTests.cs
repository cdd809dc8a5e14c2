using Bunit;
using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Rewards;
using NodiRef.Admin.Tests.Components;

namespace NodiRef.Admin.Tests.Features.Rewards;

public sealed class RuleSetPageTests : ComponentTest
{
    private IReadOnlyList<AngleSharp.Dom.IElement> Rows(IRenderedComponent<TestHost> cut) => cut.FindAll("tbody tr.mud-table-row");

    private Task<RuleSetRow> GivenEmptyRuleSetAsync() =>
        AsAdminAsync(async () => Ok(await App.RuleSets.CreateAsync(new RuleSetInput("Spring referrals", "For the spring campaign.", null, null, RewardScope.All, null, true), Ct)));

    [Fact]
    public async Task Adding_an_action_shows_the_services_errors_inline_then_lists_it()
    {
        var set = await GivenEmptyRuleSetAsync();
        SignInAs(Roles.Operator);
        var cut = RenderInHost<RuleSetPage>(p => p.Add(x => x.Id, set.Id));
        cut.WaitForAssertion(() => Assert.Contains("No actions yet", cut.Markup, StringComparison.Ordinal));
        Assert.Equal("All projects", cut.Find("[data-testid=rule-set-scope]").TextContent.Trim());

        cut.FindAll("button").First(b => b.TextContent.Trim() == "Add action").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".mud-dialog")));
        Field(cut, "Percentage").Input("150");
        Field(cut, "Currency").Input("XYZ");
        cut.Find(".mud-dialog form").Submit();

        cut.WaitForAssertion(() =>
        {
            var dialog = cut.Find(".mud-dialog").TextContent;
            Assert.Contains("A percentage is at most 100.", dialog, StringComparison.Ordinal);
            Assert.Contains("Unknown currency \"XYZ\"", dialog, StringComparison.Ordinal);
        });
        Assert.Equal(0, await QueryAsync(db => db.RewardActions.CountAsync(Ct)));

        Field(cut, "Percentage").Input("12.5");
        Field(cut, "Currency").Input("eur");
        Field(cut, "Cap (optional)").Input("40");
        cut.Find(".mud-dialog form").Submit();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-dialog")));
        cut.WaitForAssertion(() => Assert.Single(Rows(cut)));
        Assert.Equal("12.5 % of the amount", Rows(cut)[0].QuerySelector("[data-testid=action-reward]")!.TextContent.Trim());
        Assert.Contains("40.00 EUR", Rows(cut)[0].TextContent, StringComparison.Ordinal);
        var stored = await QueryAsync(db => db.RewardActions.AsNoTracking().SingleAsync(Ct));
        Assert.Equal(("purchase", RewardType.Percentage, 12.5m, 40m, "EUR"), (stored.ActionType, stored.RewardType, stored.RewardAmount, stored.MaxCap, stored.Currency));
    }

    [Fact]
    public async Task An_action_is_edited_into_a_fixed_subscription_reward_and_then_deleted()
    {
        var set = await GivenRuleSetAsync("Spring referrals", null);
        SignInAs(Roles.Admin);
        var cut = RenderInHost<RuleSetPage>(p => p.Add(x => x.Id, set.Id));
        cut.WaitForAssertion(() => Assert.Single(Rows(cut)));

        ButtonIn(Rows(cut)[0], "Edit purchase action").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".mud-dialog")));
        Choose(cut, "Applies to", "subscription", ".mud-dialog");
        cut.FindAll(".mud-dialog input[type=radio]")[1].Click();
        cut.WaitForAssertion(() => Field(cut, "Amount"));
        Field(cut, "Amount").Input("5");
        cut.Find(".mud-dialog form").Submit();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-dialog")));
        cut.WaitForAssertion(() => Assert.Equal("5.00 EUR", Rows(cut)[0].QuerySelector("[data-testid=action-reward]")!.TextContent.Trim()));
        Assert.Contains("subscription", Rows(cut)[0].TextContent, StringComparison.Ordinal);

        ButtonIn(Rows(cut)[0], "Delete subscription action").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".mud-dialog")));
        cut.FindAll(".mud-dialog button").First(b => b.TextContent.Trim() == "Delete").Click();

        cut.WaitForAssertion(() => Assert.Contains("No actions yet", cut.Markup, StringComparison.Ordinal));
        Assert.Equal(0, await QueryAsync(db => db.RewardActions.CountAsync(Ct)));
    }

    [Fact]
    public async Task A_viewer_reads_the_actions_without_any_button_to_change_them()
    {
        var set = await GivenRuleSetAsync("Spring referrals", null);
        SignInAs(Roles.Viewer);

        var cut = RenderInHost<RuleSetPage>(p => p.Add(x => x.Id, set.Id));

        cut.WaitForAssertion(() => Assert.Single(Rows(cut)));
        Assert.Equal("10 % of the amount", Rows(cut)[0].QuerySelector("[data-testid=action-reward]")!.TextContent.Trim());
        Assert.Empty(cut.FindAll("tbody button"));
        Assert.DoesNotContain(cut.FindAll("button"), b => b.TextContent.Trim() is "Add action" or "Edit" or "Delete");
    }

    [Fact]
    public void A_missing_rule_set_says_so()
    {
        SignInAs(Roles.Viewer);

        var cut = RenderInHost<RuleSetPage>(p => p.Add(x => x.Id, 4242));

        cut.WaitForAssertion(() => Assert.Contains("Rule set 4242 does not exist", cut.Markup, StringComparison.Ordinal));
    }
}
