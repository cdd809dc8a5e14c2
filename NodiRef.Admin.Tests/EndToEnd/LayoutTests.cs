using Microsoft.Playwright;
using MudBlazor.Utilities;
using NodiRef.Admin.Components.Layout;

namespace NodiRef.Admin.Tests.EndToEnd;

public sealed class LayoutTests(BrowserSuite suite) : BrowserTest(suite)
{
    [Fact]
    public async Task Dark_mode_is_switched_on_and_off_and_survives_reloads()
    {
        var light = Css(AppTheme.Theme.PaletteLight.Background);
        var dark = Css(AppTheme.Theme.PaletteDark.Background);
        var page = await NewPageAsync();
        await OpenAsync(page, "partners");
        var body = page.Locator("body");
        await Expect(body).ToHaveCSSAsync("background-color", light);

        await Button(page, "Switch to dark mode").ClickAsync();

        await Expect(Button(page, "Switch to light mode")).ToBeVisibleAsync();
        await Expect(body).ToHaveCSSAsync("background-color", dark);

        await page.ReloadAsync();
        await WaitInteractiveAsync(page);
        await Expect(Button(page, "Switch to light mode")).ToBeVisibleAsync();
        await Expect(body).ToHaveCSSAsync("background-color", dark);

        // Also on another page of the app, opened afresh.
        await OpenAsync(page, "projects");
        await Expect(body).ToHaveCSSAsync("background-color", dark);

        await Button(page, "Switch to light mode").ClickAsync();
        await Expect(body).ToHaveCSSAsync("background-color", light);
        await page.ReloadAsync();
        await WaitInteractiveAsync(page);
        await Expect(Button(page, "Switch to dark mode")).ToBeVisibleAsync();
        await Expect(body).ToHaveCSSAsync("background-color", light);
    }

    [Fact]
    public async Task At_390_px_the_page_does_not_scroll_sideways_the_menu_opens_the_drawer_and_Create_Partner_works()
    {
        await Showcase.OfAsync(Suite);
        var name = "Phone Partner " + Unique.Id();
        var externalId = "phone_" + Unique.Id();
        var page = await NewPageAsync(viewport: Phone);
        await OpenAsync(page, "partners");
        await Expect(Heading(page, "Partners")).ToBeVisibleAsync();
        await Expect(Rows(page).First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("partners-390px"), FullPage = true });

        await AssertNoSidewaysScrollAsync(page);

        var projectsLink = page.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" }).GetByRole(AriaRole.Link, new() { Name = "Projects" });
        await Expect(projectsLink).Not.ToBeInViewportAsync();
        await Button(page, "Toggle navigation").ClickAsync();
        await Expect(projectsLink).ToBeInViewportAsync();
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("partners-390px-menu-open") });
        await projectsLink.ClickAsync();
        await Expect(Heading(page, "Projects")).ToBeVisibleAsync();
        await Expect(projectsLink).Not.ToBeInViewportAsync();
        await AssertNoSidewaysScrollAsync(page);

        await OpenAsync(page, "partners");
        await Button(page, "Create Partner").ClickAsync();
        var dialog = Dialog(page);
        await dialog.GetByLabel("Name").FillAsync(name);
        await dialog.GetByLabel("External ID").FillAsync(externalId);
        await Expect(Button(dialog, "Create")).ToBeInViewportAsync();
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("partners-390px-create-dialog") });
        await Button(dialog, "Create").ClickAsync();

        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(Snackbar(page)).ToContainTextAsync($"Partner {name} created.");
        await page.GetByLabel("Search").FillAsync(externalId);
        await Expect(Rows(page)).ToHaveCountAsync(1);
        await Expect(Row(page, name)).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync(page);
    }

    private static string Css(MudColor color) => $"rgb({color.R}, {color.G}, {color.B})";
}
