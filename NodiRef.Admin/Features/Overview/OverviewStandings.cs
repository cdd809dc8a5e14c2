using Microsoft.Extensions.Options;
using ZiggyCreatures.Caching.Fusion;

namespace NodiRef.Admin.Features.Overview;

public sealed class OverviewOptions
{
    public const string Section = "Overview";

    /// <summary>
    /// How long a ranking of the leaderboards and of the partners with clicks but no conversion is kept before it
    /// is worked out again (behind the readers, who keep getting the one they had meanwhile). Zero works each one
    /// out for every reader.
    /// </summary>
    public TimeSpan StandingsFor { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Who is in the running on the overview's leaderboards and in its idle-partners list. Ranking them takes a
/// pass over every link's rollup rows of the range (seconds at a million partners over a year), so the ranking,
/// a list of ids, is kept for <see cref="OverviewOptions.StandingsFor"/> and refreshed in the background by the
/// first reader after half of it (FusionCache's eager refresh), or past it, while that reader keeps the last one
/// (fail-safe with a soft timeout). The figures on every row are counted live for the ids it names, so they are
/// exact; only who is listed may trail by that long. One per process; the caches of several instances are apart.
/// </summary>
public sealed class OverviewStandings : IDisposable
{
    private readonly FusionCache? _cache;

    public OverviewStandings(IOptions<OverviewOptions> options)
    {
        var keep = options.Value.StandingsFor;
        if (keep <= TimeSpan.Zero)
        {
            return;
        }

        _cache = new FusionCache(new FusionCacheOptions
        {
            CacheName = "overview-standings",
            DefaultEntryOptions = new FusionCacheEntryOptions
            {
                Duration = keep,
                EagerRefreshThreshold = 0.5f,
                IsFailSafeEnabled = true,
                FailSafeMaxDuration = TimeSpan.FromHours(1),
                FactorySoftTimeout = TimeSpan.FromMilliseconds(100),
                AllowTimedOutFactoryBackgroundCompletion = true,
            },
        });
    }

    /// <summary>The ranking kept under <paramref name="key"/>, worked out by <paramref name="rank"/> when there is none yet.</summary>
    public async Task<IReadOnlyList<int>> RankAsync(string key, Func<CancellationToken, Task<IReadOnlyList<int>>> rank, CancellationToken ct)
    {
        if (_cache is null)
        {
            return await rank(ct);
        }

        return await _cache.GetOrSetAsync<IReadOnlyList<int>>(key, (_, token) => rank(token), token: ct);
    }

    /// <summary>Forgets every ranking: the next reader of each works it out again.</summary>
    public async Task ForgetAsync()
    {
        if (_cache is not null)
        {
            await _cache.ClearAsync(allowFailSafe: false);
        }
    }

    public void Dispose() => _cache?.Dispose();
}
