using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Partners;

namespace NodiRef.Admin.Tests.EndToEnd;

public sealed class RolesTests(BrowserSuite suite) : BrowserTest(suite)
{
    [Fact]
    public async Task A_viewer_reads_partners_but_has_no_way_to_change_them()
    {
        var shop = await Suite.GivenProjectAsync("Shop " + Unique.Id());
        var partner = (await Suite.GivenPartnerAsync("Vera Viewed " + Unique.Id(), "viewed_" + Unique.Id(), shop.Id)).Partner;
        var code = (await Suite.LinksAsync(partner.Id)).Single().Code;
        var page = await NewPageAsync(Roles.Viewer);

        await OpenAsync(page, "partners");
        await Expect(Heading(page, "Partners")).ToBeVisibleAsync();
        await page.GetByLabel("Search").FillAsync(partner.ExternalId!);
        await Expect(Rows(page)).ToHaveCountAsync(1);
        var row = Row(page, partner.Name);
        await Expect(row.Locator(".mud-chip").First).ToHaveTextAsync("Active");
        await Expect(row.GetByRole(AriaRole.Combobox)).ToHaveCountAsync(0);
        await Expect(Button(page, "Create Partner")).ToHaveCountAsync(0);
        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" });
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Projects" })).ToBeVisibleAsync();
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Users" })).ToHaveCountAsync(0);
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "API Tokens" })).ToHaveCountAsync(0);

        await row.GetByRole(AriaRole.Link, new() { Name = partner.Name }).ClickAsync();
        await Expect(Heading(page, partner.Name)).ToBeVisibleAsync();
        await Expect(Row(page, code).GetByTestId("link-project")).ToHaveTextAsync(shop.Name);
        foreach (var button in new[] { "Edit", "Deactivate", "Delete", "Add link" })
        {
            await Expect(Button(page, button)).ToHaveCountAsync(0);
        }

        await OpenAsync(page, "projects");
        await Expect(Heading(page, "Projects")).ToBeVisibleAsync();
        await Expect(Button(page, "Create Project")).ToHaveCountAsync(0);
    }

    [Theory]
    [InlineData("users")]
    [InlineData("api-tokens")]
    [InlineData("audit-log")]
    [InlineData("webhooks")]
    public async Task A_viewer_opening_an_admin_page_is_refused(string path)
    {
        var page = await NewPageAsync(Roles.Viewer);

        // Typed in the address bar: the server refuses before the page renders.
        await page.GotoAsync(path);
        await Expect(page).ToHaveURLAsync(Url($"Account/AccessDenied?ReturnUrl=%2F{path}"));
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Your role does not allow this page.");

        // Followed inside the running app: the router refuses it the same way.
        await OpenAsync(page, "partners");
        await page.EvaluateAsync("path => Blazor.navigateTo(path)", path);
        await Expect(page).ToHaveURLAsync(Url(path));
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Your role does not allow this page.");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Table)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_viewers_write_is_refused_by_the_API_and_by_the_service()
    {
        var externalId = "viewer_write_" + Unique.Id();
        using var api = Suite.ApiClient(await Suite.GivenApiTokenAsync(Roles.Viewer));

        var read = await api.GetAsync("api/partners", TestContext.Current.CancellationToken);
        var write = await api.PostAsJsonAsync("api/partners", new { name = "Not allowed", external_id = externalId }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);

        var serviceResult = await App.AsAsync(Roles.Viewer, services =>
            services.GetRequiredService<PartnerService>().CreateAsync(new CreatePartnerInput("Not allowed either", externalId, PartnerStatus.Active, null)));
        Assert.Equal(ResultStatus.Forbidden, serviceResult.Status);
        Assert.Equal(0, (await Suite.PartnersAsync(externalId)).Total);
    }
}
