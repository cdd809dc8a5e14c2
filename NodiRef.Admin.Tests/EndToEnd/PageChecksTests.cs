using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Tests.EndToEnd;

/// <summary>
/// Every main page, in light and dark mode: a full-page screenshot under artifacts/screenshots/
/// for people to look at, and axe-core finds no critical or serious accessibility violation.
/// </summary>
public sealed class PageChecksTests(BrowserSuite suite) : BrowserTest(suite)
{
    public static TheoryData<string, string> Pages()
    {
        var data = new TheoryData<string, string>();
        foreach (var page in new[] { "login", "partners", "partner", "projects", "referral-links", "users", "api-tokens", "my-account" })
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
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "No such page in this test.");
        }

        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot($"{name}-{theme}"), FullPage = true });
        await AssertNoSeriousViolationsAsync(page, $"{name}-{theme}");
    }

    [Fact]
    public async Task The_setup_page_has_no_serious_accessibility_violation()
    {
        await using var app = await AppUnderTest.StartAsync();
        var page = await NewPageOnAsync(app);
        await page.GotoAsync("setup");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Create the first administrator" })).ToBeVisibleAsync();

        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("setup-light"), FullPage = true });
        await AssertNoSeriousViolationsAsync(page, "setup-light");
    }

    private static async Task OpenInteractiveAsync(IPage page, string path, string heading, string theme)
    {
        await OpenAsync(page, path);
        await Expect(Heading(page, heading)).ToBeVisibleAsync();
        await Expect(Button(page, theme == "dark" ? "Switch to light mode" : "Switch to dark mode")).ToBeVisibleAsync();
    }

    /// <summary>
    /// Violations reported to the app owner, each on one rule and one selector, excluded here so that
    /// everything else stays checked. The strict checks live in KnownIssues.cs.pending until they are fixed.
    /// </summary>
    private static readonly (string Rule, string Selector, string Report)[] Reported =
    [
        ("color-contrast", ".mud-chip-color-success .mud-chip-content", "A11Y-1: success chips (Active) too pale"),
        ("color-contrast", ".mud-button-outlined-warning *, .mud-button-text-warning *", "A11Y-2: warning buttons (Deactivate, Disable)"),
        ("color-contrast", ".mud-button-outlined-error *, .mud-button-text-error *", "A11Y-3: error buttons (Delete, Revoke)"),
        ("color-contrast", ".muted, .muted *", "A11Y-4: secondary text (.muted)"),
        ("color-contrast", ".mud-breadcrumbs [aria-current=page]", "A11Y-5: current breadcrumb"),
        ("link-in-text-block", ".muted .mud-link", "A11Y-6: link inside muted text (API Tokens intro)"),
        ("color-contrast", ".mud-button-filled-primary *", "A11Y-7: white text on the light primary of dark mode (Create ..., Add link)"),
        ("button-name", ".mud-autocomplete .mud-input-adornment-icon-button", "A11Y-8: unnamed dropdown button of the Partner filter"),
    ];

    /// <summary>Runs axe-core on the page as it is now and fails with a readable list of what it found.</summary>
    internal static async Task AssertNoSeriousViolationsAsync(IPage page, string label, bool strict = false)
    {
        var result = await page.RunAxe();
        await File.WriteAllTextAsync(Path.Combine(Artifacts.Folder("artifacts", "axe"), $"{label}.txt"), Describe(page.Url, result.Violations));
        var serious = new List<AxeResultItem>();
        foreach (var violation in result.Violations.Where(v => v.Impact is "critical" or "serious"))
        {
            var unreported = new List<AxeResultNode>();
            foreach (var node in violation.Nodes)
            {
                if (strict || !await IsReportedAsync(page, violation.Id, node))
                {
                    unreported.Add(node);
                }
            }

            if (unreported.Count > 0)
            {
                violation.Nodes = [.. unreported];
                serious.Add(violation);
            }
        }

        Assert.True(serious.Count == 0, Describe(page.Url, serious));
    }

    private static async Task<bool> IsReportedAsync(IPage page, string rule, AxeResultNode node)
    {
        var selectors = Reported.Where(r => r.Rule == rule).Select(r => r.Selector).ToArray();
        var target = node.Target?.Selector;
        if (selectors.Length == 0 || string.IsNullOrEmpty(target))
        {
            return false;
        }

        return await page.EvaluateAsync<bool>(
            "([target, selectors]) => { const e = document.querySelector(target); return !!e && selectors.some(s => e.matches(s)); }",
            new object[] { target, selectors });
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
