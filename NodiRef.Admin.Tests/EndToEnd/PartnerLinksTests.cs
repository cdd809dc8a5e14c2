using Microsoft.Playwright;
using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Tests.EndToEnd;

/// <summary>A partner's page: its links, adding one, and moving one to another project.</summary>
public sealed class PartnerLinksTests(BrowserSuite suite) : BrowserTest(suite)
{
    [Fact]
    public async Task An_admin_adds_a_link_with_a_custom_code_and_moves_it_to_another_project_which_persists()
    {
        var shop = await Suite.GivenProjectAsync("Shop " + Unique.Id());
        var blog = await Suite.GivenProjectAsync("Blog " + Unique.Id());
        var partner = (await Suite.GivenPartnerAsync("Grace Hopper " + Unique.Id(), projectId: shop.Id)).Partner;
        var code = "spring-" + Unique.Id();
        var page = await NewPageAsync();
        await OpenAsync(page, $"partners/{partner.Id}");
        await Expect(Rows(page)).ToHaveCountAsync(1);

        await Button(page, "Add link").ClickAsync();
        var dialog = Dialog(page);
        await dialog.GetByRole(AriaRole.Radio, new() { Name = "Choose a code" }).CheckAsync();
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Code", Exact = true }).FillAsync(code);
        await ExpectSelectedAsync(Select(dialog, "Project"), shop.Name);
        await Button(dialog, "Add link").ClickAsync();

        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(Snackbar(page)).ToContainTextAsync($"Link {code} added.");
        await Expect(Rows(page)).ToHaveCountAsync(2);
        var link = Select(Row(page, code), $"Project of link {code}");
        await ExpectSelectedAsync(link, shop.Name);

        await ChooseAsync(link, blog.Name);
        await Expect(Snackbar(page).Filter(new() { HasText = "moved to" }))
            .ToContainTextAsync($"Link {code} moved to {blog.Name}; {partner.Name} now belongs to {blog.Name}.");

        await page.ReloadAsync();
        await WaitInteractiveAsync(page);
        await ExpectSelectedAsync(Select(Row(page, code), $"Project of link {code}"), blog.Name);
        var projects = page.GetByTestId("partner-projects").Locator(".mud-chip");
        await Expect(projects).ToHaveCountAsync(2);
        await Expect(projects.Filter(new() { HasText = shop.Name })).ToHaveCountAsync(1);
        await Expect(projects.Filter(new() { HasText = blog.Name })).ToHaveCountAsync(1);
        Assert.Equal(blog.Id, (await Suite.LinksAsync(partner.Id)).Single(l => l.Code == code).Project?.Id);
    }

    [Fact]
    public async Task An_operator_sees_a_links_project_read_only_but_may_add_links()
    {
        var shop = await Suite.GivenProjectAsync("Shop " + Unique.Id());
        var partner = (await Suite.GivenPartnerAsync("Linus Operator-View " + Unique.Id(), projectId: shop.Id)).Partner;
        var code = (await Suite.LinksAsync(partner.Id)).Single().Code;
        var page = await NewPageAsync(Roles.Operator);
        await OpenAsync(page, $"partners/{partner.Id}");

        var row = Row(page, code);
        await Expect(row.GetByTestId("link-project")).ToHaveTextAsync(shop.Name);
        await Expect(row.GetByRole(AriaRole.Combobox)).ToHaveCountAsync(0);
        await Expect(Button(page, "Add link")).ToBeVisibleAsync();
        await Expect(Button(page, "Edit")).ToBeVisibleAsync();
    }
}
