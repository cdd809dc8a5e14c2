using Microsoft.Playwright;

namespace NodiRef.Admin.Tests.EndToEnd;

/// <summary>Debian's Chromium driven by Playwright. Never downloads a browser: a missing one fails the tests.</summary>
public static class Chromium
{
    public const string DefaultPath = "/usr/bin/chromium";

    /// <summary>Where the browser is: <c>CHROMIUM_PATH</c> when set, otherwise Debian's.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : DefaultPath;

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {ExecutablePath}: the browser tests cannot run. Install it with 'apt-get install -y chromium' (.ci/run does), or set CHROMIUM_PATH.");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            return (playwright, browser);
        }
        catch (Exception e)
        {
            playwright.Dispose();
            throw new InvalidOperationException($"Chromium at {ExecutablePath} did not start: {e.Message}", e);
        }
    }
}
