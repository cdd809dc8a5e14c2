using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Conversions;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.Projects;
using NodiRef.Admin.Features.ReferralLinks;
using NodiRef.Admin.Features.Rewards;
using NodiRef.Admin.Features.Setup;
using NodiRef.Admin.Features.Tracking;
using NodiRef.Admin.Features.Users;
using NodiRef.Admin.Hosting;

namespace NodiRef.Admin.Tests.Support;

/// <summary>
/// The app's service layer as the host registers it (<c>AppServices.AddServiceLayer</c>), on a <see cref="TestDatabase"/>, with a fake
/// clock. <see cref="Scope"/> plays the part of one circuit: its <see cref="CurrentUser"/> is the
/// user the test acts as (anonymous until <see cref="ActAs"/> is called).
/// </summary>
public sealed class TestServices : IAsyncDisposable
{
    private TestServices(TestDatabase database, ServiceProvider provider, FakeTimeProvider clock, SaveCounter saves, SqlHook sqlHook)
    {
        Database = database;
        Saves = saves;
        SqlHook = sqlHook;
        Provider = provider;
        Clock = clock;
        Scope = provider.CreateAsyncScope();
    }

    public TestDatabase Database { get; }
    public ServiceProvider Provider { get; }
    public FakeTimeProvider Clock { get; }
    public AsyncServiceScope Scope { get; }

    /// <summary>How many times the services' contexts called SaveChanges.</summary>
    public SaveCounter Saves { get; }

    /// <summary>Injects "someone else's" SQL between a service's commands.</summary>
    public SqlHook SqlHook { get; }

    public CurrentUser CurrentUser => Get<CurrentUser>();
    public ProjectService Projects => Get<ProjectService>();
    public PartnerService Partners => Get<PartnerService>();
    public ReferralLinkService Links => Get<ReferralLinkService>();
    public UserService Users => Get<UserService>();
    public ClickService Clicks => Get<ClickService>();
    public ReferralService Referrals => Get<ReferralService>();
    public ConversionService Conversions => Get<ConversionService>();
    public RuleSetService RuleSets => Get<RuleSetService>();
    public RewardService Rewards => Get<RewardService>();

    /// <summary>The background processor's work, run when a test says so (no hosted services here).</summary>
    public ConversionProcessor Processor => Provider.GetRequiredService<ConversionProcessor>();

    /// <summary>
    /// The services on a fresh database: on SQLite an in-memory one, which lives in a single connection, unless the running
    /// test is marked <see cref="OwnConnectionsAttribute"/> (background work beside the test's own queries needs a file).
    /// </summary>
    public static async Task<TestServices> CreateAsync(CancellationToken ct = default)
    {
        var database = OwnConnectionsAttribute.OnCurrentTest
            ? await TestDatabase.CreateOnFileAsync(TestProvider.Current, ct)
            : await TestDatabase.CreateAsync(ct);
        var clock = new FakeTimeProvider();
        var saves = new SaveCounter();
        var sqlHook = new SqlHook();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection();
        services.AddAppDatabase(database.Provider, options => database.Configure(options).AddInterceptors(saves, sqlHook));
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(clock);
        services.AddSingleton(NodiRef.Admin.Hosting.DatabaseReadiness.AlreadyReady());
        services.AddServiceLayer(new ConfigurationBuilder().Build());
        // Hashing is not under test: a cheap hash keeps the user tests fast (the app's default is 100,000).
        services.Configure<PasswordHasherOptions>(options => options.IterationCount = 1_000);
        // Webhook receivers in tests listen on loopback, and retries come within seconds.
        services.Configure<NodiRef.Admin.Features.Webhooks.WebhookOptions>(options =>
        {
            options.AllowPrivateAddresses = true;
            options.RetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)];
        });

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        var app = new TestServices(database, provider, clock, saves, sqlHook);
        await app.CreateRolesAsync();
        return app;
    }

    public T Get<T>()
        where T : notnull => Scope.ServiceProvider.GetRequiredService<T>();

    /// <summary>From now on, the services see a signed-in user with this role.</summary>
    public void ActAs(string role) => CurrentUser.Set(CurrentUser.System(role));

    /// <summary>From now on, the services see nobody signed in.</summary>
    public void ActAnonymously() => CurrentUser.Set(new ClaimsPrincipal(new ClaimsIdentity()));

    /// <summary>A first-admin setup as the app registers it (a singleton over the root provider).</summary>
    public FirstAdminSetup NewFirstAdminSetup() =>
        new(Provider.GetRequiredService<IServiceScopeFactory>(), Clock, NullLogger<FirstAdminSetup>.Instance);

    public ILogger<T> Logger<T>() => Provider.GetRequiredService<ILogger<T>>();

    public async ValueTask DisposeAsync()
    {
        await Scope.DisposeAsync();
        await Provider.DisposeAsync();
        await Database.DisposeAsync();
    }

    // As DatabaseStartup.PrepareDatabaseAsync does.
    private async Task CreateRolesAsync()
    {
        await using var scope = Provider.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            var created = await roles.CreateAsync(new IdentityRole(role));
            if (!created.Succeeded)
            {
                throw new InvalidOperationException($"Could not create role {role}.");
            }
        }
    }
}
