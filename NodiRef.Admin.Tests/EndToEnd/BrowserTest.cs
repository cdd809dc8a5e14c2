using System.Text.RegularExpressions;
using Microsoft.Playwright;
using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Tests.EndToEnd;

/// <summary>
/// Base of the browser tests: each test gets its own browser contexts (cookies, local storage) on
/// the shared app and browser, and helpers that act as a person would: by role, label and text.
/// When a test fails, a screenshot of each of its pages is saved under artifacts/screenshots/failures.
/// </summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTest(BrowserSuite suite) : IAsyncLifetime
{
    public static readonly ViewportSize Desktop = new() { Width = 1366, Height = 900 };
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private readonly List<IBrowserContext> _contexts = [];

    protected BrowserSuite Suite { get; } = suite;
    protected AppUnderTest App => Suite.App;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        var state = TestContext.Current.TestState;
        if (state?.Result == TestResult.Failed)
        {
            var name = Regex.Replace(TestContext.Current.Test?.TestDisplayName ?? "test", "[^A-Za-z0-9_.-]+", "_");
            var i = 0;
            foreach (var page in _contexts.SelectMany(c => c.Pages))
            {
                try
                {
                    await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Failures, $"{name}-{i++}.png"), FullPage = true, Timeout = 5_000 });

                    // What the page said (an inline error, a snackbar), in the test's output where a CI log shows it.
                    var text = await page.Locator("body").InnerTextAsync(new() { Timeout = 5_000 });
                    TestContext.Current.TestOutputHelper?.WriteLine($"--- {page.Url}\n{text}");
                }
                catch (PlaywrightException)
                {
                    // A page that cannot be captured any more does not hide the test's own failure.
                }
            }
        }

        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>A page in a fresh browser context, signed in as <paramref name="role"/>'s user (or anonymous when null).</summary>
    protected async Task<IPage> NewPageAsync(string? role = Roles.Admin, ViewportSize? viewport = null)
    {
        string? state = null;
        if (role is not null)
        {
            var (email, password) = Suite.Users[role];
            state = await Suite.SignedInStateAsync(email, password);
        }

        return await NewPageWithStateAsync(state, viewport);
    }

    /// <summary>An anonymous page on another app than the suite's.</summary>
    protected Task<IPage> NewPageOnAsync(AppUnderTest app) => NewPageWithStateAsync(null, null, app);

    private async Task<IPage> NewPageWithStateAsync(string? storageState, ViewportSize? viewport, AppUnderTest? app = null)
    {
        var context = await Suite.Browser.NewContextAsync(new()
        {
            BaseURL = (app ?? App).BaseUri.ToString(),
            ViewportSize = viewport ?? Desktop,
            StorageState = storageState,
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        _contexts.Add(context);
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    protected string Url(string path) => new Uri(App.BaseUri, path).ToString();

    /// <summary>Opens an interactive page and waits until its circuit is live (clicks before that are lost).</summary>
    protected static async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await WaitInteractiveAsync(page);
    }

    protected static Task WaitInteractiveAsync(IPage page) =>
        Expect(page.Locator("[data-interactive=true]")).ToBeAttachedAsync();

    protected static ILocator Heading(IPage page, string name) =>
        page.GetByRole(AriaRole.Heading, new() { Name = name, Exact = true, Level = 1 });

    protected static ILocator Dialog(IPage page) => page.Locator(".mud-dialog");

    protected static ILocator Rows(IPage page) => page.Locator("tbody tr.mud-table-row");

    protected static ILocator Row(IPage page, string text) => Rows(page).Filter(new() { HasText = text });

    protected static ILocator Snackbar(IPage page) => page.Locator(".mud-snackbar");

    /// <summary>A MudSelect, found by its accessible name (its label, or its aria-label in grid cells).</summary>
    protected static ILocator Select(IPage page, string name) =>
        page.GetByRole(AriaRole.Combobox, new() { Name = name, Exact = true });

    protected static ILocator Select(ILocator scope, string name) =>
        scope.GetByRole(AriaRole.Combobox, new() { Name = name, Exact = true });

    /// <summary>Opens a MudSelect with the mouse and picks the option with exactly this text.</summary>
    protected static async Task ChooseAsync(ILocator select, string option)
    {
        var page = select.Page;
        await select.ClickAsync();
        await OpenOption(page, option).ClickAsync();
        await Expect(OpenOptions(page)).ToHaveCountAsync(0);
    }

    /// <summary>
    /// Waits until a MudSelect shows <paramref name="text"/>. MudBlazor renders the shown value as
    /// an input's value or as the combobox's text, depending on the select's options.
    /// </summary>
    protected static async Task ExpectSelectedAsync(ILocator select, string text)
    {
        if (await select.EvaluateAsync<bool>("e => e.tagName === 'INPUT'"))
        {
            await Expect(select).ToHaveValueAsync(text);
        }
        else
        {
            await Expect(select).ToHaveTextAsync(text);
        }
    }

    /// <summary>The options of the select that is open now.</summary>
    protected static ILocator OpenOptions(IPage page) => page.Locator(".mud-popover-open [role=option]");

    protected static ILocator OpenOption(IPage page, string option) =>
        page.Locator(".mud-popover-open").GetByRole(AriaRole.Option, new() { Name = option, Exact = true });

    protected static ILocator Button(IPage page, string name) =>
        page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    protected static ILocator Button(ILocator scope, string name) =>
        scope.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    protected static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    /// <summary>The page is no wider than the window (a phone must not scroll sideways).</summary>
    protected static async Task AssertNoSidewaysScrollAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        var (scrollWidth, innerWidth) = (widths[0], widths[1]);
        Assert.True(scrollWidth <= innerWidth + 1, $"The page scrolls sideways at {innerWidth} px: it is {scrollWidth} px wide.");
    }

    protected static IPageAssertions Expect(IPage page) => Assertions.Expect(page);
}
