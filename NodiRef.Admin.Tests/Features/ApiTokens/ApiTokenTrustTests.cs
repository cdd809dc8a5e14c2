using System.Net;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.ApiTokens;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Users;
using NodiRef.Admin.Tests.Api;

namespace NodiRef.Admin.Tests.Features.ApiTokens;

/// <summary>When a token stops working by itself: at its expiry, and when the person who made it is disabled.</summary>
public sealed class ApiTokenTrustTests(ApiFactory api) : ApiTest(api)
{
    private const string Password = "a long enough passphrase";

    [Fact]
    public async Task A_token_works_until_its_expiry_and_is_refused_with_401_after_it()
    {
        CreatedApiToken token;
        await using (var scope = Api.AsUser(Roles.Admin))
        {
            var expiresAt = Api.Clock.GetUtcNow().UtcDateTime.AddDays(30);
            token = (await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(Unique("expiring "), Roles.Viewer, expiresAt, Ct)).Value!;
        }

        using var client = Api.Client(token.Secret);
        (await client.GetApiAsync("/api/projects")).AssertList();

        Api.Clock.Advance(TimeSpan.FromDays(30) + TimeSpan.FromSeconds(1));

        (await client.GetApiAsync("/api/projects")).AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_expiry_in_the_past_is_refused()
    {
        await using var scope = Api.AsUser(Roles.Admin);
        var result = await scope.ServiceProvider.GetRequiredService<ApiTokenService>()
            .CreateAsync(Unique("late "), Roles.Viewer, Api.Clock.GetUtcNow().UtcDateTime.AddMinutes(-1), Ct);

        Assert.Equal(ResultStatus.Invalid, result.Status);
        Assert.True(result.Errors.ContainsKey(nameof(ApiToken.ExpiresAt)));
    }

    [Fact]
    public async Task A_token_records_its_creator_and_stops_working_when_the_creator_is_disabled()
    {
        // Two admins: the last active one could not be disabled.
        var keeper = await GivenAdminAsync();
        var creator = await GivenAdminAsync();
        CreatedApiToken token;
        await using (var scope = Api.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(SignedIn(creator));
            token = (await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(Unique("made by a person "), Roles.Operator, Ct)).Value!;
        }

        await using (var db = Api.Db())
        {
            Assert.Equal(creator.Id, (await db.ApiTokens.SingleAsync(t => t.Id == token.Token.Id, Ct)).CreatedById);
        }

        using var client = Api.Client(token.Secret);
        (await client.GetApiAsync("/api/partners")).AssertList();

        await using (var scope = Api.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(SignedIn(keeper));
            Assert.True((await scope.ServiceProvider.GetRequiredService<UserService>().SetDisabledAsync(creator.Id, true, Ct)).Succeeded);
        }

        (await client.GetApiAsync("/api/partners")).AssertProblem(HttpStatusCode.Unauthorized);

        // Tokens without a person behind them (the command line's, the factory's) are not affected.
        (await Admin.GetApiAsync("/api/partners")).AssertList();
    }

    private async Task<UserRow> GivenAdminAsync()
    {
        await using var scope = Api.AsUser(Roles.Admin);
        var result = await scope.ServiceProvider.GetRequiredService<UserService>()
            .CreateAsync(new CreateUserInput($"{Unique("admin")}@example.com", "An Admin", Roles.Admin, Password), Ct);
        Assert.True(result.Succeeded, result.Describe());
        return result.Value!;
    }

    /// <summary>The principal a sign-in cookie of <paramref name="user"/> carries.</summary>
    private static ClaimsPrincipal SignedIn(UserRow user) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, user.Email), new Claim(ClaimTypes.Role, user.Role)], "Identity.Application"));
}
