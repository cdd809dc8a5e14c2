using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Tests.EndToEnd;

/// <summary>Pages with their data loaded, checked by axe-core beyond the page checks (PageChecksTests).</summary>
public sealed class AccessibilityTests(BrowserSuite suite) : BrowserTest(suite)
{
    /// <summary>The main pages with their rows loaded, light and dark: no critical or serious axe-core violation.</summary>
    [Theory]
    [InlineData("partners", "dark")]
    [InlineData("partner", "light")]
    [InlineData("partner", "dark")]
    [InlineData("projects", "light")]
    [InlineData("projects", "dark")]
    [InlineData("referral-links", "light")]
    [InlineData("referral-links", "dark")]
    [InlineData("users", "light")]
    [InlineData("users", "dark")]
    [InlineData("api-tokens", "light")]
    [InlineData("api-tokens", "dark")]
    [InlineData("audit-log", "light")]
    [InlineData("audit-log", "dark")]
    [InlineData("webhooks", "light")]
    [InlineData("webhooks", "dark")]
    public async Task Each_main_page_has_no_serious_accessibility_violation_at_all(string name, string theme)
    {
        var showcase = await Showcase.OfAsync(Suite);
        var page = await NewPageAsync(Roles.Admin);
        if (theme == "dark")
        {
            await page.Context.AddInitScriptAsync("localStorage.setItem('nodiref-theme', 'dark')");
        }

        await OpenAsync(page, name == "partner" ? $"partners/{showcase.Ada.Id}" : name);
        await Expect(Button(page, theme == "dark" ? "Switch to light mode" : "Switch to dark mode")).ToBeVisibleAsync();
        // The showcase sends no webhooks (its receiver would be a private address): that page shows its empty table.
        await Expect(name == "webhooks" ? page.GetByText("No webhook endpoints yet.") : Rows(page).First).ToBeVisibleAsync();

        await PageChecksTests.AssertNoSeriousViolationsAsync(page, $"strict-{name}-{theme}");
    }

    /// <summary>A Viewer's partners grid (status chips without actions) has no serious violation either.</summary>
    [Fact]
    public async Task The_partners_page_of_a_viewer_has_no_serious_accessibility_violation()
    {
        await Showcase.OfAsync(Suite);
        var page = await NewPageAsync(Roles.Viewer);
        await OpenAsync(page, "partners");
        await Expect(Rows(page).First).ToBeVisibleAsync();

        await PageChecksTests.AssertNoSeriousViolationsAsync(page, "strict-partners-viewer");
    }
}
