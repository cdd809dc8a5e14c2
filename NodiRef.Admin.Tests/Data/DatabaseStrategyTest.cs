using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Data;

/// <summary>
/// Base of the tests of the per-database strategies: the app's own registration
/// (<see cref="AppDatabase.AddAppDatabase"/>) for <paramref name="provider"/> on a migrated database of the
/// test's own, with its own connections as the app opens them (on SQLite a file), and a clock the test
/// drives (<see cref="FakeTimeProvider.DrivesTimers"/>). Each strategy has one abstract contract class with
/// a SQLite and a PostgreSQL subclass; the PostgreSQL ones run wherever a server is given
/// (<see cref="TestProvider.RequirePostgres"/>), as in every <c>NODIREF_TEST_PROVIDER=Postgres</c> run.
/// </summary>
public abstract class DatabaseStrategyTest(DatabaseProvider provider) : IAsyncLifetime
{
    private TestDatabase? _database;
    private ServiceProvider? _services;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected DatabaseProvider Provider => provider;

    protected FakeTimeProvider Clock { get; } = new() { DrivesTimers = true };

    /// <summary>What the strategies logged (warnings and above).</summary>
    protected CapturedLogs Logs { get; } = new();

    protected TestDatabase Database => _database ?? throw new InvalidOperationException("The test is not initialised.");

    protected ServiceProvider Services => _services ?? throw new InvalidOperationException("The test is not initialised.");

    public async ValueTask InitializeAsync()
    {
        if (provider == DatabaseProvider.Postgres)
        {
            TestProvider.RequirePostgres();
        }

        _database = await TestDatabase.CreateOnFileAsync(provider, Ct);
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddProvider(Logs));
        services.AddSingleton<TimeProvider>(Clock);
        services.AddAppDatabase(provider, options => _database.Configure(options));
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    protected AppDbContext CreateContext() => Get<IDbContextFactory<AppDbContext>>().CreateDbContext().Arranging();

    /// <summary>Clicks at the given times on a link, as the click writer makes them (ids and rollups are the store's business).</summary>
    protected static List<Click> Clicks(int linkId, int partnerId, int? projectId, params DateTime[] times) =>
        times.Select((at, i) => new Click
        {
            TrackingId = Click.NewTrackingId(at),
            LinkId = linkId,
            PartnerId = partnerId,
            ProjectId = projectId,
            IpAddress = i % 2 == 0 ? "203.0.113.7" : null,
            UserAgent = "Mozilla/5.0 (test)",
            CreatedAt = at,
            Status = i % 3 == 2 ? EventStatus.Discarded : EventStatus.Recorded,
            DiscardReason = i % 3 == 2 ? DiscardReasons.Bot : null,
        }).ToList();

    /// <summary>Writes each batch in a transaction of its own through one store, as the click writer does, and rolls them up where the rollups trail.</summary>
    protected async Task WriteAsync(bool rollUp, params List<Click>[] batches)
    {
        await using var store = await Get<IClickStoreFactory>().OpenAsync(Ct);
        foreach (var batch in batches)
        {
            await using var tx = await store.BeginAsync(Ct);
            await store.AddAsync(tx, batch, Ct);
            await store.CommitAsync(tx, Ct);
        }

        if (rollUp)
        {
            await using var tx = await store.BeginAsync(Ct);
            await store.RollUpAsync(tx, Ct);
            await store.CommitAsync(tx, Ct);
        }
    }

    /// <summary>The rollups as a grouping of the whole log says they must be: (day, link, project key, status, partner, count) and (day, project key, status, count).</summary>
    protected async Task AssertRollupsMatchTheLogAsync()
    {
        await using var db = CreateContext();
        var log = await db.Clicks.AsNoTracking().ToListAsync(Ct);
        var daily = await db.ClickDaily.AsNoTracking().ToListAsync(Ct);
        var projects = await db.ClickDailyProject.AsNoTracking().ToListAsync(Ct);
        Assert.Equal(
            log.GroupBy(c => (Day: DateOnly.FromDateTime(c.CreatedAt), c.LinkId, Project: c.ProjectId ?? 0, c.Status)).Select(g => (g.Key, g.Min(c => c.PartnerId), (long)g.Count())).Order(),
            daily.Select(d => ((d.Day, d.LinkId, d.ProjectKey, d.Status), d.PartnerId, d.Count)).Order());
        Assert.Equal(
            log.GroupBy(c => (Day: DateOnly.FromDateTime(c.CreatedAt), Project: c.ProjectId ?? 0, c.Status)).Select(g => (g.Key, (long)g.Count())).Order(),
            projects.Select(d => ((d.Day, d.ProjectKey, d.Status), d.Count)).Order());
    }

    /// <summary>A project, an active and an inactive partner, and a link of each (one in the project, one without).</summary>
    protected async Task<(Project Project, ReferralLink Active, ReferralLink Inactive)> GivenLinksAsync()
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        await using var db = CreateContext();
        var project = new Project { Name = "Shop", LandingUrl = "https://shop.example.com/", Status = ProjectStatus.Active, CreatedAt = now, UpdatedAt = now };
        var ada = new Partner { Name = "Ada", Status = PartnerStatus.Active, CreatedAt = now, UpdatedAt = now };
        var bob = new Partner { Name = "Bob", Status = PartnerStatus.Inactive, CreatedAt = now, UpdatedAt = now };
        db.AddRange(project, ada, bob);
        await db.SaveChangesAsync(Ct);
        var active = new ReferralLink { Code = "Ada-Shop", CodeKey = ReferralCode.ToKey("Ada-Shop"), PartnerId = ada.Id, ProjectId = project.Id, CreatedAt = now, UpdatedAt = now };
        var inactive = new ReferralLink { Code = "bob", CodeKey = ReferralCode.ToKey("bob"), PartnerId = bob.Id, TargetUrl = "https://bob.example.com/", CreatedAt = now, UpdatedAt = now };
        db.AddRange(active, inactive);
        await db.SaveChangesAsync(Ct);
        return (project, active, inactive);
    }
}
