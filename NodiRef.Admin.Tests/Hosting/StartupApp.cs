using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodiRef.Admin.Data;
using NodiRef.Admin.Features.Setup;
using NodiRef.Admin.Hosting;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Hosting;

/// <summary>
/// The real app on a SQLite file the test arranges (a folder of its own, deleted on dispose), started
/// without waiting for its database: for tests of what happens while it starts.
/// </summary>
public sealed class StartupApp : WebApplicationFactory<Program>
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _connectionString;
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public StartupApp(string folder, string? connectionString = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        Folder = folder;
        Directory.CreateDirectory(folder);
        _connectionString = connectionString ?? $"Data Source={DatabasePath}";
        _settings = settings ?? new Dictionary<string, string?>();
    }

    public string Folder { get; }

    public string DatabasePath => Path.Combine(Folder, "nodiref.db");

    public CapturedLogs Logs { get; } = new();

    public DatabaseReadiness Readiness => Services.GetRequiredService<DatabaseReadiness>();

    /// <summary>Starts the app, failing the test (instead of hanging it) when that takes longer than <see cref="StartTimeout"/>.</summary>
    public async Task StartAsync() => await Task.Run(StartServer).WaitAsync(StartTimeout, Xunit.TestContext.Current.CancellationToken);

    /// <summary>Starts the app and waits until its database is prepared.</summary>
    public async Task StartReadyAsync()
    {
        await StartAsync();
        await Readiness.WhenReady.WaitAsync(StartTimeout, Xunit.TestContext.Current.CancellationToken);
    }

    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting(DatabaseOptions.ProviderKey, nameof(DatabaseProvider.Sqlite));
        builder.UseSetting("ConnectionStrings:Default", _connectionString);
        builder.UseSetting(FirstAdminSetup.EmailVariable, "");
        builder.UseSetting(FirstAdminSetup.PasswordVariable, "");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddProvider(Logs));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}
