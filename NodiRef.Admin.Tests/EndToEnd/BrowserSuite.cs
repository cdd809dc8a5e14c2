using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.ApiTokens;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.Projects;
using NodiRef.Admin.Features.ReferralLinks;
using NodiRef.Admin.Features.Users;

namespace NodiRef.Admin.Tests.EndToEnd;

/// <summary>The browser tests share one app (with its first admin from the environment) and one Chromium.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserSuite>
{
    public const string Name = "Browser";
}

/// <summary>
/// One running app and one browser for the whole browser suite, plus a user per role and
/// "given" helpers that arrange data through the app's own services. Tests stay independent by
/// using unique names and external ids.
/// </summary>
public sealed class BrowserSuite : IAsyncLifetime
{
    public const string AdminEmail = "admin@e2e.test";

    private readonly ConcurrentDictionary<string, string> _signedIn = new();
    private readonly SemaphoreSlim _signInGate = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private AppUnderTest? _app;

    public string AdminPassword { get; } = "admin " + Guid.NewGuid().ToString("N");

    public AppUnderTest App => _app ?? throw new InvalidOperationException("The suite is not started.");
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The suite is not started.");

    /// <summary>Sign-in details of one user per role (the admin comes from the environment).</summary>
    public Dictionary<string, (string Email, string Password)> Users { get; } = new();

    public async ValueTask InitializeAsync()
    {
        // The browser first: when it cannot start, every browser test fails with that message.
        (_playwright, _browser) = await Chromium.LaunchAsync();
        Assertions.SetDefaultExpectTimeout(10_000);
        _app = await AppUnderTest.StartAsync(AdminEmail, AdminPassword);
        Users[Roles.Admin] = (AdminEmail, AdminPassword);
        foreach (var role in new[] { Roles.Operator, Roles.Viewer })
        {
            var (email, password) = await GivenUserAsync(role);
            Users[role] = (email, password);
        }

        // The unfiltered grids always hold more rows than any one test's search narrows them to,
        // so "the grid shows N rows" tells that a search was applied even when a test runs first.
        await GivenPartnerAsync("Background partner one", "background_1");
        await GivenPartnerAsync("Background partner two", "background_2");
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>
    /// The browser storage (the sign-in cookie) of a user who signed in through the sign-in page,
    /// once per user for the whole suite.
    /// </summary>
    public async Task<string> SignedInStateAsync(string email, string password)
    {
        if (_signedIn.TryGetValue(email, out var state))
        {
            return state;
        }

        await _signInGate.WaitAsync();
        try
        {
            if (_signedIn.TryGetValue(email, out state))
            {
                return state;
            }

            await using var context = await Browser.NewContextAsync(new() { BaseURL = App.BaseUri.ToString() });
            var page = await context.NewPageAsync();
            await SignInAsync(page, email, password);
            await Assertions.Expect(page).ToHaveURLAsync(new Uri(App.BaseUri, "partners").ToString());
            state = await context.StorageStateAsync();
            _signedIn[email] = state;
            return state;
        }
        finally
        {
            _signInGate.Release();
        }
    }

    /// <summary>Fills and sends the sign-in form, as a person would.</summary>
    public async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    public Task<(string Email, string Password)> GivenUserAsync(string role, string? name = null) =>
        App.AsAdminAsync(async services =>
        {
            var email = $"{role.ToLowerInvariant()}-{Unique.Id()}@e2e.test";
            var password = "pw " + Guid.NewGuid().ToString("N");
            Ok(await services.GetRequiredService<UserService>().CreateAsync(new CreateUserInput(email, name ?? $"{role} {Unique.Id()}", role, password)));
            return (email, password);
        });

    public Task<ProjectRow> GivenProjectAsync(string name) =>
        App.AsAdminAsync(async services =>
            Ok(await services.GetRequiredService<ProjectService>().CreateAsync(new ProjectInput(name, $"https://{Unique.Id()}.example.com/welcome"))));

    public Task<PartnerDetails> GivenPartnerAsync(string name, string? externalId = null, int? projectId = null, PartnerStatus status = PartnerStatus.Active) =>
        App.AsAdminAsync(async services =>
            Ok(await services.GetRequiredService<PartnerService>().CreateAsync(new CreatePartnerInput(name, externalId, status, projectId))));

    public Task<PartnerDetails> PartnerAsync(int id) =>
        App.AsAdminAsync(async services => Ok(await services.GetRequiredService<PartnerService>().GetAsync(id)));

    /// <summary>Partners whose name, external id or code matches <paramref name="search"/>, as the app stores them.</summary>
    public Task<Page<PartnerRow>> PartnersAsync(string search) =>
        App.AsAdminAsync(async services => Ok(await services.GetRequiredService<PartnerService>().ListAsync(new PartnerQuery(search) { PageSize = 100 })));

    public Task<IReadOnlyList<LinkRow>> LinksAsync(int partnerId) =>
        App.AsAdminAsync(async services => Ok(await services.GetRequiredService<ReferralLinkService>().ListAsync(new LinkQuery(partnerId))).Items);

    /// <summary>An API token with <paramref name="role"/>; returns the secret.</summary>
    public Task<string> GivenApiTokenAsync(string role) =>
        App.AsAdminAsync(async services => Ok(await services.GetRequiredService<ApiTokenService>().CreateAsync($"e2e {role} {Unique.Id()}", role)).Secret);

    public HttpClient ApiClient(string? token)
    {
        var client = new HttpClient { BaseAddress = App.BaseUri };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    private static T Ok<T>(Result<T> result) =>
        result.Succeeded ? result.Value! : throw new InvalidOperationException($"Arranging test data failed: {result.Describe()}");
}

public static class Unique
{
    /// <summary>A short id that makes names and external ids of one test unique in the shared app.</summary>
    public static string Id() => Guid.NewGuid().ToString("N")[..8];
}
