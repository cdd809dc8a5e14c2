using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.ApiTokens;
using NodiRef.Admin.Tests.Components;

namespace NodiRef.Admin.Tests.Features.ApiTokens;

public sealed class ApiTokensPageTests : ComponentTest
{
    [Fact]
    public async Task A_new_token_is_shown_once_stored_as_a_hash_and_listed_by_its_prefix_with_the_default_role()
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
        // The least a typical caller needs, and the same default as the command line's create-token.
        Assert.Equal(ApiTokenRoles.Default, stored.Role);
        Assert.Equal(Roles.Tracking, stored.Role);
        Assert.Null(stored.ExpiresAt);

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

    [Fact]
    public async Task The_dialog_offers_every_token_role_with_what_it_means_and_an_expiry()
    {
        SignInAs(Roles.Admin);
        var cut = RenderInHost<ApiTokensPage>();
        cut.WaitForAssertion(() => Assert.Contains("No API tokens yet", cut.Markup, StringComparison.Ordinal));
        cut.FindAll("button").First(b => b.TextContent.Contains("Create token", StringComparison.Ordinal)).Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".mud-dialog input")));
        Assert.Contains("Tracking: may only send conversions, refunds and identifies to /v1; reads nothing.", cut.Find(".mud-dialog").TextContent, StringComparison.Ordinal);

        cut.Find(".mud-dialog input").Input("billing backend");
        Choose(cut, "Role", Roles.Viewer, ".mud-dialog");
        cut.WaitForAssertion(() => Assert.Contains("Viewer: reads projects, partners and links; changes nothing.", cut.Find(".mud-dialog").TextContent, StringComparison.Ordinal));
        Choose(cut, "Expires", "In 90 days", ".mud-dialog");
        cut.Find(".mud-dialog form").Submit();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=new-token]")));
        var stored = await QueryAsync(db => db.ApiTokens.AsNoTracking().SingleAsync(Ct));
        Assert.Equal(Roles.Viewer, stored.Role);
        Assert.Equal(App.Clock.GetUtcNow().UtcDateTime.AddDays(90), stored.ExpiresAt!.Value, TimeSpan.FromSeconds(1));
        Assert.Equal(["Admin", "Operator", "Viewer", "Tracking"], ApiTokenRoles.All.Select(r => ApiTokenRoles.Describe(r).Split(':')[0]));
    }

    [Fact]
    public async Task The_page_shows_when_each_token_expires_and_marks_expired_ones()
    {
        SignInAs(Roles.Admin);
        var tokens = Services.GetRequiredService<ApiTokenService>();
        var now = App.Clock.GetUtcNow().UtcDateTime;
        Ok(await tokens.CreateAsync("forever", Roles.Tracking, Ct));
        Ok(await tokens.CreateAsync("quarterly", Roles.Tracking, now.AddDays(90), Ct));
        Ok(await tokens.CreateAsync("short-lived", Roles.Tracking, now.AddHours(1), Ct));
        App.Clock.Advance(TimeSpan.FromHours(2));

        var cut = RenderInHost<ApiTokensPage>();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("tbody tr").Count));
        Assert.Contains(cut.FindAll("thead th"), th => th.TextContent.Trim() == "Expires");
        string Cell(string name, string label) =>
            cut.FindAll("tbody tr").Single(r => r.TextContent.Contains(name, StringComparison.Ordinal)).QuerySelector($"td[data-label='{label}']")!.TextContent.Trim();
        Assert.Equal("Never", Cell("forever", "Expires"));
        Assert.Equal("Active", Cell("forever", "Status"));
        Assert.Equal(NodiRef.Admin.Components.Shared.Display.DateTime(now.AddDays(90)), Cell("quarterly", "Expires"));
        Assert.Equal("Active", Cell("quarterly", "Status"));
        Assert.Equal(NodiRef.Admin.Components.Shared.Display.DateTime(now.AddHours(1)), Cell("short-lived", "Expires"));
        Assert.Equal("Expired", Cell("short-lived", "Status"));
    }
}
