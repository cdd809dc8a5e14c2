using System.Security.Claims;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.Users;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Common;

/// <summary>
/// A signed-in person's rights are those the database gives them now, not those their cookie or
/// circuit was issued with: a demotion or a disabled account takes effect on the next operation.
/// </summary>
public sealed class LiveRoleTests : ServiceTest
{
    private const string Password = "a long enough password";

    /// <summary>A user created as <paramref name="role"/>, and a principal as their sign-in cookie would carry it.</summary>
    private async Task<(UserRow User, ClaimsPrincipal Principal)> GivenSignedInUserAsync(string role)
    {
        App.ActAs(Roles.Admin);
        var user = Ok(await App.Users.CreateAsync(new CreateUserInput($"{Guid.NewGuid():N}@example.com", "Person", role, Password), Ct));
        App.ActAnonymously();
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, user.Email), new Claim(ClaimTypes.Role, role)],
            "Identity.Application"));
        return (user, principal);
    }

    [Fact]
    public async Task An_operator_demoted_to_viewer_cannot_change_a_partner_though_the_session_still_says_operator()
    {
        var partner = await GivenPartnerAsync("Ada", "ada");
        var (user, principal) = await GivenSignedInUserAsync(Roles.Operator);

        App.CurrentUser.Set(principal);
        Assert.True(await App.CurrentUser.HasAsync(Permissions.EditPartners));

        App.ActAs(Roles.Admin);
        Ok(await App.Users.ChangeRoleAsync(user.Id, Roles.Viewer, Ct));
        App.CurrentUser.Set(principal);

        var changed = await App.Partners.SetStatusAsync(partner.Id, PartnerStatus.Inactive, partner.Version, Ct);
        Assert.Equal(ResultStatus.Forbidden, changed.Status);
        Assert.Equal(ResultStatus.Ok, (await App.Partners.GetAsync(partner.Id, Ct)).Status);
        App.ActAs(Roles.Admin);
        Assert.Equal(PartnerStatus.Active, Ok(await App.Partners.GetAsync(partner.Id, Ct)).Partner.Status);
    }

    [Fact]
    public async Task A_disabled_user_cannot_even_read_though_the_session_still_says_operator()
    {
        await GivenPartnerAsync("Ada", "ada");
        var (user, principal) = await GivenSignedInUserAsync(Roles.Operator);

        App.CurrentUser.Set(principal);
        Assert.Equal(ResultStatus.Ok, (await App.Partners.ListAsync(new PartnerQuery(), Ct)).Status);

        App.ActAs(Roles.Admin);
        Ok(await App.Users.SetDisabledAsync(user.Id, true, Ct));
        App.CurrentUser.Set(principal);

        Assert.Equal(ResultStatus.Forbidden, (await App.Partners.ListAsync(new PartnerQuery(), Ct)).Status);
        Assert.False(await App.CurrentUser.HasAsync(Permissions.ReadPartners));
    }

    [Fact]
    public async Task Token_and_system_principals_keep_the_role_they_carry()
    {
        var partner = await GivenPartnerAsync("Ada", "ada");
        App.CurrentUser.Set(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, CurrentUser.TokenIdPrefix + "7"), new Claim(ClaimTypes.Role, Roles.Operator)], "ApiToken")));
        Ok(await App.Partners.SetStatusAsync(partner.Id, PartnerStatus.Inactive, partner.Version, Ct));

        App.ActAs(Roles.Viewer);
        Assert.True(await App.CurrentUser.HasAsync(Permissions.ReadPartners));
        Assert.False(await App.CurrentUser.HasAsync(Permissions.EditPartners));
    }
}
