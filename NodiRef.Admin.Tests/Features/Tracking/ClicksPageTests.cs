using Bunit;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Tracking;
using NodiRef.Admin.Tests.Support;
using NodiRef.Admin.Tests.Components;

namespace NodiRef.Admin.Tests.Features.Tracking;

public sealed class ClicksPageTests : ComponentTest
{
    private static readonly DateTime November10 = new(2026, 11, 10, 9, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime November20 = new(2026, 11, 20, 9, 30, 0, DateTimeKind.Utc);

    private IReadOnlyList<AngleSharp.Dom.IElement> Rows(IRenderedComponent<TestHost> cut) => cut.FindAll("tbody tr.mud-table-row");

    [Fact]
    public async Task Opened_with_a_partner_and_dates_in_its_url_it_shows_those_clicks_with_the_filters_set()
    {
        var (_, ada, adaLink) = await GivenPartnerWithLinkAsync("Ada Lovelace");
        var (_, _, alanLink) = await GivenPartnerWithLinkAsync("Alan Turing");
        await TestClicks.WriteAsync(App.Provider, adaLink, November10, ct: Ct);
        await TestClicks.WriteAsync(App.Provider, adaLink, November20, ct: Ct);
        await TestClicks.WriteAsync(App.Provider, alanLink, November20, ct: Ct);
        SignInAs(Roles.Viewer);
        Navigation.NavigateTo($"clicks?partner={ada.Id}&from=2026-11-15&to=2026-11-30");

        var cut = RenderInHost<ClicksPage>();

        cut.WaitForAssertion(() =>
        {
            var row = Assert.Single(Rows(cut));
            Assert.Contains("Ada Lovelace", row.TextContent, StringComparison.Ordinal);
            Assert.Contains("20 Nov 2026, 09:30 UTC", row.TextContent, StringComparison.Ordinal);
        });
        cut.WaitForAssertion(() => Assert.Equal("Ada Lovelace (ada_lovelace)", FilterShown(cut, "Partner")));
        Assert.Equal("15 Nov 2026 - 30 Nov 2026", FilterShown(cut, "Dates (UTC)"));
        Assert.Equal("All statuses", FilterShown(cut, "Status"));
    }

    [Fact]
    public async Task A_partner_in_the_url_that_does_not_exist_is_ignored_and_picking_one_writes_it_into_the_url()
    {
        var (_, _, adaLink) = await GivenPartnerWithLinkAsync("Ada Lovelace");
        var (_, alan, alanLink) = await GivenPartnerWithLinkAsync("Alan Turing");
        await TestClicks.WriteAsync(App.Provider, adaLink, November10, ct: Ct);
        await TestClicks.WriteAsync(App.Provider, alanLink, November20, ct: Ct);
        SignInAs(Roles.Operator);
        Navigation.NavigateTo("clicks?partner=987654");

        var cut = RenderInHost<ClicksPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count));
        Assert.Equal("", FilterShown(cut, "Partner"));

        // The one partner picker (PartnerPicker) finds partners by name as one types.
        Field(cut, "Partner", ".grid-filters").Input("alan");
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("div.mud-list-item"), i => i.TextContent.Trim() == "Alan Turing (alan_turing)"),
            TimeSpan.FromSeconds(5));
        cut.FindAll("div.mud-list-item").First(i => i.TextContent.Trim() == "Alan Turing (alan_turing)").Click();

        cut.WaitForAssertion(() => Assert.Contains("Alan Turing", Assert.Single(Rows(cut)).TextContent, StringComparison.Ordinal));
        Assert.Equal($"http://localhost/clicks?partner={alan.Id}", Navigation.Uri);

        Choose(cut, "Status", "Discarded");
        cut.WaitForAssertion(() => Assert.Contains("No clicks match these filters.", cut.Markup, StringComparison.Ordinal));
        Assert.Equal($"http://localhost/clicks?partner={alan.Id}&status=discarded", Navigation.Uri);
    }
}
