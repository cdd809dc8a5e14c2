using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Setup;

namespace NodiRef.Admin.Hosting;

public static class DatabaseStartup
{
    /// <summary>Applies pending migrations, makes sure the roles exist and creates the first admin when configured.</summary>
    public static async Task PrepareDatabaseAsync(this IServiceProvider services, IConfiguration configuration, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        await MigrateAsync(db, ct);

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
    }

    /// <summary>
    /// Applies the provider's own migrations (never EnsureCreated) under a lock every instance shares
    /// for the whole run: EF's own migration lock is released at each migration's commit, so two
    /// instances starting together could otherwise both apply a later migration. The lock lives on a
    /// connection of its own, which EF cannot close and hand back to the pool halfway.
    /// </summary>
    public static async Task MigrateAsync(AppDbContext db, CancellationToken ct = default)
    {
        var connectionString = db.Database.GetConnectionString() ?? db.Database.GetDbConnection().ConnectionString;
        await using (await SqlDialect.For(db.Database).LockOnOwnConnectionAsync(connectionString, "nodiref:migrate", ct))
        {
            await db.Database.MigrateAsync(ct);
        }
    }
}
