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
