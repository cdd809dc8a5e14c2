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

        // The provider's own migrations (never EnsureCreated), applied under a lock every instance
        // shares for the whole run: EF's own migration lock is released at each migration's commit, so
        // two instances starting together could both apply a later one. The roles and the first admin
        // are checked and created under the same lock.
        await db.Database.OpenConnectionAsync(ct);
        await using (await SqlDialect.For(db.Database).LockAsync(db.Database.GetDbConnection(), "nodiref:startup", ct))
        {
            await db.Database.MigrateAsync(ct);
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
}
