using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Setup;
using NodiRef.Admin.Features.Users;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Setup;

public sealed class FirstAdminSetupTests : ServiceTest
{
    private const string Password = "first admin passphrase";

    private static IConfiguration Configuration(string? email, string? password) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [FirstAdminSetup.EmailVariable] = email,
                [FirstAdminSetup.PasswordVariable] = password,
            })
            .Build();

    private async Task<List<(string Email, IList<string> Roles)>> UsersAsync()
    {
        await using var scope = App.Provider.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var result = new List<(string, IList<string>)>();
        foreach (var user in await users.Users.OrderBy(u => u.Email).ToListAsync(Ct))
        {
            result.Add((user.Email!, await users.GetRolesAsync(user)));
        }

        return result;
    }

    [Fact]
    public async Task Creates_the_first_admin_once()
    {
        var setup = App.NewFirstAdminSetup();
        Assert.True(await setup.IsNeededAsync(Ct));

        var first = await setup.CreateAsync(" root@example.com ", " Root ", Password, Ct);
        var second = await setup.CreateAsync("intruder@example.com", "Intruder", Password, Ct);

        var admin = Ok(first);
        Assert.Equal("root@example.com", admin.Email);
        Assert.Equal("Root", admin.DisplayName);
        Assert.Equal(ResultStatus.Conflict, second.Status);
        Assert.False(await setup.IsNeededAsync(Ct));
        var user = Assert.Single(await UsersAsync());
        Assert.Equal("root@example.com", user.Email);
        Assert.Equal([Roles.Admin], user.Roles);
    }

    [Fact]
    public async Task A_new_instance_also_sees_that_setup_is_done()
    {
        Ok(await App.NewFirstAdminSetup().CreateAsync("root@example.com", null, Password, Ct));

        var later = App.NewFirstAdminSetup();

        Assert.False(await later.IsNeededAsync(Ct));
        Assert.Equal(ResultStatus.Conflict, (await later.CreateAsync("second@example.com", null, Password, Ct)).Status);
        Assert.Single(await UsersAsync());
    }

    [Fact]
    public async Task Setup_is_not_needed_when_any_user_exists()
    {
        App.ActAs(Roles.Admin);
        Ok(await App.Users.CreateAsync(new CreateUserInput("viewer@example.com", "Viewer", Roles.Viewer, Password), Ct));

        var setup = App.NewFirstAdminSetup();

        Assert.False(await setup.IsNeededAsync(Ct));
        Assert.Equal(ResultStatus.Conflict, (await setup.CreateAsync("root@example.com", null, Password, Ct)).Status);
    }

    [Fact]
    public async Task The_display_name_defaults_to_the_email()
    {
        var admin = Ok(await App.NewFirstAdminSetup().CreateAsync("root@example.com", "  ", Password, Ct));

        Assert.Equal("root@example.com", admin.DisplayName);
    }

    [Theory]
    [InlineData("root@example.com", "too short", nameof(CreateUserInput.Password))]
    [InlineData("root@example.com", "", nameof(CreateUserInput.Password))]
    [InlineData("", Password, nameof(CreateUserInput.Email))]
    [InlineData("not an email", Password, nameof(CreateUserInput.Email))]
    public async Task Invalid_input_creates_nobody_and_setup_stays_open(string email, string password, string field)
    {
        var setup = App.NewFirstAdminSetup();

        var result = await setup.CreateAsync(email, null, password, Ct);

        InvalidOn(result, field);
        Assert.Empty(await UsersAsync());
        Assert.True(await setup.IsNeededAsync(Ct));
    }

    [Fact]
    public async Task From_configuration_creates_the_admin_when_no_user_exists()
    {
        await App.NewFirstAdminSetup().CreateFromEnvironmentAsync(Configuration("ops@example.com", Password), Ct);

        var user = Assert.Single(await UsersAsync());
        Assert.Equal("ops@example.com", user.Email);
        Assert.Equal([Roles.Admin], user.Roles);
    }

    [Fact]
    public async Task From_configuration_does_nothing_when_a_user_exists()
    {
        Ok(await App.NewFirstAdminSetup().CreateAsync("root@example.com", null, Password, Ct));

        await App.NewFirstAdminSetup().CreateFromEnvironmentAsync(Configuration("ops@example.com", Password), Ct);

        Assert.Equal(["root@example.com"], (await UsersAsync()).Select(u => u.Email));
    }

    [Theory]
    [InlineData(null, Password)]
    [InlineData("ops@example.com", null)]
    [InlineData("  ", Password)]
    [InlineData("ops@example.com", "")]
    public async Task From_configuration_does_nothing_unless_both_variables_are_set(string? email, string? password)
    {
        var setup = App.NewFirstAdminSetup();

        await setup.CreateFromEnvironmentAsync(Configuration(email, password), Ct);

        Assert.Empty(await UsersAsync());
        Assert.True(await setup.IsNeededAsync(Ct));
    }

    [Fact]
    public async Task From_configuration_with_a_weak_password_fails_loudly()
    {
        var setup = App.NewFirstAdminSetup();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => setup.CreateFromEnvironmentAsync(Configuration("ops@example.com", "weak"), Ct));

        Assert.Contains(FirstAdminSetup.PasswordVariable, error.Message);
        Assert.Empty(await UsersAsync());
    }
}
