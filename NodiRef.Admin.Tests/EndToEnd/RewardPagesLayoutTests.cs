namespace NodiRef.Admin.Tests.EndToEnd;

/// <summary>The referral, conversion and reward pages at a laptop's and a phone's width: screenshots, and nothing scrolls sideways.</summary>
public sealed class RewardPagesLayoutTests(BrowserSuite suite) : BrowserTest(suite)
{
    [Theory]
    [InlineData("referrals", 1366)]
    [InlineData("conversions", 1366)]
    [InlineData("rewards", 1366)]
    [InlineData("rule-sets", 1366)]
    [InlineData("rule-set", 1366)]
    [InlineData("partner", 1366)]
    [InlineData("referrals", 390)]
    [InlineData("conversions", 390)]
    [InlineData("rewards", 390)]
    [InlineData("rule-sets", 390)]
    [InlineData("rule-set", 390)]
    [InlineData("partner", 390)]
    public async Task A_page_fits_its_window_and_its_grid_needs_no_sideways_scrolling(string name, int width)
    {
        var showcase = await Showcase.OfAsync(Suite);
        var page = await NewPageAsync(viewport: width == 390 ? Phone : Desktop);
        await OpenAsync(page, name switch
        {
            "rule-sets" => "rewards/rule-sets",
            "rule-set" => $"rewards/rule-sets/{showcase.RuleSetId}",
            "partner" => $"partners/{showcase.Ada.Id}",
            _ => name,
        });
        await Expect(Rows(page).First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot($"{name}-{width}px"), FullPage = true });
        if (width == 390)
        {
            // The full page is too tall to read at its real size: the first rows as a phone shows them, too.
            await Rows(page).First.ScrollIntoViewIfNeededAsync();
            await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot($"{name}-{width}px-rows") });
        }

        var grids = await page.Locator(".mud-table-container").EvaluateAllAsync<int[][]>("cs => cs.map(c => [c.scrollWidth, c.clientWidth])");
        foreach (var w in grids)
        {
            Assert.True(w[0] <= w[1] + 1, $"A grid of {name} is {w[0]} px wide in {w[1]} px at a {width} px window.");
        }

        var pageWidths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(pageWidths[0] <= pageWidths[1] + 1, $"{name} scrolls sideways at {width} px: it is {pageWidths[0]} px wide.");
    }

    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task The_rule_set_and_review_dialogs_fit_the_window(int width)
    {
        await Showcase.OfAsync(Suite);
        var page = await NewPageAsync(viewport: width == 390 ? Phone : Desktop);
        await OpenAsync(page, "rewards/rule-sets");
        await Button(page, "Create Rule Set").ClickAsync();
        var dialog = Dialog(page);
        await ChooseAsync(Select(dialog, "Applies to"), "One project");
        await Expect(Button(dialog, "Create")).ToBeInViewportAsync();
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot($"rule-set-dialog-{width}px") });
        var box = await dialog.BoundingBoxAsync();
        Assert.True(box is not null && box.X >= 0 && box.X + box.Width <= width + 1, $"The rule set dialog spills out of a {width} px window.");
        await Button(dialog, "Cancel").ClickAsync();

        await OpenAsync(page, "conversions");
        var suspicious = Rows(page).Filter(new() { Has = page.GetByTestId("conversion-status").Filter(new() { HasText = "Suspicious" }) }).First;
        await Button(suspicious, "Reject").ClickAsync();
        await Expect(Button(dialog, "Reject")).ToBeInViewportAsync();
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot($"reject-dialog-{width}px") });
        box = await dialog.BoundingBoxAsync();
        Assert.True(box is not null && box.X >= 0 && box.X + box.Width <= width + 1, $"The reject dialog spills out of a {width} px window.");
    }
}
