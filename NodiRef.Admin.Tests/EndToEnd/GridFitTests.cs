
namespace NodiRef.Admin.Tests.EndToEnd;

/// <summary>The data grids fit the width they are given.</summary>
public sealed class GridFitTests(BrowserSuite suite) : BrowserTest(suite)
{
    /// <summary>The data grids fit their page at 1366 and 390 px: no column is cut off behind a sideways scroll.</summary>
    [Theory]
    [InlineData("partners", 1366)]
    [InlineData("referral-links", 1366)]
    [InlineData("projects", 1366)]
    [InlineData("partners", 390)]
    [InlineData("referral-links", 390)]
    [InlineData("projects", 390)]
    public async Task A_grid_fits_its_page_without_sideways_scrolling(string path, int width)
    {
        await Showcase.OfAsync(Suite);
        var page = await NewPageAsync(viewport: width == 390 ? Phone : Desktop);
        await OpenAsync(page, path);
        await Expect(Rows(page).First).ToBeVisibleAsync();

        var widths = await page.Locator(".mud-table-container").EvaluateAsync<int[]>("c => [c.scrollWidth, c.clientWidth]");
        Assert.True(widths[0] <= widths[1] + 1, $"The {path} grid is {widths[0]} px wide in {widths[1]} px at a {width} px window.");
    }
}
