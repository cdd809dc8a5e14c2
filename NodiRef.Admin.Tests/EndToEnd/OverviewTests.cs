using Microsoft.Playwright;

namespace NodiRef.Admin.Tests.EndToEnd;

/// <summary>The home page in a real browser: its figures from the public API's events, the range in the URL, and a phone's width.</summary>
public sealed class OverviewTests(BrowserSuite suite) : BrowserTest(suite)
{
    [Fact]
    public async Task The_overview_opens_first_shows_the_programs_figures_and_keeps_its_range_in_the_url()
    {
        await Showcase.OfAsync(Suite);
        var page = await NewPageAsync();

        await OpenAsync(page, "");

        await Expect(Heading(page, "Overview")).ToBeVisibleAsync();
        var menu = page.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" }).GetByRole(AriaRole.Link);
        await Expect(menu.First).ToHaveTextAsync("Overview");
        await Expect(page.Locator("[data-testid=kpi-conversions] [data-testid=kpi-value]")).Not.ToHaveTextAsync("0");
        await Expect(page.Locator("[data-testid=chart-activity] svg").First).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=leaderboard-row]").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("overview-desktop"), FullPage = true });

        await ChooseAsync(Select(page, "Range"), "Last 7 days");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("range=last-7-days"));
        await page.ReloadAsync();
        await WaitInteractiveAsync(page);
        await ExpectSelectedAsync(Select(page, "Range"), "Last 7 days");

        await page.Locator("[data-testid=leaderboard-metric]").GetByText("Clicks").ClickAsync();
        await Expect(page.Locator("[data-testid=leaderboard-row]").First).ToBeVisibleAsync();
        await page.Locator("[data-testid=leaderboard-row] a").First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/partners/\\d+$"));
        await Expect(page.Locator("[data-testid=partner-performance]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task At_390_px_the_overview_does_not_scroll_sideways_in_light_and_dark()
    {
        await Showcase.OfAsync(Suite);
        foreach (var theme in new[] { "light", "dark" })
        {
            var page = await NewPageAsync(viewport: Phone);
            if (theme == "dark")
            {
                await page.Context.AddInitScriptAsync("localStorage.setItem('nodiref-theme', 'dark')");
            }

            await OpenAsync(page, "");
            await Expect(page.Locator("[data-testid=kpi-cards]")).ToBeVisibleAsync();
            await Expect(page.Locator("[data-testid=leaderboard-row]").First).ToBeVisibleAsync();

            await AssertNoSidewaysScrollAsync(page);
            await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot($"overview-390px-{theme}"), FullPage = true });
            await PageChecksTests.AssertNoSeriousViolationsAsync(page, $"overview-390px-{theme}");
        }
    }
}
