using System.Security.Claims;

namespace NodiRef.Admin.Features.Common;

/// <summary>
/// Who is acting, for the services' permission checks; one per scope. The host fills it in: for an
/// interactive circuit <see cref="CurrentUserCircuitHandler"/> sets the circuit's user (and follows its
/// changes); for an HTTP request (API, static pages, prerendering) it is the request's user, which the API
/// replaces with the token it authorized; the command line, workers and tests <see cref="Set"/> it.
/// </summary>
public sealed class CurrentUser(IServiceProvider services)
{
    /// <summary>How API-token principals start their NameIdentifier (they are no user).</summary>
    public const string TokenIdPrefix = "token:";
    private static readonly ClaimsPrincipal Nobody = new(new ClaimsIdentity());
    private ClaimsPrincipal? _principal;

    public void Set(ClaimsPrincipal principal) => _principal = principal;

    public Task<ClaimsPrincipal> GetAsync() =>
        Task.FromResult(_principal ?? services.GetService<IHttpContextAccessor>()?.HttpContext?.User ?? Nobody);

    /// <summary>Null when the actor has <paramref name="permission"/> now, else the refusal to return.</summary>
    public async Task<Denied?> DeniedAsync(Permission permission) =>
        await IsInAnyRoleAsync(permission.Roles) ? null : new Denied(permission.Denied);

    /// <summary>Whether the actor has <paramref name="permission"/> now (pages: show or hide what it allows).</summary>
    public Task<bool> HasAsync(Permission permission) => IsInAnyRoleAsync(permission.Roles);

    /// <summary>
    /// True when the actor has one of <paramref name="roles"/>. For a signed-in person the roles and the
    /// enabled state are read from the database on every check: a cookie or circuit keeps the roles it
    /// was issued with for a while, and a demoted or disabled user must lose the right at once.
    /// API tokens (their role is checked live on every request) and system principals keep their claims.
    /// </summary>
    public async Task<bool> IsInAnyRoleAsync(params string[] roles)
    {
        var user = await GetAsync();
        if (user.Identity?.IsAuthenticated != true)
        {
            return false;
        }

        if (PersonId(user) is not { } userId)
        {
            return roles.Any(user.IsInRole);
        }

        var current = await CurrentRolesAsync(userId);
        return roles.Any(current.Contains);
    }

    /// <summary>The acting person's user id; null for API tokens, the system and nobody.</summary>
    public async Task<string?> UserIdAsync() => PersonId(await GetAsync());

    /// <summary>How the acting person (or token) is named in audit trails.</summary>
    public async Task<string> NameAsync() => (await GetAsync()).Identity?.Name ?? "system";

    /// <summary>
    /// Who is acting, as the audit trail records it: a person (user id, email), an API token (its id and name), the
    /// system (the worker or command named by <see cref="System"/>), or an anonymous caller of a public endpoint.
    /// </summary>
    public async Task<AuditActor> ActorAsync()
    {
        var user = await GetAsync();
        if (user.Identity?.IsAuthenticated != true)
        {
            return AuditActor.Anonymous;
        }

        var name = user.Identity.Name ?? "";
        if (await TokenIdAsync() is { } tokenId)
        {
            return new AuditActor(AuditActorKind.Token, tokenId.ToString(global::System.Globalization.CultureInfo.InvariantCulture), name);
        }

        return PersonId(user) is { } userId
            ? new AuditActor(AuditActorKind.User, userId, name)
            : new AuditActor(AuditActorKind.System, null, name.StartsWith("system", StringComparison.Ordinal) ? name : $"system: {name}");
    }

    /// <summary>The API token acting, when it is one: idempotency keys are scoped to it.</summary>
    public async Task<int?> TokenIdAsync() =>
        int.TryParse((await GetAsync()).FindFirst(Features.ApiTokens.ApiTokenAuthenticationHandler.TokenIdClaim)?.Value, global::System.Globalization.NumberStyles.None, global::System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id
            : null;

    /// <summary>
    /// A principal for work the system does on its own behalf; <paramref name="worker"/> names it in the audit trail
    /// ("system: command line seed").
    /// </summary>
    public static ClaimsPrincipal System(string role = Roles.Admin, string worker = "") =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, worker.Length == 0 ? "system" : $"system: {worker}"), new Claim(ClaimTypes.Role, role)], "System"));

    private static string? PersonId(ClaimsPrincipal user)
    {
        var id = user.Identity?.IsAuthenticated == true ? user.FindFirstValue(ClaimTypes.NameIdentifier) : null;
        return string.IsNullOrEmpty(id) || id.StartsWith(TokenIdPrefix, StringComparison.Ordinal) ? null : id;
    }

    /// <summary>The user's roles now, or none when the account is disabled or gone: one small query.</summary>
    private async Task<List<string>> CurrentRolesAsync(string userId)
    {
        var factory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        return await (from ur in db.UserRoles
                      join r in db.Roles on ur.RoleId equals r.Id
                      join u in db.Users on ur.UserId equals u.Id
                      where ur.UserId == userId && !u.IsDisabled
                      select r.Name!).ToListAsync();
    }
}
