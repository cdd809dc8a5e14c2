using Bunit;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Audit;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Tests.Components;

namespace NodiRef.Admin.Tests.Features.Audit;

public sealed class AuditLogPageTests : ComponentTest
{
    [Fact]
    public async Task Opened_with_filters_in_its_url_it_shows_those_entries_with_the_fields_before_and_after_and_a_new_filter_is_written_back()
    {
        var ada = (await GivenPartnerAsync("Ada Lovelace")).Partner;
        await GivenPartnerAsync("Alan Turing");
        await AsAdminAsync(() => App.Partners.UpdateAsync(ada.Id, new UpdatePartnerInput("Ada King", null, PartnerStatus.Active, null), ada.Version, Ct));
        SignInAs(Roles.Admin);
        Navigation.NavigateTo("audit-log?type=Partner&action=updated");

        var cut = RenderInHost<AuditLogPage>();

        cut.WaitForAssertion(() =>
        {
            var row = Assert.Single(cut.FindAll("tbody tr.mud-table-row"));
            Assert.Contains($"Partner {ada.Id}", row.TextContent, StringComparison.Ordinal);
            Assert.Contains("Ada Lovelace", row.TextContent, StringComparison.Ordinal);
            Assert.Contains("Ada King", row.TextContent, StringComparison.Ordinal);
            Assert.Equal("Changed", row.QuerySelector("[data-testid=audit-action]")!.TextContent.Trim());
        });
        Assert.Equal("Partner", FilterShown(cut, "What"));

        Choose(cut, "Action", "Created");

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("tbody tr.mud-table-row").Count));
        Assert.Equal("http://localhost/audit-log?type=Partner&action=created", Navigation.Uri);
    }

    [Fact]
    public async Task A_partners_history_opens_on_its_page_with_its_links_changes()
    {
        var project = await GivenProjectAsync("Shop");
        var ada = (await GivenPartnerAsync("Ada Lovelace", "ada", project.Id)).Partner;
        SignInAs(Roles.Operator);

        var cut = RenderInHost<PartnerPage>(p => p.Add(x => x.Id, ada.Id));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=history]")));
        cut.Find("[data-testid=history] .mud-expand-panel-header").Click();

        cut.WaitForAssertion(() =>
        {
            var rows = cut.FindAll("[data-testid=audit-entries] tbody tr.mud-table-row");
            Assert.Equal(2, rows.Count);
            Assert.Contains(rows, r => r.TextContent.Contains("Referral link", StringComparison.Ordinal));
            Assert.Contains(rows, r => r.TextContent.Contains($"Partner {ada.Id}", StringComparison.Ordinal));
        });
    }

    [Fact]
    public async Task A_viewer_sees_no_history_on_a_partners_page()
    {
        var ada = (await GivenPartnerAsync("Ada Lovelace")).Partner;
        SignInAs(Roles.Viewer);

        var cut = RenderInHost<PartnerPage>(p => p.Add(x => x.Id, ada.Id));

        cut.WaitForAssertion(() => Assert.Contains("Ada Lovelace", cut.Markup, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=history]"));
    }
}
