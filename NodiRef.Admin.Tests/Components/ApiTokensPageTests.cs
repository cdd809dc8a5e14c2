using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.ApiTokens;

namespace NodiRef.Admin.Tests.Components;

public sealed class ApiTokensPageTests : ComponentTest
{
    [Fact]
    public async Task A_new_token_is_shown_once_stored_as_a_hash_and_listed_by_its_prefix()
    {
        SignInAs(Roles.Admin);
        var cut = RenderInHost<ApiTokensPage>();
        cut.WaitForAssertion(() => Assert.Contains("No API tokens yet", cut.Markup, StringComparison.Ordinal));

        cut.FindAll("button").First(b => b.TextContent.Contains("Create token", StringComparison.Ordinal)).Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".mud-dialog input")));
        cut.Find(".mud-dialog input").Input("billing backend");
        cut.Find(".mud-dialog form").Submit();

        string secret = "";
        cut.WaitForAssertion(() =>
        {
            var field = cut.Find("[data-testid=new-token]");
            secret = (field.TagName == "INPUT" ? field : field.QuerySelector("input"))?.GetAttribute("value") ?? "";
            Assert.StartsWith("nr_", secret, StringComparison.Ordinal);
        });
        var stored = await QueryAsync(db => db.ApiTokens.AsNoTracking().SingleAsync(Ct));
        Assert.NotEqual(secret, stored.Hash);
        Assert.DoesNotContain(secret, stored.Hash, StringComparison.Ordinal);
        Assert.StartsWith(stored.Prefix, secret, StringComparison.Ordinal);
        Assert.Equal(Roles.Operator, stored.Role);

        cut.FindAll(".mud-dialog button").First(b => b.TextContent.Contains("Done", StringComparison.Ordinal)).Click();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-dialog")));
        cut.WaitForAssertion(() => Assert.Contains(stored.Prefix, cut.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain(secret, cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoked_tokens_no_longer_authenticate()
    {
        SignInAs(Roles.Admin);
        var tokens = Services.GetRequiredService<ApiTokenService>();
        var created = (await tokens.CreateAsync("ci", Roles.Viewer, Ct)).Value!;
        Assert.NotNull(await tokens.AuthenticateAsync(created.Secret, Ct));
        var cut = RenderInHost<ApiTokensPage>();
        cut.WaitForAssertion(() => Assert.Contains(created.Token.Prefix, cut.Markup, StringComparison.Ordinal));

        cut.FindAll("button").First(b => b.TextContent.Trim() == "Revoke").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".mud-dialog")));
        cut.FindAll(".mud-dialog button").First(b => b.TextContent.Trim() == "Revoke").Click();

        await cut.WaitForAssertionAsync(async () => Assert.Null(await tokens.AuthenticateAsync(created.Secret, Ct)));
        cut.WaitForAssertion(() => Assert.Contains("Revoked", cut.Markup, StringComparison.Ordinal));
    }
}
