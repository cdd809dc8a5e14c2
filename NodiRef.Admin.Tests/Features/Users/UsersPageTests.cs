using Bunit;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Users;
using NodiRef.Admin.Tests.Components;

namespace NodiRef.Admin.Tests.Features.Users;

public sealed class UsersPageTests : ComponentTest
{
    private const string Password = "a long enough password";

    [Fact]
    public async Task A_refused_demotion_of_the_last_admin_shows_the_stored_role_again_and_the_error()
    {
        var admin = await AsAdminAsync(async () => Ok(await App.Users.CreateAsync(new CreateUserInput("only-admin@example.com", "Only Admin", Roles.Admin, Password), Ct)));
        SignInAs(Roles.Admin);
        var cut = RenderInHost<UsersPage>();
        cut.WaitForAssertion(() => Assert.Equal(Roles.Admin, RoleShown(cut, admin.Email)));

        cut.FindAll("tbody tr").First(r => r.TextContent.Contains(admin.Email, StringComparison.Ordinal)).QuerySelector("div.mud-input-control")!.MouseDown();
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("div.mud-list-item"), i => i.TextContent.Trim() == Roles.Viewer));
        cut.FindAll("div.mud-list-item").First(i => i.TextContent.Trim() == Roles.Viewer).Click();

        cut.WaitForAssertion(() => Assert.Contains("last active admin", cut.Find(".mud-snackbar").TextContent, StringComparison.Ordinal));
        cut.WaitForAssertion(() => Assert.Equal(Roles.Admin, RoleShown(cut, admin.Email)));
        Assert.Equal(Roles.Admin, Ok(await AsAdminAsync(() => App.Users.ListAsync(Ct))).Single().Role);
    }

    [Fact]
    public async Task A_refused_disabling_of_the_last_admin_keeps_it_shown_active()
    {
        var admin = await AsAdminAsync(async () => Ok(await App.Users.CreateAsync(new CreateUserInput("only-admin@example.com", "Only Admin", Roles.Admin, Password), Ct)));
        SignInAs(Roles.Admin);
        var cut = RenderInHost<UsersPage>();
        cut.WaitForAssertion(() => Assert.Contains("Disable", cut.Find("tbody tr").TextContent, StringComparison.Ordinal));

        cut.Find("tbody tr").QuerySelectorAll("button").First(b => b.TextContent.Trim() == "Disable").Click();

        cut.WaitForAssertion(() => Assert.Contains("last active admin", cut.Find(".mud-snackbar").TextContent, StringComparison.Ordinal));
        var row = cut.Find("tbody tr");
        Assert.Contains("Active", row.QuerySelector(".mud-chip")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(row.QuerySelectorAll("button"), b => b.TextContent.Trim() == "Disable");
        Assert.False(Ok(await AsAdminAsync(() => App.Users.ListAsync(Ct))).Single(u => u.Id == admin.Id).IsDisabled);
    }

    /// <summary>The role the row's select displays.</summary>
    private static string? RoleShown(IRenderedComponent<TestHost> cut, string email) =>
        cut.FindAll("tbody tr").First(r => r.TextContent.Contains(email, StringComparison.Ordinal))
            .QuerySelector(".cell-select input")?.GetAttribute("value");
}
