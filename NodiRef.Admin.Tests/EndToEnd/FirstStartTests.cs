using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace NodiRef.Admin.Tests.EndToEnd;

/// <summary>An app started without NODIREF_ADMIN_EMAIL / NODIREF_ADMIN_PASSWORD: the one-time setup page.</summary>
public sealed class FirstStartTests(BrowserSuite suite) : BrowserTest(suite)
{
    [Fact]
    public async Task Without_an_admin_the_setup_page_creates_the_first_one_signs_in_and_then_closes()
    {
        await using var app = await AppUnderTest.StartAsync();
        var page = await NewPageOnAsync(app);

        await page.GotoAsync("partners");

        await Expect(page).ToHaveURLAsync(new Regex("/setup$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Create the first administrator" })).ToBeVisibleAsync();

        // A password under 12 characters is refused on the page; nothing is created.
        await FillSetupAsync(page, "Ada Admin", "ada@first.test", "too short");
        await Expect(page.GetByText("Passwords must be at least 12 characters.")).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/setup$"));

        await FillSetupAsync(page, "Ada Admin", "ada@first.test", "a long first passphrase");

        await Expect(page).ToHaveURLAsync(new Uri(app.BaseUri, "partners").ToString());
        await Expect(Heading(page, "Partners")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync("Ada Admin");
        await WaitInteractiveAsync(page);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create Partner" })).ToBeVisibleAsync();

        // The page has closed for good, for the new admin and for anyone else.
        await page.GotoAsync("setup");
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Setup is already done: an administrator exists.");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create administrator" })).ToHaveCountAsync(0);

        var stranger = await NewPageOnAsync(app);
        await stranger.GotoAsync("setup");
        await Expect(stranger.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Setup is already done: an administrator exists.");
        await stranger.GotoAsync("partners");
        await Expect(stranger).ToHaveURLAsync(new Uri(app.BaseUri, "Account/Login?ReturnUrl=%2Fpartners").ToString());
    }

    [Fact]
    public async Task A_fresh_install_tells_on_its_empty_pages_what_to_do_first()
    {
        const string email = "owner@fresh.test";
        const string password = "a fresh install passphrase";
        await using var app = await AppUnderTest.StartAsync(email, password);
        var page = await NewPageOnAsync(app);
        await Suite.SignInAsync(page, email, password);
        await Expect(page).ToHaveURLAsync(new Uri(app.BaseUri, "partners").ToString());

        foreach (var (path, heading, message) in new[]
        {
            ("projects", "Projects", "No projects yet. A project is the first thing to set up: create one with Create Project."),
            ("partners", "Partners", "No partners yet. Create the first one with Create Partner, or through the API."),
            ("api-tokens", "API Tokens", "No API tokens yet. Create one for each backend that calls the API."),
        })
        {
            await OpenAsync(page, path);
            await Expect(Heading(page, heading)).ToBeVisibleAsync();
            await Expect(page.GetByText(message)).ToBeVisibleAsync();
            await Expect(Rows(page)).ToHaveCountAsync(0);
            await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot($"empty-{path}"), FullPage = true });
        }

        // Its empty state still reads "No referral link matches these filters.": see KnownIssues (empty referral links).
        await OpenAsync(page, "referral-links");
        await Expect(Heading(page, "Referral Links")).ToBeVisibleAsync();
        await Expect(Rows(page)).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("empty-referral-links"), FullPage = true });
    }

    private static async Task FillSetupAsync(IPage page, string name, string email, string password)
    {
        await page.GetByLabel("Your name").FillAsync(name);
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password (at least 12 characters)").FillAsync(password);
        await page.GetByLabel("Confirm password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create administrator" }).ClickAsync();
    }
}
