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

        // The provider's own migrations (never EnsureCreated). EF holds a database lock while it
        // migrates, so instances starting together apply each migration once.
        await db.Database.MigrateAsync(ct);

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
}
