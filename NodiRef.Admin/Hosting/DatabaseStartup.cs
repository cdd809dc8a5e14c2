using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using NodiRef.Admin.Features.Setup;

namespace NodiRef.Admin.Hosting;

public static class DatabaseStartup
{
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

        await MigrateAsync(db, scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseStartup)), ct);

        // Instances starting together would otherwise both find a role (or the first admin) missing
        // and both create it.
        await db.Database.OpenConnectionAsync(ct);
        await using (await SqlDialect.For(db.Database).LockAsync(db.Database.GetDbConnection(), "nodiref:startup", ct))
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
    /// Applies the provider's own migrations (never EnsureCreated) under a lock every instance shares
    /// for the whole run: EF's own migration lock is released at each migration's commit, so two
    /// instances starting together could otherwise both apply a later migration. On PostgreSQL the lock
    /// lives on a connection of its own, which EF cannot close and hand back to the pool halfway; on a
    /// SQLite file it is an OS lock on a side file (<see cref="SqliteMigrationLock"/>), which also makes
    /// a lock row left by a killed run recognisably stale. Nothing to apply: nothing is written.
    /// </summary>
    public static async Task MigrateAsync(AppDbContext db, ILogger? logger = null, CancellationToken ct = default)
    {
        logger ??= NullLogger.Instance;
        var connectionString = db.Database.GetConnectionString() ?? db.Database.GetDbConnection().ConnectionString;
        var dialect = SqlDialect.For(db.Database);
        var sideFile = dialect.Provider == DatabaseProvider.Sqlite ? SqliteMigrationLock.LockFileOf(connectionString) : null;
        await using var fileLock = sideFile is null ? null : await SqliteMigrationLock.AcquireAsync(sideFile, logger, ct);
        await using (await dialect.LockOnOwnConnectionAsync(connectionString, "nodiref:migrate", ct))
        {
            if (fileLock is not null)
            {
                await SqliteMigrationLock.ClearStaleEfLockAsync(db, logger, ct);
            }

            if ((await db.Database.GetPendingMigrationsAsync(ct)).Any())
            {
                await db.Database.MigrateAsync(ct);
            }
        }
    }
}
