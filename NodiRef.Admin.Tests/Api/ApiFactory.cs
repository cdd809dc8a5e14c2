using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.ApiTokens;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Hosting;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Api;

/// <summary>
/// The whole app in memory (the real <c>Program</c>: pipeline, authentication, migrations at start)
/// on a database of its own on the run's provider (<see cref="TestProvider"/>): a SQLite file in a
/// temp folder, or a PostgreSQL database, deleted on dispose; with a clock that only moves when a
/// test says so. One instance per test class: tests in a class share the database, so they use
/// unique names and external ids (see <see cref="Unique"/>).
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private static int _sequence;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "nodiref-api-tests", Guid.NewGuid().ToString("N"));
    private HttpClient? _admin;
    private HttpClient? _operator;
    private HttpClient? _viewer;
    private HttpClient? _tracking;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly bool _kestrel;
    private Uri? _kestrelAddress;

    public ApiFactory()
        : this(TestProvider.Current)
    {
    }

    /// <summary>
    /// An app on a database of <paramref name="provider"/>, or on an existing one when <paramref name="connectionString"/>
    /// is given (several instances, one database); with <paramref name="kestrel"/> on a real socket (what the
    /// in-memory server does not do, such as request body limits), with <paramref name="settings"/> added.
    /// </summary>
    internal ApiFactory(DatabaseProvider provider, string? connectionString = null, bool kestrel = false, IReadOnlyDictionary<string, string?>? settings = null)
    {
        Provider = provider;
        _settings = settings ?? new Dictionary<string, string?>();
        _kestrel = kestrel;
        if (kestrel)
        {
            UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        }

        OwnsDatabase = connectionString is null;
        if (provider == DatabaseProvider.Sqlite)
        {
            Directory.CreateDirectory(_folder);
            ConnectionString = connectionString ?? $"Data Source={Path.Combine(_folder, "nodiref.db")}";
        }
        else
        {
            ConnectionString = connectionString ?? "";
        }
    }

    public DatabaseProvider Provider { get; }

    /// <summary>What the app logged (warnings and above).</summary>
    public CapturedLogs Logs { get; } = new();
    public string ConnectionString { get; private set; }
    private bool OwnsDatabase { get; }

    /// <summary>
    /// The app's clock; starts at the real time so cookies and keys behave as in production, on a
    /// whole microsecond, as the database stores it.
    /// </summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UnixEpoch.AddMicroseconds((DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond));

    /// <summary>Clients with a bearer token of each role, created once per factory.</summary>
    public HttpClient Admin => _admin ?? throw NotInitialised();
    public HttpClient Operator => _operator ?? throw NotInitialised();
    public HttpClient Viewer => _viewer ?? throw NotInitialised();

    /// <summary>A shop backend's client: a token of the tracking role (convert, refund, identify).</summary>
    public HttpClient Tracking => _tracking ?? throw NotInitialised();

    public HttpClient As(string role) => role switch
    {
        Roles.Admin => Admin,
        Roles.Operator => Operator,
        Roles.Viewer => Viewer,
        Roles.Tracking => Tracking,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Not a role."),
    };

    /// <summary>A string no other test of the run produces, for names, external ids and codes.</summary>
    public static string Unique(string prefix = "t") =>
        $"{prefix}{Interlocked.Increment(ref _sequence):D5}{Guid.NewGuid().ToString("N")[..6]}";

    public async ValueTask InitializeAsync()
    {
        if (Provider == DatabaseProvider.Postgres && OwnsDatabase)
        {
            // Migrated once per test run and copied: the app's start-up finds nothing left to apply.
            ConnectionString = await PostgresDatabases.CreateMigratedAsync(TestProvider.PostgresForRun(), Xunit.TestContext.Current.CancellationToken);
        }

        await this.ReadyAsync(); // starts the app; it prepares the database (migrations, roles) while listening
        if (_kestrel)
        {
            var addresses = Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
                .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;
            _kestrelAddress = new Uri(addresses.First().TrimEnd('/') + "/");
        }

        _admin = Client(await CreateTokenAsync(Roles.Admin));
        _operator = Client(await CreateTokenAsync(Roles.Operator));
        _viewer = Client(await CreateTokenAsync(Roles.Viewer));
        _tracking = Client(await CreateTokenAsync(Roles.Tracking));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting(DatabaseOptions.ProviderKey, Provider.ToString());
        builder.UseSetting("ConnectionStrings:Default", ConnectionString);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    /// <summary>A new token of <paramref name="role"/>, created as the app's own admin would.</summary>
    public async Task<CreatedApiToken> CreateTokenRecordAsync(string role, string? name = null)
    {
        await using var scope = AsUser(Roles.Admin);
        var result = await scope.ServiceProvider.GetRequiredService<ApiTokenService>()
            .CreateAsync(name ?? $"{role} token {Unique()}", role, Xunit.TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded, result.Describe());
        return result.Value!;
    }

    public async Task<string> CreateTokenAsync(string role) => (await CreateTokenRecordAsync(role)).Secret;

    public async Task RevokeTokenAsync(int tokenId)
    {
        await using var scope = AsUser(Roles.Admin);
        var result = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().RevokeAsync(tokenId, Xunit.TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded, result.Describe());
    }

    /// <summary>An HTTP client without credentials, cookies or redirects.</summary>
    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = false,
        BaseAddress = _kestrelAddress ?? new Uri("http://localhost"),
    });

    /// <summary>An HTTP client that sends <c>Authorization: Bearer &lt;token&gt;</c>.</summary>
    public HttpClient Client(string token)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A service scope whose services act as a user with <paramref name="role"/>.</summary>
    public AsyncServiceScope AsUser(string role)
    {
        var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(CurrentUser.System(role));
        return scope;
    }

    /// <summary>A context on the app's database, for arranging and checking rows directly.</summary>
    public AppDbContext Db() => Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext().Arranging();

    /// <summary>Row counts of the three resources the API writes.</summary>
    public async Task<(int Projects, int Partners, int Links)> CountsAsync()
    {
        var ct = Xunit.TestContext.Current.CancellationToken;
        await using var db = Db();
        return (await db.Projects.CountAsync(ct), await db.Partners.CountAsync(ct), await db.ReferralLinks.CountAsync(ct));
    }

    /// <summary>Records a click on a link directly in the database, as the tracking endpoint would.</summary>
    public async Task AddClickAsync(int linkId)
    {
        var ct = Xunit.TestContext.Current.CancellationToken;
        await using var db = Db();
        var link = await db.ReferralLinks.AsNoTracking().FirstAsync(l => l.Id == linkId, ct);
        await TestClicks.WriteAsync(Services, link, Clock.GetUtcNow().UtcDateTime, ct: ct);
    }

    public override async ValueTask DisposeAsync()
    {
        _admin?.Dispose();
        _operator?.Dispose();
        _viewer?.Dispose();
        _tracking?.Dispose();
        await base.DisposeAsync();
        if (Provider == DatabaseProvider.Postgres)
        {
            if (OwnsDatabase && ConnectionString.Length > 0)
            {
                await PostgresDatabases.DropAsync(ConnectionString);
            }

            return;
        }

        using (var connection = new SqliteConnection(ConnectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere: the OS temp folder cleans it up eventually.
        }
    }

    private static InvalidOperationException NotInitialised() => new("The factory is not initialised.");
}
