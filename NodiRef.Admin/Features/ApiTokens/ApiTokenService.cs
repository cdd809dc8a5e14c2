using System.Security.Cryptography;
using System.Text;

namespace NodiRef.Admin.Features.ApiTokens;

public sealed record ApiTokenRow(int Id, string Name, string Role, string Prefix, DateTime CreatedAt, string CreatedBy, DateTime? LastUsedAt, DateTime? RevokedAt, DateTime? ExpiresAt = null)
{
    public bool IsRevoked => RevokedAt is not null;

    public bool IsExpiredAt(DateTime now) => ExpiresAt <= now;
}

/// <summary>The roles a token may have, the one offered first, and what each means for a token.</summary>
public static class ApiTokenRoles
{
    /// <summary>
    /// The least a typical caller needs: most tokens belong to a shop backend that reports conversions.
    /// The dialog and <c>create-token</c> both start from it.
    /// </summary>
    public const string Default = Roles.Tracking;

    public static IReadOnlyList<string> All => Roles.TokenRoles;

    public static string Describe(string role) => role switch
    {
        Roles.Admin => "Admin: everything an admin user may do through the API.",
        Roles.Operator => "Operator: reads and writes projects, partners and links; may also send tracking events.",
        Roles.Viewer => "Viewer: reads projects, partners and links; changes nothing.",
        Roles.Tracking => "Tracking: may only send conversions, refunds and identifies to /v1; reads nothing.",
        _ => role,
    };
}

/// <summary>A new token with its secret, which is shown once and never stored.</summary>
public sealed record CreatedApiToken(ApiTokenRow Token, string Secret);

/// <summary>The API tokens: created and revoked by admins, checked on every API request.</summary>
public sealed class ApiTokenService(AppDbFactory dbFactory, CurrentUser currentUser, TimeProvider clock)
{
    private const string TokenStart = "nr_";
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const int PrefixLength = 8;
    private const int SecretLength = 40;

    // Last-used times are written at most this often per token, so busy clients do not turn every read into a write.
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<Result<IReadOnlyList<ApiTokenRow>>> ListAsync(CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ManageTokens) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.ApiTokens.AsNoTracking()
            .OrderBy(t => t.RevokedAt != null).ThenByDescending(t => t.CreatedAt)
            .Select(t => new ApiTokenRow(t.Id, t.Name, t.Role, t.Prefix, t.CreatedAt, t.CreatedBy, t.LastUsedAt, t.RevokedAt, t.ExpiresAt))
            .ToListAsync(ct);
        return Result<IReadOnlyList<ApiTokenRow>>.Ok(rows);
    }

    /// <summary>Creates a token acting with <paramref name="role"/> until revoked; the secret is in the result only.</summary>
    public Task<Result<CreatedApiToken>> CreateAsync(string? name, string? role, CancellationToken ct = default) =>
        CreateAsync(name, role, expiresAt: null, ct);

    /// <summary>
    /// Creates a token acting with <paramref name="role"/> until <paramref name="expiresAt"/> (UTC; null: until
    /// revoked), owned by the acting user (a disabled owner's tokens stop working); the secret is in the result only.
    /// </summary>
    public async Task<Result<CreatedApiToken>> CreateAsync(string? name, string? role, DateTime? expiresAt, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ManageTokens) is { } denied)
        {
            return denied;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var v = new Validation()
            .Required(name, nameof(ApiToken.Name), "Name", ApiToken.NameMaxLength)
            .Check(role is not null && Roles.TokenRoles.Contains(role), nameof(ApiToken.Role), "Role must be Admin, Operator, Viewer or Tracking.")
            .Check(expiresAt is null || expiresAt > now, nameof(ApiToken.ExpiresAt), "The expiry must be in the future.");
        if (!v.IsValid)
        {
            return v.ToResult<CreatedApiToken>();
        }

        var prefix = TokenStart + RandomNumberGenerator.GetString(Base62, PrefixLength);
        var secret = prefix + "_" + RandomNumberGenerator.GetString(Base62, SecretLength);
        var creator = await currentUser.GetAsync();
        var token = new ApiToken
        {
            Name = name!.Trim(),
            Role = role!,
            Prefix = prefix,
            Hash = HashOf(secret),
            CreatedAt = now,
            CreatedBy = creator.Identity?.Name ?? "unknown",
            CreatedById = await currentUser.UserIdAsync(),
            ExpiresAt = expiresAt is { } at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : null,
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(ct);
        return Result<CreatedApiToken>.Ok(new CreatedApiToken(ToRow(token), secret));
    }

    /// <summary>Revokes a token; the next request with it is refused.</summary>
    public async Task<Result<ApiTokenRow>> RevokeAsync(int id, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ManageTokens) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (token is null)
        {
            return Result<ApiTokenRow>.NotFound($"API token {id} does not exist.");
        }

        token.RevokedAt ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return Result<ApiTokenRow>.Ok(ToRow(token));
    }

    /// <summary>
    /// The live token a request presents, or null when it is unknown, revoked, expired, or made by a user
    /// who is now disabled (or gone). One query: it runs on every API request.
    /// </summary>
    public async Task<ApiTokenRow?> AuthenticateAsync(string presented, CancellationToken ct = default)
    {
        if (!presented.StartsWith(TokenStart, StringComparison.Ordinal) || presented.Length > 128)
        {
            return null;
        }

        var hash = HashOf(presented);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.ApiTokens.AsNoTracking()
            .Where(t => t.Hash == hash && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now))
            .Where(t => t.CreatedById == null || db.Users.Any(u => u.Id == t.CreatedById && !u.IsDisabled))
            .FirstOrDefaultAsync(ct);
        if (token is null)
        {
            return null;
        }

        if (token.LastUsedAt is null || now - token.LastUsedAt > LastUsedResolution)
        {
            var staleBefore = now - LastUsedResolution;
            await db.ApiTokens
                .Where(t => t.Id == token.Id && (t.LastUsedAt == null || t.LastUsedAt < staleBefore))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), ct);
        }

        return ToRow(token);
    }

    private static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static ApiTokenRow ToRow(ApiToken t) => new(t.Id, t.Name, t.Role, t.Prefix, t.CreatedAt, t.CreatedBy, t.LastUsedAt, t.RevokedAt, t.ExpiresAt);
}
