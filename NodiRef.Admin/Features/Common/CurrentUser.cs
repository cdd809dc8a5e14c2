using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Features.Common;

/// <summary>
/// Who is acting, for the services' permission checks. Interactive components resolve it from the
/// circuit's authentication state; API requests, the command line and tests set it explicitly.
/// </summary>
public sealed class CurrentUser(IServiceProvider services)
{
    private ClaimsPrincipal? _principal;

    public void Set(ClaimsPrincipal principal) => _principal = principal;

    public async Task<ClaimsPrincipal> GetAsync()
    {
        if (_principal is not null)
        {
            return _principal;
        }

        var provider = services.GetService<AuthenticationStateProvider>();
        if (provider is not null)
        {
            try
            {
                return (await provider.GetAuthenticationStateAsync()).User;
            }
            catch (InvalidOperationException)
            {
                // Outside an interactive circuit no authentication state was ever set.
            }
        }

        return services.GetService<IHttpContextAccessor>()?.HttpContext?.User ?? new ClaimsPrincipal(new ClaimsIdentity());
    }

    public async Task<bool> IsInAnyRoleAsync(params string[] roles)
    {
        var user = await GetAsync();
        return user.Identity?.IsAuthenticated == true && roles.Any(user.IsInRole);
    }

    /// <summary>How the acting person (or token) is named in audit trails.</summary>
    public async Task<string> NameAsync() => (await GetAsync()).Identity?.Name ?? "system";

    public Task<bool> CanReadAsync() => IsInAnyRoleAsync(Roles.Admin, Roles.Operator, Roles.Viewer);
    public Task<bool> CanEditAsync() => IsInAnyRoleAsync(Roles.Admin, Roles.Operator);
    public Task<bool> IsAdminAsync() => IsInAnyRoleAsync(Roles.Admin);

    /// <summary>
    /// May send conversions, refunds and identifies to the tracking API: a token of the tracking role, or
    /// of a role that may edit (an Admin or Operator token, or such a person in the dashboard).
    /// </summary>
    public Task<bool> CanSendTrackingAsync() => IsInAnyRoleAsync([.. Roles.TrackingSenders]);

    /// <summary>The API token acting, when it is one: idempotency keys are scoped to it.</summary>
    public async Task<int?> TokenIdAsync() =>
        int.TryParse((await GetAsync()).FindFirst(Features.ApiTokens.ApiTokenAuthenticationHandler.TokenIdClaim)?.Value, global::System.Globalization.NumberStyles.None, global::System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id
            : null;

    /// <summary>A principal for work the system does on its own behalf (seeding, start-up).</summary>
    public static ClaimsPrincipal System(string role = Roles.Admin) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "system"), new Claim(ClaimTypes.Role, role)], "System"));
}
