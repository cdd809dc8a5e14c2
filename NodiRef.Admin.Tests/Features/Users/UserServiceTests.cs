using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Users;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Users;

public sealed class UserServiceTests : ServiceTest
{
    private const string Password = "correct horse battery";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        App.ActAs(Roles.Admin);
    }

    private async Task<UserRow> GivenUserAsync(string email, string role) =>
        Ok(await App.Users.CreateAsync(new CreateUserInput(email, email.Split('@')[0], role, Password), Ct));

    /// <summary>Reads a user back through Identity, in a scope of its own.</summary>
    private async Task<(ApplicationUser? User, IList<string> Roles, bool LockedOut, bool PasswordOk)> StoredAsync(string email, string password = Password)
    {
        await using var scope = App.Provider.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            return (null, [], false, false);
        }

        return (user, await users.GetRolesAsync(user), await users.IsLockedOutAsync(user), await users.CheckPasswordAsync(user, password));
    }

    [Fact]
    public async Task An_admin_creates_a_user_with_a_role_and_a_first_password()
    {
        var row = Ok(await App.Users.CreateAsync(new CreateUserInput(" ada@example.com ", " Ada Lovelace ", Roles.Operator, Password), Ct));

        Assert.Equal("ada@example.com", row.Email);
        Assert.Equal("Ada Lovelace", row.DisplayName);
        Assert.Equal(Roles.Operator, row.Role);
        Assert.False(row.IsDisabled);
        var (user, roles, lockedOut, passwordOk) = await StoredAsync("ada@example.com");
        Assert.NotNull(user);
        Assert.Equal(row.Id, user.Id);
        Assert.Equal("ada@example.com", user.UserName);
        Assert.True(user.EmailConfirmed);
        Assert.True(user.LockoutEnabled);
        Assert.Equal(App.Clock.GetUtcNow().UtcDateTime, user.CreatedAt);
        Assert.Equal([Roles.Operator], roles);
        Assert.False(lockedOut);
        Assert.True(passwordOk);
    }

    [Theory]
    [InlineData("short pass1")] // 11 characters
    [InlineData("aaaaaaaaaaaaaaaa")] // long enough, but only one distinct character
    public async Task A_weak_password_is_an_error_on_the_password_field(string password)
    {
        var result = await App.Users.CreateAsync(new CreateUserInput("bob@example.com", "Bob", Roles.Viewer, password), Ct);

        InvalidOn(result, nameof(CreateUserInput.Password));
        Assert.Null((await StoredAsync("bob@example.com")).User);
    }

    [Fact]
    public async Task A_twelve_character_password_is_enough()
    {
        Ok(await App.Users.CreateAsync(new CreateUserInput("twelve@example.com", "Twelve", Roles.Viewer, "abcdefghijkl"), Ct));

        Assert.True((await StoredAsync("twelve@example.com", "abcdefghijkl")).PasswordOk);
    }

    [Fact]
    public async Task Missing_fields_are_all_reported()
    {
        var result = await App.Users.CreateAsync(new CreateUserInput(" ", null, "Superuser", ""), Ct);

        InvalidOn(result, nameof(CreateUserInput.Email));
        InvalidOn(result, nameof(CreateUserInput.DisplayName));
        Assert.Contains("Admin, Operator or Viewer", InvalidOn(result, nameof(CreateUserInput.Role)));
        InvalidOn(result, nameof(CreateUserInput.Password));
    }

    [Fact]
    public async Task A_malformed_email_is_refused()
    {
        var result = await App.Users.CreateAsync(new CreateUserInput("not-an-email", "Nobody", Roles.Viewer, Password), Ct);

        Assert.Contains("valid", InvalidOn(result, nameof(CreateUserInput.Email)));
    }

    [Fact]
    public async Task A_duplicate_email_is_refused_whatever_its_case()
    {
        await GivenUserAsync("carol@example.com", Roles.Viewer);

        var result = await App.Users.CreateAsync(new CreateUserInput("CAROL@example.com", "Carol Two", Roles.Operator, Password), Ct);

        Assert.Contains("already exists", InvalidOn(result, nameof(CreateUserInput.Email)));
        Assert.Single(Ok(await App.Users.ListAsync(Ct)));
    }

    [Fact]
    public async Task List_shows_every_user_with_role_and_state()
    {
        await GivenUserAsync("b@example.com", Roles.Viewer);
        var a = await GivenUserAsync("a@example.com", Roles.Operator);
        await GivenUserAsync("admin@example.com", Roles.Admin);
        Ok(await App.Users.SetDisabledAsync(a.Id, true, Ct));

        var rows = Ok(await App.Users.ListAsync(Ct));

        Assert.Equal(["a@example.com", "admin@example.com", "b@example.com"], rows.Select(r => r.Email));
        Assert.Equal([Roles.Operator, Roles.Admin, Roles.Viewer], rows.Select(r => r.Role));
        Assert.Equal([true, false, false], rows.Select(r => r.IsDisabled));
    }

    [Fact]
    public async Task Change_role_replaces_the_role()
    {
        var user = await GivenUserAsync("dave@example.com", Roles.Operator);

        var changed = Ok(await App.Users.ChangeRoleAsync(user.Id, Roles.Viewer, Ct));

        Assert.Equal(Roles.Viewer, changed.Role);
        Assert.Equal([Roles.Viewer], (await StoredAsync("dave@example.com")).Roles);
    }

    [Fact]
    public async Task Change_role_refuses_an_unknown_role_and_a_missing_user()
    {
        var user = await GivenUserAsync("erin@example.com", Roles.Operator);

        InvalidOn(await App.Users.ChangeRoleAsync(user.Id, "Root", Ct), nameof(CreateUserInput.Role));
        Assert.Equal(ResultStatus.NotFound, (await App.Users.ChangeRoleAsync("no-such-id", Roles.Viewer, Ct)).Status);
        Assert.Equal([Roles.Operator], (await StoredAsync("erin@example.com")).Roles);
    }

    [Fact]
    public async Task The_last_active_admin_cannot_be_demoted()
    {
        var admin = await GivenUserAsync("root@example.com", Roles.Admin);
        await GivenUserAsync("op@example.com", Roles.Operator);

        var result = await App.Users.ChangeRoleAsync(admin.Id, Roles.Operator, Ct);

        Assert.Equal(ResultStatus.Conflict, result.Status);
        Assert.Contains("last active admin", result.Message);
        Assert.Equal([Roles.Admin], (await StoredAsync("root@example.com")).Roles);
    }

    [Fact]
    public async Task A_disabled_second_admin_does_not_count_as_active()
    {
        var admin = await GivenUserAsync("root@example.com", Roles.Admin);
        var other = await GivenUserAsync("root2@example.com", Roles.Admin);
        Ok(await App.Users.SetDisabledAsync(other.Id, true, Ct));

        var demote = await App.Users.ChangeRoleAsync(admin.Id, Roles.Viewer, Ct);
        var disable = await App.Users.SetDisabledAsync(admin.Id, true, Ct);

        Assert.Equal(ResultStatus.Conflict, demote.Status);
        Assert.Equal(ResultStatus.Conflict, disable.Status);
        var stored = await StoredAsync("root@example.com");
        Assert.Equal([Roles.Admin], stored.Roles);
        Assert.False(stored.User!.IsDisabled);
    }

    [Fact]
    public async Task An_admin_can_be_demoted_while_another_active_admin_remains()
    {
        var admin = await GivenUserAsync("root@example.com", Roles.Admin);
        await GivenUserAsync("root2@example.com", Roles.Admin);

        Ok(await App.Users.ChangeRoleAsync(admin.Id, Roles.Operator, Ct));

        Assert.Equal([Roles.Operator], (await StoredAsync("root@example.com")).Roles);
    }

    [Fact]
    public async Task The_last_active_admin_cannot_be_disabled()
    {
        var admin = await GivenUserAsync("root@example.com", Roles.Admin);

        var result = await App.Users.SetDisabledAsync(admin.Id, true, Ct);

        Assert.Equal(ResultStatus.Conflict, result.Status);
        var stored = await StoredAsync("root@example.com");
        Assert.False(stored.User!.IsDisabled);
        Assert.False(stored.LockedOut);
    }

    [Fact]
    public async Task Disabling_sets_the_flag_and_locks_the_account_out_and_enabling_undoes_both()
    {
        var user = await GivenUserAsync("frank@example.com", Roles.Operator);
        var stampBefore = (await StoredAsync("frank@example.com")).User!.SecurityStamp;

        var disabled = Ok(await App.Users.SetDisabledAsync(user.Id, true, Ct));
        var whileDisabled = await StoredAsync("frank@example.com");
        var enabled = Ok(await App.Users.SetDisabledAsync(user.Id, false, Ct));
        var afterwards = await StoredAsync("frank@example.com");

        Assert.True(disabled.IsDisabled);
        Assert.True(whileDisabled.User!.IsDisabled);
        Assert.True(whileDisabled.LockedOut);
        Assert.Equal(DateTimeOffset.MaxValue, whileDisabled.User.LockoutEnd);
        Assert.NotEqual(stampBefore, whileDisabled.User.SecurityStamp); // signed out everywhere
        Assert.False(enabled.IsDisabled);
        Assert.False(afterwards.User!.IsDisabled);
        Assert.False(afterwards.LockedOut);
        Assert.Null(afterwards.User.LockoutEnd);
    }

    [Fact]
    public async Task An_admin_cannot_disable_their_own_account()
    {
        var me = await GivenUserAsync("me@example.com", Roles.Admin);
        await GivenUserAsync("other-admin@example.com", Roles.Admin);
        App.CurrentUser.Set(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, me.Id), new Claim(ClaimTypes.Name, me.Email), new Claim(ClaimTypes.Role, Roles.Admin)],
            "Test")));

        var result = await App.Users.SetDisabledAsync(me.Id, true, Ct);

        Assert.Equal(ResultStatus.Conflict, result.Status);
        Assert.Contains("own account", result.Message);
        Assert.False((await StoredAsync("me@example.com")).User!.IsDisabled);
    }

    [Fact]
    public async Task Reset_password_sets_a_new_password_that_follows_the_rules()
    {
        var user = await GivenUserAsync("gina@example.com", Roles.Viewer);

        var weak = await App.Users.ResetPasswordAsync(user.Id, "tiny", Ct);
        Ok(await App.Users.ResetPasswordAsync(user.Id, "a brand new passphrase", Ct));

        InvalidOn(weak, nameof(CreateUserInput.Password));
        Assert.True((await StoredAsync("gina@example.com", "a brand new passphrase")).PasswordOk);
        Assert.False((await StoredAsync("gina@example.com")).PasswordOk);
    }
}
