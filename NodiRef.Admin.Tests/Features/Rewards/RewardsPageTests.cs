using Bunit;
using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Rewards;
using NodiRef.Admin.Tests.Components;

namespace NodiRef.Admin.Tests.Features.Rewards;

public sealed class RewardsPageTests : ComponentTest
{
    private IReadOnlyList<AngleSharp.Dom.IElement> Rows(IRenderedComponent<TestHost> cut) => cut.FindAll("tbody tr.mud-table-row");

    private async Task<Reward> GivenRewardAsync(string partner = "Ada Lovelace", decimal amount = 200m)
    {
        var (project, _, link) = await GivenPartnerWithLinkAsync(partner);
        await GivenRuleSetAsync("Ten percent for " + partner, project.Id);
        await GivenConversionAsync(link, amount);
        return await QueryAsync(db => db.Rewards.AsNoTracking().SingleAsync(r => r.PartnerId == link.PartnerId, Ct));
    }

    [Fact]
    public async Task An_operator_approves_then_a_reversal_needs_a_note_and_appears_as_a_negative_entry_marked_with_what_it_reverses()
    {
        var reward = await GivenRewardAsync();
        SignInAs(Roles.Operator);
        var cut = RenderInHost<RewardsPage>();
        cut.WaitForAssertion(() => Assert.Single(Rows(cut)));
        Assert.Equal("20.00 EUR", Rows(cut)[0].QuerySelector("[data-testid=reward-amount]")!.TextContent.Trim());

        ButtonIn(Rows(cut)[0], "Approve").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".mud-dialog")));
        cut.Find(".mud-dialog form").Submit();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-dialog")));
        cut.WaitForAssertion(() => Assert.Equal("Approved", Rows(cut)[0].QuerySelector("[data-testid=reward-status]")!.TextContent.Trim()));

        ButtonIn(Rows(cut)[0], "Reverse").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".mud-dialog")));
        cut.Find(".mud-dialog form").Submit();
        cut.WaitForAssertion(() => Assert.Contains("Say why it is reversed", cut.Find(".mud-dialog .mud-input-control").TextContent, StringComparison.Ordinal));
        Assert.Equal(1, await QueryAsync(db => db.Rewards.CountAsync(Ct)));

        Field(cut, "Why is it reversed?").Input("Order cancelled.");
        cut.Find(".mud-dialog form").Submit();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-dialog")));
        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count));
        var reversal = Rows(cut)[0];
        Assert.Equal($"reverses #{reward.Id}", reversal.QuerySelector("[data-testid=reverses]")!.TextContent.Trim());
        Assert.Equal("-20.00 EUR", reversal.QuerySelector("[data-testid=reward-amount]")!.TextContent.Trim());
        Assert.Contains("Order cancelled.", reversal.TextContent, StringComparison.Ordinal);
        Assert.Equal("Reversed", Rows(cut)[1].QuerySelector("[data-testid=reward-status]")!.TextContent.Trim());
        // Neither entry can be moved any more; both keep their history.
        Assert.All(Rows(cut), r => Assert.Equal(["History"], r.QuerySelectorAll("button").Select(b => b.GetAttribute("aria-label") ?? "").ToArray()));
    }

    [Fact]
    public async Task An_entrys_history_lists_every_move_with_who_and_why()
    {
        var reward = await GivenRewardAsync();
        await AsAdminAsync(async () => Ok(await App.Rewards.ApproveAsync(reward.Id, "Checked the order.", null, Ct)));
        SignInAs(Roles.Viewer);
        var cut = RenderInHost<RewardsPage>();
        cut.WaitForAssertion(() => Assert.Single(Rows(cut)));

        ButtonIn(Rows(cut)[0], "History").Click();

        cut.WaitForAssertion(() =>
        {
            var history = cut.FindAll("[data-testid=reward-history] tbody tr");
            Assert.Equal(2, history.Count);
            Assert.Contains("Pending", history[0].TextContent, StringComparison.Ordinal);
            Assert.Contains("Earned", history[0].TextContent, StringComparison.Ordinal);
            Assert.Contains("Pending → Approved", history[1].TextContent, StringComparison.Ordinal);
            Assert.Contains("Checked the order.", history[1].TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_viewer_sees_the_ledger_without_approve_pay_or_reverse()
    {
        await GivenRewardAsync();
        SignInAs(Roles.Viewer);

        var cut = RenderInHost<RewardsPage>();

        cut.WaitForAssertion(() => Assert.Single(Rows(cut)));
        Assert.Equal(["History"], Rows(cut)[0].QuerySelectorAll("button").Select(b => b.GetAttribute("aria-label") ?? "").ToArray());
    }

    [Fact]
    public async Task Status_filter_reaches_the_service()
    {
        var first = await GivenRewardAsync("Ada Lovelace");
        await GivenRewardAsync("Alan Turing", 50m);
        await AsAdminAsync(async () => Ok(await App.Rewards.ApproveAsync(first.Id, null, null, Ct)));
        SignInAs(Roles.Operator);
        var cut = RenderInHost<RewardsPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count));

        Choose(cut, "Status", "Pending");

        cut.WaitForAssertion(() =>
        {
            var row = Assert.Single(Rows(cut));
            Assert.Contains("Alan Turing", row.TextContent, StringComparison.Ordinal);
            Assert.Equal("5.00 EUR", row.QuerySelector("[data-testid=reward-amount]")!.TextContent.Trim());
        });

        Choose(cut, "Status", "Paid");
        cut.WaitForAssertion(() => Assert.Contains("No ledger entry matches these filters.", cut.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Opened_with_a_status_and_a_currency_in_its_url_it_shows_those_entries_and_a_new_status_is_written_back()
    {
        var first = await GivenRewardAsync("Ada Lovelace");
        await GivenRewardAsync("Alan Turing", 50m);
        await AsAdminAsync(async () => Ok(await App.Rewards.ApproveAsync(first.Id, null, null, Ct)));
        SignInAs(Roles.Operator);
        Navigation.NavigateTo("rewards?status=pending&currency=eur");

        var cut = RenderInHost<RewardsPage>();

        cut.WaitForAssertion(() => Assert.Contains("Alan Turing", Assert.Single(Rows(cut)).TextContent, StringComparison.Ordinal));
        Assert.Equal("Pending", FilterShown(cut, "Status"));
        Assert.Equal("EUR", FilterShown(cut, "Currency"));

        Choose(cut, "Status", "Approved");

        cut.WaitForAssertion(() => Assert.Contains("Ada Lovelace", Assert.Single(Rows(cut)).TextContent, StringComparison.Ordinal));
        Assert.Equal("http://localhost/rewards?status=approved&currency=EUR", Navigation.Uri);
    }

    [Fact]
    public async Task A_currency_in_the_url_that_is_none_is_ignored()
    {
        await GivenRewardAsync("Ada Lovelace");
        SignInAs(Roles.Viewer);
        Navigation.NavigateTo("rewards?currency=XYZ&status=Pending,Paid");

        var cut = RenderInHost<RewardsPage>();

        cut.WaitForAssertion(() => Assert.Single(Rows(cut)));
        Assert.Equal("", FilterShown(cut, "Currency"));
        Assert.Equal("All statuses", FilterShown(cut, "Status"));
    }
}
