using System.Diagnostics;
using Microsoft.Playwright;

namespace NodiRef.Bench;

/// <summary>Signs in once, then loads a page repeatedly and times until an element of its data is visible (the partners grid's first row, the overview's leaderboard).</summary>
internal static class PageLoad
{
    public static async Task RunAsync(string url, string email, string password, int iterations, string path, string waitFor)
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
        await page.WaitForURLAsync(u => !u.Contains("Account/Login", StringComparison.Ordinal));

        var times = new List<double>();
        for (var i = 0; i < iterations + 1; i++)
        {
            var sw = Stopwatch.StartNew();
            await page.GotoAsync(baseUrl + path, new() { WaitUntil = WaitUntilState.Commit });
            await page.Locator(waitFor).First.WaitForAsync();
            if (i > 0)
            {
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        Console.WriteLine($"/{path}, navigation until {waitFor} is visible: median {times[times.Count / 2]:F0} ms, max {times[^1]:F0} ms over {times.Count} loads");
    }
}
