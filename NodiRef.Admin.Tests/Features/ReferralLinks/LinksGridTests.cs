using Bunit;
using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.ReferralLinks;
using NodiRef.Admin.Tests.Components;

namespace NodiRef.Admin.Tests.Features.ReferralLinks;

public sealed class LinksGridTests : ComponentTest
{
    [Fact]
    public async Task Admin_changes_a_links_project_in_the_grid_and_the_partner_joins_that_project()
    {
        var spring = await GivenProjectAsync("Spring");
        var autumn = await GivenProjectAsync("Autumn");
        var partner = await GivenPartnerAsync("Ada", "ada", spring.Id);
        SignInAs(Roles.Admin);

        var cut = RenderInHost<LinksGrid>(p => p.Add(g => g.PartnerId, partner.Partner.Id).Add(g => g.ShowFilters, false).Add(g => g.ShowPartner, false));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tbody tr.mud-table-row")));

        cut.Find("tbody .cell-select div.mud-input-control").MouseDown();
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("div.mud-list-item"), i => i.TextContent.Contains("Autumn", StringComparison.Ordinal)));
        cut.FindAll("div.mud-list-item").First(i => i.TextContent.Contains("Autumn", StringComparison.Ordinal)).Click();

        await cut.WaitForAssertionAsync(async () =>
        {
            var link = await QueryAsync(db => LinksOf(db, partner.Partner.Id).SingleAsync(Ct));
            Assert.Equal(autumn.Id, link.ProjectId);
        });
        var details = await App.Partners.GetAsync(partner.Partner.Id, Ct);
        Assert.Equal(["Autumn", "Spring"], details.Value!.Partner.Projects.Select(p => p.Name).ToArray());
    }

    [Fact]
    public async Task Operator_sees_the_links_project_read_only()
    {
        var spring = await GivenProjectAsync("Spring");
        var partner = await GivenPartnerAsync("Ada", "ada", spring.Id);
        SignInAs(Roles.Operator);

        var cut = RenderInHost<LinksGrid>(p => p.Add(g => g.PartnerId, partner.Partner.Id).Add(g => g.ShowFilters, false).Add(g => g.ShowPartner, false));

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tbody tr.mud-table-row")));
        Assert.Empty(cut.FindAll("tbody .cell-select"));
        Assert.Equal("Spring", cut.Find("[data-testid=link-project]").TextContent.Trim());
    }
}
