using Microsoft.AspNetCore.Cors.Infrastructure;

namespace NodiRef.Admin.Features.Tracking;

/// <summary>
/// CORS for the tracking API: open to the origins of the projects' landing pages (and the links'
/// target sites), which call it from the visitor's browser. The list is re-read every 30 seconds.
/// </summary>
public sealed class TrackingCorsPolicyProvider(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock) : ICorsPolicyProvider, IDisposable
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset At, HashSet<string> Origins)? _cache;

    public void Dispose() => _gate.Dispose();

    public async Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
    {
        if (policyName != TrackingEndpoints.CorsPolicy)
        {
            return null;
        }

        var origins = await OriginsAsync(context.RequestAborted);
        return new CorsPolicyBuilder()
            .SetIsOriginAllowed(origins.Contains)
            .WithMethods("GET", "POST")
            .WithHeaders("Content-Type", "Idempotency-Key")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))
            .Build();
    }

    private async Task<HashSet<string>> OriginsAsync(CancellationToken ct)
    {
        if (_cache is { } fresh && clock.GetUtcNow() - fresh.At < Refresh)
        {
            return fresh.Origins;
        }

        await _gate.WaitAsync(ct);
        try
        {
            if (_cache is { } again && clock.GetUtcNow() - again.At < Refresh)
            {
                return again.Origins;
            }

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var urls = await db.Projects.AsNoTracking().Select(p => p.LandingUrl)
                .Concat(db.ReferralLinks.AsNoTracking().Where(l => l.TargetUrl != null).Select(l => l.TargetUrl!).Distinct().Take(10_000))
                .ToListAsync(ct);
            var origins = urls
                .Select(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : null)
                .OfType<string>()
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            _cache = (clock.GetUtcNow(), origins);
            return origins;
        }
        finally
        {
            _gate.Release();
        }
    }
}
