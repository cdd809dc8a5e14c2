using Microsoft.AspNetCore.Identity;
using NodiRef.Admin.Features.Users;

namespace NodiRef.Admin.Features.Setup;

/// <summary>
/// Creates the first admin, once: from NODIREF_ADMIN_EMAIL / NODIREF_ADMIN_PASSWORD at start-up, or
/// from the one-time setup page. There is no default password anywhere.
/// </summary>
public sealed class FirstAdminSetup(IServiceScopeFactory scopes, TimeProvider clock, ILogger<FirstAdminSetup> logger)
{
    public const string EmailVariable = "NODIREF_ADMIN_EMAIL";
    public const string PasswordVariable = "NODIREF_ADMIN_PASSWORD";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private volatile bool _done;

    /// <summary>True while no user exists yet.</summary>
    public async Task<bool> IsNeededAsync(CancellationToken ct = default)
    {
        if (_done)
        {
            return false;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        _done = await db.Users.AnyAsync(ct);
        return !_done;
    }

    public async Task<Result<ApplicationUser>> CreateAsync(string? email, string? displayName, string? password, CancellationToken ct = default)
    {
        await Gate.WaitAsync(ct);
        try
        {
            // The gate serialises this instance; the database lock serialises all instances sharing the database.
            await using var lockScope = scopes.CreateAsyncScope();
            var lockDb = lockScope.ServiceProvider.GetRequiredService<AppDbContext>();
            await lockDb.Database.OpenConnectionAsync(ct);
            await using var instancesLock = await lockScope.ServiceProvider.GetRequiredService<IDatabaseLock>()
                .HoldAsync(lockDb.Database.GetDbConnection(), "nodiref:first-admin", ct);
            if (!await IsNeededAsync(ct))
            {
                return Result<ApplicationUser>.Conflict("Setup is already done: an administrator exists. Sign in instead.");
            }

            email = email?.Trim();
            var v = new Validation()
                .Required(email, nameof(CreateUserInput.Email), "Email", 256)
                .Check(string.IsNullOrEmpty(email) || new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(email), nameof(CreateUserInput.Email), "Email is not a valid address.")
                .Check(!string.IsNullOrEmpty(password), nameof(CreateUserInput.Password), "Password is required.");
            if (!v.IsValid)
            {
                return v.ToResult<ApplicationUser>();
            }

            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(CurrentUser.System(worker: "first-run setup"));
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var name = string.IsNullOrWhiteSpace(displayName) ? email! : displayName.Trim();
            var user = UserService.NewUser(email!, name, clock);
            var created = await users.CreateAsync(user, password!);
            if (!created.Succeeded)
            {
                return Result<ApplicationUser>.Invalid(UserService.IdentityErrors(created));
            }

            UserService.Require(await users.AddToRoleAsync(user, Roles.Admin), "make the first user an admin");
            _done = true;
            logger.LogInformation("Created the first administrator {Email}.", email);
            return Result<ApplicationUser>.Ok(user);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>At start-up: when no user exists and both variables are set, create the admin from them.</summary>
    public async Task CreateFromEnvironmentAsync(IConfiguration configuration, CancellationToken ct = default)
    {
        var email = configuration[EmailVariable];
        var password = configuration[PasswordVariable];
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password) || !await IsNeededAsync(ct))
        {
            return;
        }

        var result = await CreateAsync(email, null, password, ct);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not create the first admin from {EmailVariable}/{PasswordVariable}: {result.Describe()}");
        }
    }
}
