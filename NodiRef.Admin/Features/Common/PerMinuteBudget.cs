using System.Threading.RateLimiting;

namespace NodiRef.Admin.Features.Common;

/// <summary>
/// A budget of requests per minute for each key (one fixed window per key, nothing queued): the sign-in
/// throttle per address and the tracking routes' per-address limit. 0 per minute means no limit.
/// </summary>
public sealed class PerMinuteBudget : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext>? _limiter;

    public PerMinuteBudget(int perMinute, Func<HttpContext, string> key)
    {
        if (perMinute > 0)
        {
            _limiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                RateLimitPartition.GetFixedWindowLimiter(key(http), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
        }
    }

    /// <summary>Takes one from the caller's budget: null when granted, else the whole seconds to wait (at least 1).</summary>
    public int? TryTake(HttpContext http)
    {
        if (_limiter is null)
        {
            return null;
        }

        using var lease = _limiter.AttemptAcquire(http);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 60;
    }

    public void Dispose() => _limiter?.Dispose();
}
