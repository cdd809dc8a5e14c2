using Bunit;
using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Conversions;
using NodiRef.Admin.Tests.Components;

namespace NodiRef.Admin.Tests.Features.Conversions;

public sealed class ConversionsPageTests : ComponentTest
{
    private IReadOnlyList<AngleSharp.Dom.IElement> Rows(IRenderedComponent<TestHost> cut) => cut.FindAll("tbody tr.mud-table-row");

    private static AngleSharp.Dom.IElement RowOf(IRenderedComponent<TestHost> cut, string text) =>
        cut.FindAll("tbody tr.mud-table-row").Single(r => r.TextContent.Contains(text, StringComparison.Ordinal));

    [Fact]
    public async Task Status_filter_reaches_the_service_and_rows_show_amount_partner_code_and_reason()
    {
        var (_, _, adaLink) = await GivenPartnerWithLinkAsync("Ada Lovelace");
        var (_, _, samLink) = await GivenPartnerWithLinkAsync("Sam Self");
        await GivenConversionAsync(adaLink, 1234.5m, "EUR", "desk-lamp");
        await GivenConversionAsync(samLink, 75m, "USD", "gadget", selfReferral: true);
        SignInAs(Roles.Operator);

        var cut = RenderInHost<ConversionsPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count));
        var ada = RowOf(cut, "desk-lamp");
        Assert.Contains("1,234.50 EUR", ada.TextContent, StringComparison.Ordinal);
        Assert.Contains(adaLink.Code, ada.TextContent, StringComparison.Ordinal);
        Assert.Equal("Accepted", ada.QuerySelector("[data-testid=conversion-status]")!.TextContent.Trim());

        Choose(cut, "Status", "Suspicious");

        cut.WaitForAssertion(() =>
        {
            var row = Assert.Single(Rows(cut));
            Assert.Contains("Sam Self", row.TextContent, StringComparison.Ordinal);
            Assert.Contains("75.00 USD", row.TextContent, StringComparison.Ordinal);
            Assert.Equal("Self-referral: same IP as the partner's own session", row.QuerySelector("[data-testid=conversion-reason]")!.TextContent.Trim());
        });

        Choose(cut, "Event type", "subscription");
        cut.WaitForAssertion(() => Assert.Contains("No conversion matches these filters.", cut.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_viewer_sees_conversions_but_no_action_buttons()
    {
        var (_, _, link) = await GivenPartnerWithLinkAsync("Ada Lovelace");
        await GivenConversionAsync(link, 100m);
        await GivenConversionAsync(link, 50m, selfReferral: true);
        SignInAs(Roles.Viewer);

        var cut = RenderInHost<ConversionsPage>();

        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count));
        var labels = cut.FindAll("tbody button").Select(b => b.GetAttribute("aria-label")).ToList();
        Assert.DoesNotContain("Accept", labels);
        Assert.DoesNotContain("Reject", labels);
        Assert.DoesNotContain("Refund", labels);
        Assert.DoesNotContain(cut.FindAll("thead th"), th => th.TextContent.Contains("Actions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rejecting_needs_a_note_which_is_shown_inline_and_then_the_conversion_is_rejected()
    {
        var (_, _, link) = await GivenPartnerWithLinkAsync("Sam Self");
        var conversion = await GivenConversionAsync(link, 75m, "USD", "gadget", selfReferral: true);
        SignInAs(Roles.Operator);
        var cut = RenderInHost<ConversionsPage>();
        cut.WaitForAssertion(() => Assert.Single(Rows(cut)));

        ButtonIn(Rows(cut)[0], "Reject").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".mud-dialog")));
        cut.Find(".mud-dialog form").Submit();

        cut.WaitForAssertion(() => Assert.Contains("Say why it is rejected", cut.Find(".mud-dialog .mud-input-control").TextContent, StringComparison.Ordinal));
        Assert.Equal(ConversionStatus.Suspicious, (await QueryAsync(db => db.Conversions.AsNoTracking().SingleAsync(c => c.PublicId == conversion.PublicId, Ct))).Status);

        Field(cut, "Why is it rejected?").Input("Bought through their own link.");
        cut.Find(".mud-dialog form").Submit();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-dialog")));
        var stored = await QueryAsync(db => db.Conversions.AsNoTracking().SingleAsync(c => c.PublicId == conversion.PublicId, Ct));
        Assert.Equal((ConversionStatus.Rejected, "Bought through their own link."), (stored.Status, stored.ReviewNote));
        cut.WaitForAssertion(() => Assert.Equal("Rejected", Rows(cut)[0].QuerySelector("[data-testid=conversion-status]")!.TextContent.Trim()));
        Assert.Contains("Bought through their own link.", Rows(cut)[0].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_someone_else_decides_first_the_dialog_shows_their_decision_instead_of_overwriting_it()
    {
        var (_, _, link) = await GivenPartnerWithLinkAsync("Sam Self");
        var conversion = await GivenConversionAsync(link, 75m, "USD", "gadget", selfReferral: true);
        SignInAs(Roles.Operator);
        var cut = RenderInHost<ConversionsPage>();
        cut.WaitForAssertion(() => Assert.Single(Rows(cut)));
        ButtonIn(Rows(cut)[0], "Accept").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".mud-dialog")));

        // A colleague rejects it while this dialog is open.
        await AsAdminAsync(async () => Ok(await App.Conversions.RejectAsync(conversion.PublicId, "Known fraud ring.", null, Ct)));
        Field(cut, "Note (optional)").Input("Looks fine to me.");
        cut.Find(".mud-dialog form").Submit();

        cut.WaitForAssertion(() =>
        {
            var dialog = cut.Find(".mud-dialog");
            Assert.Contains("Someone else changed this conversion", dialog.QuerySelector("[data-testid=dialog-message]")!.TextContent, StringComparison.Ordinal);
            Assert.Equal("Rejected", dialog.QuerySelector("[data-testid=conversion-status]")!.TextContent.Trim());
            Assert.Contains("Known fraud ring.", dialog.QuerySelector("[data-testid=reviewed-by]")!.TextContent, StringComparison.Ordinal);
            Assert.DoesNotContain(dialog.QuerySelectorAll("button"), b => b.TextContent.Trim() == "Accept");
        });
        var stored = await QueryAsync(db => db.Conversions.AsNoTracking().SingleAsync(c => c.PublicId == conversion.PublicId, Ct));
        Assert.Equal((ConversionStatus.Rejected, "Known fraud ring."), (stored.Status, stored.ReviewNote));
        Assert.Equal(0, await QueryAsync(db => db.Rewards.CountAsync(Ct)));
    }

    [Fact]
    public async Task A_refund_of_more_than_is_left_is_refused_inline_and_a_partial_refund_reverses_its_share_of_the_reward()
    {
        var (project, _, link) = await GivenPartnerWithLinkAsync("Ada Lovelace");
        await GivenRuleSetAsync("Ten percent", project.Id);
        var conversion = await GivenConversionAsync(link, 100m, "EUR", "armchair");
        SignInAs(Roles.Operator);
        var cut = RenderInHost<ConversionsPage>();
        cut.WaitForAssertion(() => Assert.Single(Rows(cut)));

        ButtonIn(Rows(cut)[0], "Refund").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".mud-dialog")));
        Field(cut, "Amount (EUR)").Input("150");
        cut.Find(".mud-dialog form").Submit();
        cut.WaitForAssertion(() => Assert.Contains("At most 100 EUR is left to refund.", cut.Find(".mud-dialog").TextContent, StringComparison.Ordinal));

        Field(cut, "Amount (EUR)").Input("40");
        Field(cut, "Note (optional)").Input("Returned damaged.");
        cut.Find(".mud-dialog form").Submit();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-dialog")));
        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count));
        Assert.Contains("-40.00 EUR", RowOf(cut, "refund").TextContent, StringComparison.Ordinal);
        var rewards = await QueryAsync(db => db.Rewards.AsNoTracking().OrderBy(r => r.Id).Select(r => r.AmountUnits).ToListAsync(Ct));
        Assert.Equal([MoneyUnits.ToUnits(10m), MoneyUnits.ToUnits(-4m)], rewards);
        Assert.Equal(conversion.PublicId, (await AsAdminAsync(async () => Ok(await App.Conversions.ListAsync(new ConversionQuery(EventType: "refund"), Ct)))).Items.Single().ReversesPublicId);
    }

    [Fact]
    public async Task Opened_with_filters_in_its_url_it_shows_the_matching_rows_with_the_filter_controls_set()
    {
        var (_, _, adaLink) = await GivenPartnerWithLinkAsync("Ada Lovelace");
        var (_, sam, samLink) = await GivenPartnerWithLinkAsync("Sam Self");
        await GivenConversionAsync(adaLink, 1234.5m, "EUR", "desk-lamp", selfReferral: true);
        await GivenConversionAsync(samLink, 75m, "USD", "gadget", selfReferral: true);
        await GivenConversionAsync(samLink, 20m, "USD", "cable");
        SignInAs(Roles.Operator);
        Navigation.NavigateTo($"conversions?status=suspicious&partner={sam.Id}&type=purchase");

        var cut = RenderInHost<ConversionsPage>();

        cut.WaitForAssertion(() => Assert.Contains("gadget", Assert.Single(Rows(cut)).TextContent, StringComparison.Ordinal));
        cut.WaitForAssertion(() => Assert.Equal("Sam Self (sam_self)", FilterShown(cut, "Partner")));
        Assert.Equal("Suspicious", FilterShown(cut, "Status"));
        Assert.Equal("purchase", FilterShown(cut, "Event type"));
        Assert.Equal("All projects", FilterShown(cut, "Project"));
    }

    [Fact]
    public async Task Changing_a_filter_writes_it_into_the_url_in_place_of_the_current_entry()
    {
        var (_, _, adaLink) = await GivenPartnerWithLinkAsync("Ada Lovelace");
        var (_, _, samLink) = await GivenPartnerWithLinkAsync("Sam Self");
        await GivenConversionAsync(adaLink, 100m);
        await GivenConversionAsync(samLink, 75m, "USD", "gadget", selfReferral: true);
        SignInAs(Roles.Operator);
        Navigation.NavigateTo("conversions");
        var cut = RenderInHost<ConversionsPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count));

        Choose(cut, "Status", "Suspicious");
        cut.WaitForAssertion(() => Assert.Contains("gadget", Assert.Single(Rows(cut)).TextContent, StringComparison.Ordinal));
        Assert.Equal("http://localhost/conversions?status=suspicious", Navigation.Uri);

        Choose(cut, "Event type", "subscription");
        cut.WaitForAssertion(() => Assert.Equal("http://localhost/conversions?status=suspicious&type=subscription", Navigation.Uri));
        Choose(cut, "Status", "All statuses");
        cut.WaitForAssertion(() => Assert.Equal("http://localhost/conversions?type=subscription", Navigation.Uri));
        cut.WaitForAssertion(() => Assert.Contains("No conversion matches these filters.", cut.Markup, StringComparison.Ordinal));
        // The filter replaces the page's history entry: back leaves the page instead of stepping through filters.
        Assert.All(Navigation.History.Take(3), h => Assert.True(h.Options.ReplaceHistoryEntry));
    }

    [Fact]
    public async Task Values_in_the_url_that_do_not_parse_are_ignored_and_a_new_url_for_the_page_changes_the_rows()
    {
        var (_, _, adaLink) = await GivenPartnerWithLinkAsync("Ada Lovelace");
        var (_, _, samLink) = await GivenPartnerWithLinkAsync("Sam Self");
        await GivenConversionAsync(adaLink, 100m);
        await GivenConversionAsync(samLink, 75m, "USD", "gadget", selfReferral: true);
        SignInAs(Roles.Viewer);
        Navigation.NavigateTo("conversions?status=bogus&project=abc&partner=-4&from=2026-02-30&to=soon&type=nope");

        var cut = RenderInHost<ConversionsPage>();

        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count));
        Assert.Equal("All statuses", FilterShown(cut, "Status"));
        Assert.Equal("All event types", FilterShown(cut, "Event type"));

        // As a link to the page, or back and forward, would.
        Navigation.NavigateTo("conversions?status=suspicious");
        cut.WaitForAssertion(() => Assert.Contains("gadget", Assert.Single(Rows(cut)).TextContent, StringComparison.Ordinal));
        Assert.Equal("Suspicious", FilterShown(cut, "Status"));
    }
}
