using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Setup;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.EndToEnd;

/// <summary>
/// The real app (Program.cs, its whole pipeline) listening on Kestrel at 127.0.0.1 on a free port,
/// on a fresh SQLite file of its own, so a browser can reach it.
/// </summary>
public sealed class AppUnderTest : WebApplicationFactory<Program>
{
    // The factory finds the app's host through a process-wide hook while the entry point builds it:
    // start one app at a time.
    private static readonly SemaphoreSlim StartGate = new(1, 1);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "nodiref-e2e-" + Guid.NewGuid().ToString("N"));
    private readonly string? _adminEmail;
    private readonly string? _adminPassword;

    private AppUnderTest(string? adminEmail, string? adminPassword)
    {
        _adminEmail = adminEmail;
        _adminPassword = adminPassword;
        Directory.CreateDirectory(_folder);
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>The root of the app, ending in a slash, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUri { get; private set; } = default!;

    public string DatabasePath => Path.Combine(_folder, "nodiref.db");

    /// <summary>
    /// Starts an app. With an email and password the first admin is created at start-up (as with
    /// NODIREF_ADMIN_EMAIL / NODIREF_ADMIN_PASSWORD); without them the app starts with no user at all.
    /// </summary>
    public static async Task<AppUnderTest> StartAsync(string? adminEmail = null, string? adminPassword = null)
    {
        var app = new AppUnderTest(adminEmail, adminPassword);
        await StartGate.WaitAsync();
        try
        {
            app.StartServer();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        finally
        {
            StartGate.Release();
        }

        // The app listens before its database is prepared; the tests start once it is.
        await app.DatabaseReadyAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        var address = addresses.FirstOrDefault() ?? throw new InvalidOperationException("The app under test did not report the address it listens on.");
        app.BaseUri = new Uri(address.TrimEnd('/') + "/");
        return app;
    }

    /// <summary>Runs <paramref name="action"/> with the app's own services, acting as a user of <paramref name="role"/>.</summary>
    public async Task<T> AsAsync<T>(string role, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(CurrentUser.System(role));
        return await action(scope.ServiceProvider);
    }

    public Task<T> AsAdminAsync<T>(Func<IServiceProvider, Task<T>> action) => AsAsync(Roles.Admin, action);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Settings given here reach Program.cs as command-line arguments, so they win over the
        // machine's environment: the first-start app sees no admin even if the variables are set.
        builder.UseEnvironment("Production");
        builder.UseSetting(NodiRef.Admin.Hosting.DatabaseOptions.ProviderKey, nameof(NodiRef.Admin.Data.DatabaseProvider.Sqlite));
        builder.UseSetting("ConnectionStrings:Default", $"Data Source={DatabasePath}");
        builder.UseSetting(FirstAdminSetup.EmailVariable, _adminEmail ?? "");
        builder.UseSetting(FirstAdminSetup.PasswordVariable, _adminPassword ?? "");
        builder.UseSetting("DetailedErrors", "true");

        // Every browser of the suite signs in from 127.0.0.1: more often than the per-address throttle allows one person.
        builder.UseSetting("SignIn:AttemptsPerMinutePerIp", "1000");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open is left for the temp folder's cleaner.
        }
    }
}
