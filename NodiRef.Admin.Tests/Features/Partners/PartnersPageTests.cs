using Bunit;
using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Tests.Components;

namespace NodiRef.Admin.Tests.Features.Partners;

public sealed class PartnersPageTests : ComponentTest
{
    [Fact]
    public async Task Grid_shows_partners_from_the_service_and_pages_through_them()
    {
        var project = await GivenProjectAsync("Spring");
        for (var i = 1; i <= 30; i++)
        {
            App.Clock.Advance(TimeSpan.FromMinutes(1));
            await GivenPartnerAsync($"Partner {i:D2}", $"ext-{i:D2}", i % 2 == 0 ? project.Id : null);
        }

        SignInAs(Roles.Operator);
        var cut = RenderInHost<PartnersPage>();

        cut.WaitForAssertion(() => Assert.Equal(25, cut.FindAll("tbody tr.mud-table-row").Count));
        Assert.Contains(cut.FindAll(".mud-table-pagination-caption"), c => c.TextContent.Contains("1-25 of 30", StringComparison.Ordinal));
        // Newest first: the last partner created heads the list, with its link and project.
        var first = cut.FindAll("tbody tr.mud-table-row")[0];
        Assert.Contains("Partner 30", first.TextContent, StringComparison.Ordinal);
        Assert.Contains("ext-30", first.TextContent, StringComparison.Ordinal);
        Assert.Contains("Spring", first.TextContent, StringComparison.Ordinal);

        cut.FindAll(".mud-table-pagination-actions button")[2].Click();

        cut.WaitForAssertion(() => Assert.Equal(5, cut.FindAll("tbody tr.mud-table-row").Count));
        Assert.Contains("Partner 01", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Partner 30", cut.FindAll("tbody").Last().TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_filters_come_from_the_url_and_a_new_search_is_written_back()
    {
        await GivenPartnerAsync("Ada Lovelace", "ada-1");
        var grace = await GivenPartnerAsync("Grace Hopper", "grace-1");
        await GivenPartnerAsync("Gracie Inactive", "grace-2", status: PartnerStatus.Inactive);
        SignInAs(Roles.Viewer);
        Navigation.NavigateTo("partners?q=race&status=active");

        var cut = RenderInHost<PartnersPage>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tbody tr.mud-table-row")));
        Assert.Contains(grace.Partner.Name, cut.Find("tbody tr.mud-table-row").TextContent, StringComparison.Ordinal);
        Assert.Equal("race", cut.Find(".grid-filters input").GetAttribute("value"));

        cut.Find(".grid-filters input").Input("lovel");

        cut.WaitForAssertion(() => Assert.Equal("http://localhost/partners?q=lovel&status=active", Navigation.Uri));
        cut.WaitForAssertion(() => Assert.Contains("Ada Lovelace", cut.Find("tbody tr.mud-table-row").TextContent, StringComparison.Ordinal));

        // Back to where the link pointed: the rows follow the URL.
        Navigation.NavigateTo("partners?status=inactive");
        cut.WaitForAssertion(() => Assert.Contains("Gracie Inactive", cut.Find("tbody tr.mud-table-row").TextContent, StringComparison.Ordinal));
        Assert.Single(cut.FindAll("tbody tr.mud-table-row"));
    }

    [Fact]
    public async Task Viewer_gets_no_create_button_and_read_only_status()
    {
        await GivenPartnerAsync("Read Only", "ro-1");
        SignInAs(Roles.Viewer);

        var cut = RenderInHost<PartnersPage>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tbody tr.mud-table-row")));
        Assert.DoesNotContain(cut.FindAll("button"), b => b.TextContent.Contains("Create Partner", StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("tbody .cell-select"));
        Assert.Contains("Active", cut.Find("tbody .mud-chip").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_partner_dialog_validates_shows_a_duplicate_external_id_inline_and_creates()
    {
        var project = await GivenProjectAsync("Summer");
        var existing = await GivenPartnerAsync("Ada Lovelace", "usr_42");
        SignInAs(Roles.Operator);
        var cut = RenderInHost<PartnersPage>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tbody tr.mud-table-row")));

        cut.FindAll("button").First(b => b.TextContent.Contains("Create Partner", StringComparison.Ordinal)).Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".mud-dialog")));

        // Nothing filled in: the name is required.
        cut.Find(".mud-dialog form").Submit();
        cut.WaitForAssertion(() => Assert.Contains("Name is required.", cut.Find(".mud-dialog").TextContent, StringComparison.Ordinal));

        // A taken external id: the error names the partner that has it, on the field itself.
        var inputs = cut.FindAll(".mud-dialog input");
        inputs[0].Input("Grace Hopper");
        cut.FindAll(".mud-dialog input")[1].Input("usr_42");
        cut.Find(".mud-dialog form").Submit();
        cut.WaitForAssertion(() =>
        {
            var field = cut.FindAll(".mud-dialog .mud-input-control").First(c => c.TextContent.Contains("External ID", StringComparison.Ordinal));
            Assert.Contains($"already used by partner Ada Lovelace (#{existing.Partner.Id})", field.TextContent, StringComparison.Ordinal);
        });
        Assert.Equal(1, await QueryAsync(db => db.Partners.CountAsync(Ct)));

        // Fixed, with a project: created with its first link, and the dialog closes.
        cut.FindAll(".mud-dialog input")[1].Input("usr_43");
        OpenSelect(cut, "Project");
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("div.mud-list-item"), i => i.TextContent.Contains("Summer", StringComparison.Ordinal)));
        cut.FindAll("div.mud-list-item").First(i => i.TextContent.Contains("Summer", StringComparison.Ordinal)).Click();
        cut.Find(".mud-dialog form").Submit();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-dialog")));
        var created = await QueryAsync(db => db.Partners.AsNoTracking().SingleAsync(p => p.ExternalId == "usr_43", Ct));
        Assert.Equal("Grace Hopper", created.Name);
        Assert.Equal(project.Id, created.DefaultProjectId);
        var link = await QueryAsync(db => LinksOf(db, created.Id).SingleAsync(Ct));
        Assert.Equal(project.Id, link.ProjectId);
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("tbody tr.mud-table-row").Count));
    }

    private static void OpenSelect(IRenderedComponent<TestHost> cut, string label) =>
        cut.FindAll(".mud-dialog div.mud-input-control").First(c => c.TextContent.Contains(label, StringComparison.Ordinal)).MouseDown();
}
