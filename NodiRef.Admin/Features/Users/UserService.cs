using System.Security.Claims;
using Microsoft.AspNetCore.Identity;

namespace NodiRef.Admin.Features.Users;

public sealed record UserRow(string Id, string Email, string DisplayName, string Role, bool IsDisabled, bool IsLockedOut, DateTime CreatedAt);

public sealed record CreateUserInput(string? Email, string? DisplayName, string? Role, string? Password);

/// <summary>
/// Back-office accounts and their roles (admins only). Takes a fresh scope per operation, because
/// UserManager is not safe to share across a long-lived circuit.
/// </summary>
public sealed class UserService(IServiceScopeFactory scopes, CurrentUser currentUser, TimeProvider clock)
{
    /// <summary>A fresh scope acting as the same user, so what its stores save is recorded under them.</summary>
    private async Task<AsyncServiceScope> ScopeAsync()
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(await currentUser.GetAsync());
        return scope;
    }

    public async Task<Result<IReadOnlyList<UserRow>>> ListAsync(CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ManageUsers) is { } denied)
        {
            return denied;
        }

        await using var scope = await ScopeAsync();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(ct);
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           select new { ur.UserId, r.Name }).ToListAsync(ct);
        var now = clock.GetUtcNow();
        return Result<IReadOnlyList<UserRow>>.Ok(users.Select(u => new UserRow(
            u.Id,
            u.Email ?? u.UserName ?? "",
            u.DisplayName,
            roles.FirstOrDefault(r => r.UserId == u.Id)?.Name ?? "",
            u.IsDisabled,
            !u.IsDisabled && u.LockoutEnd > now,
            u.CreatedAt)).ToList());
    }

    /// <summary>Creates an account with a first password the admin hands over (no mail server needed).</summary>
    public async Task<Result<UserRow>> CreateAsync(CreateUserInput input, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ManageUsers) is { } denied)
        {
            return denied;
        }

        await using var scope = await ScopeAsync();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var v = new Validation()
            .Required(input.Email, nameof(CreateUserInput.Email), "Email", 256)
            .Required(input.DisplayName, nameof(CreateUserInput.DisplayName), "Name", 100)
            .Check(input.Role is not null && Roles.All.Contains(input.Role), nameof(CreateUserInput.Role), "Role must be Admin, Operator or Viewer.")
            .Check(!string.IsNullOrEmpty(input.Password), nameof(CreateUserInput.Password), "Password is required.");
        var email = input.Email?.Trim() ?? "";
        if (v.IsValid && !new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(email))
        {
            v.Add(nameof(CreateUserInput.Email), "Email is not a valid address.");
        }

        if (v.IsValid && await users.FindByEmailAsync(email) is not null)
        {
            v.Add(nameof(CreateUserInput.Email), $"A user with email {email} already exists.");
        }

        if (!v.IsValid)
        {
            return v.ToResult<UserRow>();
        }

        var user = NewUser(email, input.DisplayName!.Trim(), clock);
        var created = await users.CreateAsync(user, input.Password!);
        if (!created.Succeeded)
        {
            return Result<UserRow>.Invalid(IdentityErrors(created));
        }

        Require(await users.AddToRoleAsync(user, input.Role!), "add the role");
        return Result<UserRow>.Ok(ToRow(user, input.Role!));
    }

    public Task<Result<UserRow>> ChangeRoleAsync(string userId, string role, CancellationToken ct = default) =>
        ChangeAccountAsync<UserRow>(userId, async (users, user) =>
        {
            if (!Roles.All.Contains(role))
            {
                return Result<UserRow>.Invalid(nameof(CreateUserInput.Role), "Role must be Admin, Operator or Viewer.");
            }

            var current = await users.GetRolesAsync(user);
            if (current.Contains(Roles.Admin) && role != Roles.Admin && await IsLastActiveAdminAsync(users, user))
            {
                return Result<UserRow>.Conflict("This is the last active admin; make someone else an admin first.");
            }

            Require(await users.RemoveFromRolesAsync(user, current), "remove the old role");
            Require(await users.AddToRoleAsync(user, role), "add the role");
            Require(await users.UpdateSecurityStampAsync(user), "sign the user out of open sessions");
            return Result<UserRow>.Ok(ToRow(user, role));
        });

    /// <summary>Disables (signs out everywhere and refuses sign-in) or re-enables an account.</summary>
    public Task<Result<UserRow>> SetDisabledAsync(string userId, bool disabled, CancellationToken ct = default) =>
        ChangeAccountAsync<UserRow>(userId, async (users, user) =>
        {
            var me = users.GetUserId(await currentUser.GetAsync());
            if (disabled && me == user.Id)
            {
                return Result<UserRow>.Conflict("You cannot disable your own account.");
            }

            var roles = await users.GetRolesAsync(user);
            if (disabled && roles.Contains(Roles.Admin) && await IsLastActiveAdminAsync(users, user))
            {
                return Result<UserRow>.Conflict("This is the last active admin; it cannot be disabled.");
            }

            user.IsDisabled = disabled;
            user.LockoutEnd = disabled ? DateTimeOffset.MaxValue : null;
            Require(await users.UpdateAsync(user), "save the account");
            Require(await users.UpdateSecurityStampAsync(user), "sign the user out of open sessions");
            return Result<UserRow>.Ok(ToRow(user, roles.FirstOrDefault() ?? ""));
        });

    /// <summary>Sets a new password for a user who forgot theirs (the admin hands it over).</summary>
    public Task<Result<bool>> ResetPasswordAsync(string userId, string newPassword, CancellationToken ct = default) =>
        ChangeAccountAsync<bool>(userId, async (users, user) =>
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var reset = await users.ResetPasswordAsync(user, token, newPassword);
            if (!reset.Succeeded)
            {
                return Result<bool>.Invalid(IdentityErrors(reset));
            }

            await users.SetLockoutEndDateAsync(user, user.IsDisabled ? DateTimeOffset.MaxValue : null);
            await users.ResetAccessFailedCountAsync(user);
            return Result<bool>.Ok(true);
        });

    /// <summary>
    /// The skeleton of every change to an existing account: the admin's permission, the user (or not found), the
    /// change on Identity's user manager of a scope of its own.
    /// </summary>
    private async Task<Result<T>> ChangeAccountAsync<T>(string userId, Func<UserManager<ApplicationUser>, ApplicationUser, Task<Result<T>>> change)
    {
        if (await currentUser.DeniedAsync(Permissions.ManageUsers) is { } denied)
        {
            return denied;
        }

        await using var scope = await ScopeAsync();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await users.FindByIdAsync(userId) is { } user
            ? await change(users, user)
            : Result<T>.NotFound($"User {userId} does not exist.");
    }

    internal static ApplicationUser NewUser(string email, string displayName, TimeProvider clock) => new()
    {
        UserName = email,
        Email = email,
        DisplayName = displayName,
        // Self-hosted installs usually have no mail server: the admin vouches for the address.
        EmailConfirmed = true,
        CreatedAt = clock.GetUtcNow().UtcDateTime,
    };

    internal static Dictionary<string, string> IdentityErrors(IdentityResult result)
    {
        var errors = new Dictionary<string, string>();
        foreach (var e in result.Errors)
        {
            var field = e.Code.Contains("Password", StringComparison.Ordinal) ? nameof(CreateUserInput.Password)
                : e.Code.Contains("Email", StringComparison.Ordinal) || e.Code.Contains("UserName", StringComparison.Ordinal) ? nameof(CreateUserInput.Email)
                : "";
            errors[field] = errors.TryGetValue(field, out var previous) ? previous + " " + e.Description : e.Description;
        }

        return errors;
    }

    /// <summary>Identity failures here are not the user's input but a broken store: fail loudly.</summary>
    internal static void Require(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }

    private static async Task<bool> IsLastActiveAdminAsync(UserManager<ApplicationUser> users, ApplicationUser user)
    {
        var admins = await users.GetUsersInRoleAsync(Roles.Admin);
        return !admins.Any(a => !a.IsDisabled && a.Id != user.Id);
    }

    private static UserRow ToRow(ApplicationUser u, string role) =>
        new(u.Id, u.Email ?? "", u.DisplayName, role, u.IsDisabled, false, u.CreatedAt);
}

public static class ClaimsPrincipalExtensions
{
    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirstValue("display_name") ?? user.Identity?.Name ?? "";
}
