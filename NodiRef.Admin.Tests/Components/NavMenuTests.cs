using Bunit;
using NodiRef.Admin.Components.Layout;
using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Tests.Components;

public sealed class NavMenuTests : ComponentTest
{
    [Fact]
    public void Admin_sees_projects_the_partners_group_and_users()
    {
        SignInAs(Roles.Admin);

        var cut = Render<NavMenu>();

        var links = cut.FindAll("a.mud-nav-link").Select(a => (Text: a.TextContent.Trim(), Href: a.GetAttribute("href"))).ToList();
        Assert.Contains(("Projects", "projects"), links);
        Assert.Contains(("Partners", "partners"), links);
        Assert.Contains(("Referral Links", "referral-links"), links);
        Assert.Contains(("Users", "users"), links);
        Assert.Contains(("API Tokens", "api-tokens"), links);
        Assert.Contains(("API Reference", "api-reference"), links);
        Assert.Contains(cut.FindAll(".mud-nav-group"), g => g.TextContent.Contains("Partners", StringComparison.Ordinal)
            && g.TextContent.Contains("Referral Links", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(Roles.Operator)]
    [InlineData(Roles.Viewer)]
    public void Non_admins_do_not_see_users(string role)
    {
        SignInAs(role);

        var cut = Render<NavMenu>();

        var texts = cut.FindAll("a.mud-nav-link").Select(a => a.TextContent.Trim()).ToList();
        Assert.Contains("Partners", texts);
        Assert.DoesNotContain("Users", texts);
        Assert.DoesNotContain("API Tokens", texts);
        Assert.Contains("API Reference", texts);
    }
}
