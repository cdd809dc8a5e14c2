using System.Diagnostics;
using Microsoft.Playwright;

namespace NodiRef.Bench;

/// <summary>Signs in once, then loads the partners page repeatedly and times the first data row.</summary>
internal static class PageLoad
{
    public static async Task RunAsync(string url, string email, string password, int iterations)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync();
        var baseUrl = url.TrimEnd('/') + "/";
        await page.GotoAsync(baseUrl + "Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/partners");

        var times = new List<double>();
        for (var i = 0; i < iterations + 1; i++)
        {
            var sw = Stopwatch.StartNew();
            await page.GotoAsync(baseUrl + "partners", new() { WaitUntil = WaitUntilState.Commit });
            await page.Locator("tr.mud-table-row td a").First.WaitForAsync();
            if (i > 0)
            {
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        Console.WriteLine($"partners page, navigation to first row visible: median {times[times.Count / 2]:F0} ms, max {times[^1]:F0} ms over {times.Count} loads");
    }
}
