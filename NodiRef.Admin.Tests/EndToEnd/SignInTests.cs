using Microsoft.Playwright;
using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Tests.EndToEnd;

public sealed class SignInTests(BrowserSuite suite) : BrowserTest(suite)
{
    [Fact]
    public async Task A_wrong_password_shows_an_error_and_the_right_one_opens_the_page_asked_for()
    {
        var (email, password) = await Suite.GivenUserAsync(Roles.Operator, "Olga Operator");
        var page = await NewPageAsync(role: null);

        await page.GotoAsync("projects");
        await Expect(page).ToHaveURLAsync(Url("Account/Login?ReturnUrl=%2Fprojects"));

        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password + "x");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Error: Invalid email or password.");
        await Expect(Heading(page, "Sign in")).ToBeVisibleAsync();

        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(Url("projects"));
        await Expect(Heading(page, "Projects")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync("Olga Operator");

        await WaitInteractiveAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Url("Account/Login"));
        await page.GotoAsync("partners");
        await Expect(page).ToHaveURLAsync(Url("Account/Login?ReturnUrl=%2Fpartners"));
    }

    [Fact]
    public async Task Five_failed_sign_ins_lock_the_account_which_says_so_to_the_right_password_only()
    {
        var (email, password) = await Suite.GivenUserAsync(Roles.Viewer);
        var page = await NewPageAsync(role: null);

        // The fifth failure locks the account; strangers get the same answer as before.
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            await Suite.SignInAsync(page, email, $"wrong password {attempt}");
            await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Error: Invalid email or password.");
        }

        // Locked means locked: even the right password does not get in now, but its owner learns why.
        await Suite.SignInAsync(page, email, password);

        await Expect(page).ToHaveURLAsync(Url("Account/Lockout"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Account locked" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Too many failed sign-in attempts: this account is locked for 15 minutes.");
    }
}
