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
        Assert.Contains(("Audit log", "audit-log"), links);
        Assert.Contains(("Webhooks", "webhooks"), links);
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
        Assert.DoesNotContain("Audit log", texts);
        Assert.DoesNotContain("Webhooks", texts);
        Assert.Contains("API Reference", texts);
    }

    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Viewer)]
    public void Everyone_sees_the_tracking_and_rewards_groups_with_their_pages(string role)
    {
        SignInAs(role);

        var cut = Render<NavMenu>();

        var links = cut.FindAll("a.mud-nav-link").Select(a => (Text: a.TextContent.Trim(), Href: a.GetAttribute("href"))).ToList();
        Assert.Contains(("Clicks", "clicks"), links);
        Assert.Contains(("Referrals", "referrals"), links);
        Assert.Contains(("Conversions", "conversions"), links);
        Assert.Contains(("Rewards", "rewards"), links);
        Assert.Contains(("Rule Sets", "rewards/rule-sets"), links);
        var groups = cut.FindAll(".mud-nav-group");
        Assert.Contains(groups, g => g.TextContent.Contains("Tracking", StringComparison.Ordinal)
            && g.TextContent.Contains("Referrals", StringComparison.Ordinal) && g.TextContent.Contains("Conversions", StringComparison.Ordinal));
        Assert.Contains(groups, g => g.QuerySelector("button")?.TextContent.Trim() == "Rewards" && g.TextContent.Contains("Rule Sets", StringComparison.Ordinal));
    }

    /// <summary>Every page the sidebar links to exists: a route with that path is declared by a page component.</summary>
    [Fact]
    public void Every_sidebar_link_leads_to_a_page()
    {
        SignInAs(Roles.Admin);
        var routes = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes(typeof(Microsoft.AspNetCore.Components.RouteAttribute), inherit: false).Cast<Microsoft.AspNetCore.Components.RouteAttribute>())
            .Select(r => r.Template.Trim('/'))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        var cut = Render<NavMenu>();

        var hrefs = cut.FindAll("a.mud-nav-link").Select(a => a.GetAttribute("href")!).Where(h => h != "api-reference" && !h.StartsWith("Account/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(hrefs);
        Assert.All(hrefs, h => Assert.Contains(h, routes));
    }
}
