using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Tests.EndToEnd;

/// <summary>
/// Every main page, in light and dark mode: a full-page screenshot under artifacts/screenshots/
/// for people to look at, axe-core finds no critical or serious accessibility violation, and the browser
/// reports no Content-Security-Policy violation (the app works under its own policy, SecurityHeaders).
/// </summary>
public sealed class PageChecksTests(BrowserSuite suite) : BrowserTest(suite)
{
    public static TheoryData<string, string> Pages()
    {
        var data = new TheoryData<string, string>();
        foreach (var page in new[] { "login", "overview", "partners", "partner", "projects", "referral-links", "users", "api-tokens", "my-account",
                     "referrals", "conversions", "rewards", "rule-sets", "rule-set", "audit-log", "webhooks" })
        {
            data.Add(page, "light");
            data.Add(page, "dark");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Each_main_page_has_no_serious_accessibility_violation(string name, string theme)
    {
        var showcase = await Showcase.OfAsync(Suite);
        var page = await NewPageAsync(name == "login" ? null : Roles.Admin);
        var refused = CspViolations(page);
        if (theme == "dark")
        {
            await page.Context.AddInitScriptAsync("localStorage.setItem('nodiref-theme', 'dark')");
        }

        switch (name)
        {
            case "login":
                await page.GotoAsync("Account/Login");
                await Expect(Heading(page, "Sign in")).ToBeVisibleAsync();
                break;
            case "my-account":
                await page.GotoAsync("Account/Manage");
                await Expect(Heading(page, "My account")).ToBeVisibleAsync();
                break;
            case "overview":
                await OpenInteractiveAsync(page, "", "Overview", theme);
                await Expect(page.Locator("[data-testid=kpi-cards]")).ToBeVisibleAsync();
                await Expect(page.Locator("[data-testid=leaderboard-row]").First).ToBeVisibleAsync();
                break;
            case "partner":
                await OpenInteractiveAsync(page, $"partners/{showcase.Ada.Id}", showcase.Ada.Name, theme);
                await Expect(Row(page, showcase.AdaCustomCode)).ToBeVisibleAsync();
                break;
            case "partners":
                await OpenInteractiveAsync(page, "partners", "Partners", theme);
                await Expect(Rows(page).First).ToBeVisibleAsync();
                break;
            case "projects":
                await OpenInteractiveAsync(page, "projects", "Projects", theme);
                await Expect(Rows(page).First).ToBeVisibleAsync();
                break;
            case "referral-links":
                await OpenInteractiveAsync(page, "referral-links", "Referral Links", theme);
                await Expect(Rows(page).First).ToBeVisibleAsync();
                break;
            case "users":
                await OpenInteractiveAsync(page, "users", "Users", theme);
                await Expect(Rows(page).First).ToBeVisibleAsync();
                break;
            case "api-tokens":
                await OpenInteractiveAsync(page, "api-tokens", "API Tokens", theme);
                await Expect(Rows(page).First).ToBeVisibleAsync();
                break;
            case "webhooks":
                await OpenInteractiveAsync(page, "webhooks", "Webhooks", theme);
                await Expect(page.GetByText("No webhook endpoints yet.")).ToBeVisibleAsync();
                break;
            case "audit-log":
                await OpenInteractiveAsync(page, "audit-log", "Audit log", theme);
                await Expect(Rows(page).First).ToBeVisibleAsync();
                break;
            case "referrals":
                await OpenInteractiveAsync(page, "referrals", "Referrals", theme);
                await Expect(Rows(page).First).ToBeVisibleAsync();
                break;
            case "conversions":
                await OpenInteractiveAsync(page, "conversions", "Conversions", theme);
                await Expect(Rows(page).First).ToBeVisibleAsync();
                break;
            case "rewards":
                await OpenInteractiveAsync(page, "rewards", "Rewards", theme);
                await Expect(Rows(page).First).ToBeVisibleAsync();
                break;
            case "rule-sets":
                await OpenInteractiveAsync(page, "rewards/rule-sets", "Rule Sets", theme);
                await Expect(Rows(page).First).ToBeVisibleAsync();
                break;
            case "rule-set":
                await OpenAsync(page, $"rewards/rule-sets/{showcase.RuleSetId}");
                await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Spring referrals"));
                await Expect(Button(page, theme == "dark" ? "Switch to light mode" : "Switch to dark mode")).ToBeVisibleAsync();
                await Expect(Rows(page)).ToHaveCountAsync(2);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "No such page in this test.");
        }

        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot($"{name}-{theme}"), FullPage = true });
        Assert.True(refused.Count == 0, string.Join(Environment.NewLine, refused));
        await AssertNoSeriousViolationsAsync(page, $"{name}-{theme}");
    }

    [Fact]
    public async Task The_api_reference_works_under_its_content_security_policy()
    {
        var page = await NewPageAsync(null);
        var refused = CspViolations(page);

        await page.GotoAsync("api-reference");

        // Scalar renders the document's operations: its inline start-up script and styles ran.
        await Expect(page.GetByText("Record a click on a referral link").First).ToBeVisibleAsync();
        Assert.True(refused.Count == 0, string.Join(Environment.NewLine, refused));
    }

    /// <summary>
    /// What the browser refused under the page's Content-Security-Policy, collected as it happens (Chromium
    /// reports each refusal on the console). The list is checked once the page has done its work.
    /// </summary>
    private static List<string> CspViolations(IPage page)
    {
        var refused = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                lock (refused)
                {
                    refused.Add(message.Text);
                }
            }
        };
        return refused;
    }

    [Fact]
    public async Task The_setup_page_has_no_serious_accessibility_violation()
    {
        await using var app = await AppUnderTest.StartAsync();
        var page = await NewPageOnAsync(app);
        var refused = CspViolations(page);
        await page.GotoAsync("setup");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Create the first administrator" })).ToBeVisibleAsync();

        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("setup-light"), FullPage = true });
        Assert.True(refused.Count == 0, string.Join(Environment.NewLine, refused));
        await AssertNoSeriousViolationsAsync(page, "setup-light");
    }

    private static async Task OpenInteractiveAsync(IPage page, string path, string heading, string theme)
    {
        await OpenAsync(page, path);
        await Expect(Heading(page, heading)).ToBeVisibleAsync();
        await Expect(Button(page, theme == "dark" ? "Switch to light mode" : "Switch to dark mode")).ToBeVisibleAsync();
    }

    /// <summary>Runs axe-core on the page as it is now and fails with a readable list of what it found.</summary>
    internal static async Task AssertNoSeriousViolationsAsync(IPage page, string label)
    {
        var result = await page.RunAxe();
        await File.WriteAllTextAsync(Path.Combine(Artifacts.Folder("artifacts", "axe"), $"{label}.txt"), Describe(page.Url, result.Violations));
        var serious = result.Violations.Where(v => v.Impact is "critical" or "serious").ToList();
        Assert.True(serious.Count == 0, Describe(page.Url, serious));
    }

    private static string Describe(string url, IEnumerable<AxeResultItem> violations)
    {
        var text = new StringBuilder($"axe-core found critical or serious violations on {url}:");
        foreach (var v in violations)
        {
            text.AppendLine().Append($"- {v.Id} ({v.Impact}): {v.Help} {v.HelpUrl}");
            foreach (var node in v.Nodes.Take(50))
            {
                text.AppendLine().Append($"    at {node.Target}: {node.Html}");
                var checks = (node.Any ?? []).Concat(node.All ?? []).Concat(node.None ?? []).Select(c => c.Message);
                text.AppendLine().Append($"       {string.Join(" / ", checks)}");
            }

            if (v.Nodes.Length > 50)
            {
                text.AppendLine().Append($"    and {v.Nodes.Length - 50} more");
            }
        }

        return text.ToString();
    }
}
