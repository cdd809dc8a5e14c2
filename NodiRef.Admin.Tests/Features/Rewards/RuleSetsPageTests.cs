using Bunit;
using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Rewards;
using NodiRef.Admin.Tests.Components;

namespace NodiRef.Admin.Tests.Features.Rewards;

public sealed class RuleSetsPageTests : ComponentTest
{
    private IReadOnlyList<AngleSharp.Dom.IElement> Rows(IRenderedComponent<TestHost> cut) => cut.FindAll("tbody tr.mud-table-row");

    [Fact]
    public async Task The_create_dialog_shows_the_services_errors_inline_then_creates_a_project_scoped_rule_set()
    {
        await GivenProjectAsync("Spring");
        SignInAs(Roles.Operator);
        var cut = RenderInHost<RuleSetsPage>();
        cut.WaitForAssertion(() => Assert.Contains("No rule sets yet", cut.Markup, StringComparison.Ordinal));

        cut.FindAll("button").First(b => b.TextContent.Contains("Create Rule Set", StringComparison.Ordinal)).Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".mud-dialog")));
        cut.Find(".mud-dialog form").Submit();
        cut.WaitForAssertion(() => Assert.Contains("Name is required.", cut.Find(".mud-dialog").TextContent, StringComparison.Ordinal));

        Field(cut, "Name").Input("Spring referrals");
        Choose(cut, "Applies to", "One project", ".mud-dialog");
        cut.WaitForAssertion(() => Field(cut, "Project"));
        cut.Find(".mud-dialog form").Submit();
        cut.WaitForAssertion(() => Assert.Contains("Choose the project this rule set applies to", cut.Find(".mud-dialog").TextContent, StringComparison.Ordinal));
        Assert.Equal(0, await QueryAsync(db => db.RewardRuleSets.CountAsync(Ct)));

        Choose(cut, "Project", "Spring", ".mud-dialog");
        cut.Find(".mud-dialog form").Submit();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-dialog")));
        cut.WaitForAssertion(() => Assert.Single(Rows(cut)));
        Assert.Equal("Project Spring", Rows(cut)[0].QuerySelector("[data-testid=rule-set-scope]")!.TextContent.Trim());
        Assert.Contains("Always", Rows(cut)[0].TextContent, StringComparison.Ordinal);
        var stored = await QueryAsync(db => db.RewardRuleSets.AsNoTracking().SingleAsync(Ct));
        Assert.Equal(("Spring referrals", RewardScope.Project, true), (stored.Name, stored.Scope, stored.IsActive));
    }

    [Fact]
    public async Task An_edit_that_clashes_with_a_colleagues_shows_their_values()
    {
        var set = await GivenRuleSetAsync("Spring referrals", null);
        SignInAs(Roles.Admin);
        var cut = RenderInHost<RuleSetsPage>();
        cut.WaitForAssertion(() => Assert.Single(Rows(cut)));
        ButtonIn(Rows(cut)[0], "Edit Spring referrals").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".mud-dialog")));

        await AsAdminAsync(async () => Ok(await App.RuleSets.UpdateAsync(set.Id, new RuleSetInput("Spring referrals 2027", "Renamed by Bob", null, null, RewardScope.All, null, false), set.Version, Ct)));
        Field(cut, "Name").Input("Spring referrals (old)");
        cut.Find(".mud-dialog form").Submit();

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("Someone else changed this rule set", cut.Find(".mud-dialog [data-testid=dialog-message]").TextContent, StringComparison.Ordinal);
            Assert.Equal("Spring referrals 2027", Field(cut, "Name").GetAttribute("value"));
        });
        Assert.Equal("Spring referrals 2027", (await QueryAsync(db => db.RewardRuleSets.AsNoTracking().SingleAsync(Ct))).Name);

        // Saving again applies this editor's change on top of the colleague's.
        Field(cut, "Name").Input("Spring referrals final");
        cut.Find(".mud-dialog form").Submit();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-dialog")));
        var stored = await QueryAsync(db => db.RewardRuleSets.AsNoTracking().SingleAsync(Ct));
        Assert.Equal(("Spring referrals final", "Renamed by Bob", false), (stored.Name, stored.Description, stored.IsActive));
    }

    [Fact]
    public async Task Deleting_a_rule_set_that_earned_rewards_is_refused_with_the_reason_and_an_unused_one_is_deleted()
    {
        var (project, _, link) = await GivenPartnerWithLinkAsync("Ada Lovelace");
        await GivenRuleSetAsync("Used", project.Id);
        await GivenConversionAsync(link, 100m);
        await GivenRuleSetAsync("Unused", project.Id);
        SignInAs(Roles.Operator);
        var cut = RenderInHost<RuleSetsPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count));

        ButtonIn(Rows(cut).Single(r => r.TextContent.Contains("Used", StringComparison.Ordinal) && !r.TextContent.Contains("Unused", StringComparison.Ordinal)), "Delete Used").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".mud-dialog")));
        cut.FindAll(".mud-dialog button").First(b => b.TextContent.Trim() == "Delete").Click();

        cut.WaitForAssertion(() => Assert.Contains("has produced rewards", cut.Find(".mud-snackbar").TextContent, StringComparison.Ordinal));
        Assert.Equal(2, await QueryAsync(db => db.RewardRuleSets.CountAsync(Ct)));

        ButtonIn(Rows(cut).Single(r => r.TextContent.Contains("Unused", StringComparison.Ordinal)), "Delete Unused").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".mud-dialog")));
        cut.FindAll(".mud-dialog button").First(b => b.TextContent.Trim() == "Delete").Click();

        cut.WaitForAssertion(() => Assert.Single(Rows(cut)));
        Assert.Equal(["Used"], await QueryAsync(db => db.RewardRuleSets.Select(s => s.Name).ToListAsync(Ct)));
    }

    [Fact]
    public async Task A_viewer_reads_rule_sets_without_create_edit_or_delete()
    {
        await GivenRuleSetAsync("Spring referrals", null);
        SignInAs(Roles.Viewer);

        var cut = RenderInHost<RuleSetsPage>();

        cut.WaitForAssertion(() => Assert.Single(Rows(cut)));
        Assert.Empty(cut.FindAll("tbody button"));
        Assert.DoesNotContain(cut.FindAll("button"), b => b.TextContent.Contains("Create Rule Set", StringComparison.Ordinal));
        Assert.Contains("All projects", Rows(cut)[0].TextContent, StringComparison.Ordinal);
    }
}
