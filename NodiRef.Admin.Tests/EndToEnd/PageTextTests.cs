using Microsoft.Playwright;

namespace NodiRef.Admin.Tests.EndToEnd;

/// <summary>What pages say in the states people meet first: a new token, an empty list.</summary>
public sealed class PageTextTests(BrowserSuite suite) : BrowserTest(suite)
{
    /// <summary>Once a token is created, its dialog is titled for what it shows: the secret to copy.</summary>
    [Fact]
    public async Task The_new_token_dialog_is_titled_Copy_your_new_token()
    {
        var page = await NewPageAsync();
        await OpenAsync(page, "api-tokens");
        await Button(page, "Create token").ClickAsync();
        var dialog = Dialog(page);
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Name" }).FillAsync("title check " + Unique.Id());
        await Button(dialog, "Create").ClickAsync();
        await Expect(dialog).ToContainTextAsync("This is the only time the token is shown.");

        await Expect(dialog.GetByRole(AriaRole.Heading, new() { Name = "Copy your new token" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Dialog, new() { Name = "Copy your new token" })).ToBeVisibleAsync();
    }

    /// <summary>A fresh install's Referral Links page says where links come from, not that a filter matched nothing.</summary>
    [Fact]
    public async Task The_empty_Referral_Links_page_says_where_links_come_from()
    {
        const string email = "owner@empty-links.test";
        const string password = "an empty links passphrase";
        await using var app = await AppUnderTest.StartAsync(email, password);
        var page = await NewPageOnAsync(app);
        await Suite.SignInAsync(page, email, password);
        await OpenAsync(page, "referral-links");

        await Expect(page.GetByText("No referral link matches these filters.")).ToHaveCountAsync(0);
        await Expect(page.GetByText("No referral links yet.")).ToBeVisibleAsync();
    }
}
