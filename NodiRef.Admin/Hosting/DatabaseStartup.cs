using Microsoft.AspNetCore.Identity;
using NodiRef.Admin.Features.Setup;

namespace NodiRef.Admin.Hosting;

public static class DatabaseStartup
{
    /// <summary>Logged once the database is prepared and every endpoint answers.</summary>
    public const string ReadyMessage = "The database is ready; serving every request.";

    /// <summary>
    /// The web app's start: the server already listens (liveness answers, everything else 503); prepares the
    /// database, then opens the gate (<see cref="DatabaseReadiness"/>). A failure is logged and stops the app.
    /// </summary>
    public static async Task<bool> PrepareDatabaseWhileListeningAsync(this WebApplication app)
    {
        var readiness = app.Services.GetRequiredService<DatabaseReadiness>();
        try
        {
            await app.Services.PrepareDatabaseAsync(app.Configuration, app.Lifetime.ApplicationStopping);
            app.Logger.LogInformation(ReadyMessage);
            return true;
        }
        catch (Exception e)
        {
            readiness.MarkFailed(e);
            if (!app.Lifetime.ApplicationStopping.IsCancellationRequested)
            {
                app.Logger.LogCritical(e, "Could not prepare the database; stopping.");
                app.Lifetime.StopApplication();
            }

            return false;
        }
    }

    /// <summary>
    /// Applies pending migrations, makes sure the roles exist and creates the first admin when configured;
    /// then marks the database ready (<see cref="DatabaseReadiness"/>).
    /// </summary>
    public static async Task PrepareDatabaseAsync(this IServiceProvider services, IConfiguration configuration, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var databaseLock = scope.ServiceProvider.GetRequiredService<IDatabaseLock>();

        await MigrateAsync(db, databaseLock, ct);

        // Instances starting together would otherwise both find a role (or the first admin) missing
        // and both create it.
        await db.Database.OpenConnectionAsync(ct);
        await using (await databaseLock.HoldAsync(db.Database.GetDbConnection(), "nodiref:startup", ct))
        {
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            foreach (var role in Roles.All)
            {
                if (!await roles.RoleExistsAsync(role))
                {
                    await roles.CreateAsync(new IdentityRole(role));
                }
            }

            await scope.ServiceProvider.GetRequiredService<FirstAdminSetup>().CreateFromEnvironmentAsync(configuration, ct);
        }

        services.GetRequiredService<DatabaseReadiness>().MarkReady();
    }

    /// <summary>
    /// Applies the provider's own migrations (never EnsureCreated) under the database's migration lock
    /// (<see cref="IDatabaseLock.HoldForMigrationAsync"/>), held for the whole run so that instances starting
    /// together apply each migration once. Nothing to apply: nothing is written.
    /// </summary>
    public static async Task MigrateAsync(AppDbContext db, IDatabaseLock databaseLock, CancellationToken ct = default)
    {
        await using (await databaseLock.HoldForMigrationAsync(db, ct))
        {
            if ((await db.Database.GetPendingMigrationsAsync(ct)).Any())
            {
                await db.Database.MigrateAsync(ct);
            }
        }
    }
}
