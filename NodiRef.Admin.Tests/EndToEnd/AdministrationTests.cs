using System.Net;
using Microsoft.Playwright;

namespace NodiRef.Admin.Tests.EndToEnd;

/// <summary>The admin pages: Users and API Tokens.</summary>
public sealed class AdministrationTests(BrowserSuite suite) : BrowserTest(suite)
{
    [Fact]
    public async Task An_admin_creates_an_operator_on_the_Users_page_who_can_then_sign_in_with_the_first_password()
    {
        var email = $"olivia-{Unique.Id()}@e2e.test";
        var page = await NewPageAsync();
        await OpenAsync(page, "users");

        await Button(page, "Create user").ClickAsync();
        var dialog = Dialog(page);
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync(email);
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Name" }).FillAsync("Olivia Operator");
        await ChooseAsync(Select(dialog, "Role"), "Operator");
        var firstPassword = dialog.GetByRole(AriaRole.Textbox, new() { Name = "First password" });
        await Expect(firstPassword).Not.ToHaveValueAsync("");
        var password = await firstPassword.InputValueAsync();
        Assert.True(password.Length >= 12, $"The generated first password \"{password}\" is shorter than 12 characters.");
        await Button(dialog, "Create").ClickAsync();

        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(Snackbar(page)).ToContainTextAsync($"User {email} created as Operator.");
        var row = Row(page, email);
        await Expect(row).ToContainTextAsync("Olivia Operator");
        await ExpectSelectedAsync(Select(row, $"Role of {email}"), "Operator");

        var operatorPage = await NewPageAsync(role: null);
        await Suite.SignInAsync(operatorPage, email, password);
        await Expect(operatorPage).ToHaveURLAsync(Url("partners"));
        await WaitInteractiveAsync(operatorPage);
        await Expect(operatorPage.GetByTestId("signed-in-user")).ToHaveTextAsync("Olivia Operator");
        await Expect(Button(operatorPage, "Create Partner")).ToBeVisibleAsync();
        await Expect(operatorPage.GetByRole(AriaRole.Link, new() { Name = "Users" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_new_API_token_is_shown_once_works_against_the_API_and_stops_working_once_revoked()
    {
        var name = "billing backend " + Unique.Id();
        var page = await NewPageAsync();
        await OpenAsync(page, "api-tokens");

        await Button(page, "Create token").ClickAsync();
        var dialog = Dialog(page);
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Name" }).FillAsync(name);
        await ChooseAsync(Select(dialog, "Role"), "Viewer");
        await Button(dialog, "Create").ClickAsync();

        // The dialog's title should now read "Copy your new token" but does not: see KnownIssues (API token dialog title).
        await Expect(dialog).ToContainTextAsync("This is the only time the token is shown.");
        var shown = dialog.GetByRole(AriaRole.Textbox, new() { Name = "API token" });
        await Expect(shown).Not.ToHaveValueAsync("");
        var token = await shown.InputValueAsync();
        await Button(dialog, "Done").ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);

        var row = Row(page, name);
        await Expect(row).ToContainTextAsync("Viewer");
        await Expect(row).ToContainTextAsync("Active");
        Assert.DoesNotContain(token, await page.ContentAsync(), StringComparison.Ordinal);
        await page.ReloadAsync();
        await WaitInteractiveAsync(page);
        await Expect(Row(page, name)).ToBeVisibleAsync();
        Assert.DoesNotContain(token, await page.ContentAsync(), StringComparison.Ordinal);

        using var api = Suite.ApiClient(token);
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("api/partners", ct)).StatusCode);
        await Expect(Row(page, name)).ToContainTextAsync("Active");

        await Button(Row(page, name), "Revoke").ClickAsync();
        await Expect(Dialog(page)).ToContainTextAsync($"Revoke {name}");
        await Button(Dialog(page), "Revoke").ClickAsync();

        await Expect(Snackbar(page)).ToContainTextAsync($"Token {name} revoked.");
        await Expect(Row(page, name)).ToContainTextAsync("Revoked");
        await Expect(Button(Row(page, name), "Revoke")).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("api/partners", ct)).StatusCode);
    }
}
