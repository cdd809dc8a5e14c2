using Bunit;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Tracking;
using NodiRef.Admin.Tests.Components;

namespace NodiRef.Admin.Tests.Features.Tracking;

public sealed class ReferralsPageTests : ComponentTest
{
    [Fact]
    public async Task Project_and_status_filters_reach_the_service_and_a_discarded_referral_says_why()
    {
        var (_, ada, adaLink) = await GivenPartnerWithLinkAsync("Ada Lovelace", "Spring");
        var (_, alan, alanLink) = await GivenPartnerWithLinkAsync("Alan Turing", "Autumn");
        await GivenConversionAsync(adaLink, 10m);
        await AsAdminAsync(() => App.Partners.SetStatusAsync(alan.Id, PartnerStatus.Inactive, null, Ct));
        await GivenConversionAsync(alanLink, 10m);
        SignInAs(Roles.Viewer);

        var cut = RenderInHost<ReferralsPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("tbody tr.mud-table-row").Count));

        Choose(cut, "Status", "Discarded");
        cut.WaitForAssertion(() =>
        {
            var row = Assert.Single(cut.FindAll("tbody tr.mud-table-row"));
            Assert.Contains("Alan Turing", row.TextContent, StringComparison.Ordinal);
            Assert.Equal("Discarded: Partner inactive", row.QuerySelector("[data-testid=referral-discarded]")!.TextContent.Trim());
        });

        Choose(cut, "Status", "All statuses");
        Choose(cut, "Project", "Spring");
        cut.WaitForAssertion(() =>
        {
            var row = Assert.Single(cut.FindAll("tbody tr.mud-table-row"));
            Assert.Contains("Ada Lovelace", row.TextContent, StringComparison.Ordinal);
            Assert.Contains("Recorded", row.TextContent, StringComparison.Ordinal);
        });

        Choose(cut, "Status", "Discarded");
        cut.WaitForAssertion(() => Assert.Contains("No referral matches these filters.", cut.Markup, StringComparison.Ordinal));
        Assert.Equal(ada.Id, adaLink.PartnerId);
    }

    [Fact]
    public void An_empty_list_says_where_referrals_come_from()
    {
        SignInAs(Roles.Operator);

        var cut = RenderInHost<ReferralsPage>();

        cut.WaitForAssertion(() => Assert.Contains("No referrals yet.", cut.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Opened_with_a_project_and_a_status_in_its_url_it_shows_those_referrals_and_a_new_project_is_written_back()
    {
        var (spring, _, adaLink) = await GivenPartnerWithLinkAsync("Ada Lovelace", "Spring");
        var (autumn, alan, alanLink) = await GivenPartnerWithLinkAsync("Alan Turing", "Autumn");
        await GivenConversionAsync(adaLink, 10m);
        await AsAdminAsync(() => App.Partners.SetStatusAsync(alan.Id, PartnerStatus.Inactive, null, Ct));
        await GivenConversionAsync(alanLink, 10m);
        SignInAs(Roles.Viewer);
        Navigation.NavigateTo($"referrals?project={autumn.Id}&status=discarded");

        var cut = RenderInHost<ReferralsPage>();

        cut.WaitForAssertion(() =>
        {
            var row = Assert.Single(cut.FindAll("tbody tr.mud-table-row"));
            Assert.Equal("Discarded: Partner inactive", row.QuerySelector("[data-testid=referral-discarded]")!.TextContent.Trim());
        });
        cut.WaitForAssertion(() => Assert.Equal("Autumn", FilterShown(cut, "Project")));
        Assert.Equal("Discarded", FilterShown(cut, "Status"));

        Choose(cut, "Project", "Spring");

        cut.WaitForAssertion(() => Assert.Contains("No referral matches these filters.", cut.Markup, StringComparison.Ordinal));
        Assert.Equal($"http://localhost/referrals?project={spring.Id}&status=discarded", Navigation.Uri);
    }

    [Fact]
    public async Task A_project_in_the_url_that_does_not_exist_is_ignored()
    {
        var (_, _, adaLink) = await GivenPartnerWithLinkAsync("Ada Lovelace", "Spring");
        await GivenConversionAsync(adaLink, 10m);
        SignInAs(Roles.Viewer);
        Navigation.NavigateTo("referrals?project=987654");

        var cut = RenderInHost<ReferralsPage>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tbody tr.mud-table-row")));
        Assert.Equal("All projects", FilterShown(cut, "Project"));
    }
}
