using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace NodiRef.Admin.Data;

/// <summary>
/// Keeps <see cref="ReferralDaily"/>, <see cref="ConversionDaily"/> and <see cref="RewardDaily"/> in step with
/// the rows they count, and their sums over links (<see cref="ReferralDailyProject"/>, <see cref="ConversionDailyProject"/>,
/// <see cref="RewardDailyProject"/>) with them. The one home of that rule: <see cref="AppDbContext"/> calls it on every save, so a
/// service cannot forget it, and the changes land in the save's own transaction (a failed save leaves the
/// rollups as they were). An added row counts in its bucket; a row whose status (or amount) changes moves
/// from its old bucket to its new one; a deleted row leaves its bucket. Rows written around the context
/// (the demo seeder's bulk path) are counted afterwards by <see cref="RebuildAsync"/>.
/// </summary>
public sealed class EventRollups
{
    private readonly Dictionary<ReferralKey, long> _referrals = [];
    private readonly Dictionary<ConversionKey, Sum> _conversions = [];
    private readonly Dictionary<RewardKey, Sum> _rewards = [];

    private EventRollups()
    {
    }

    /// <summary>The rollup changes the tracked entities make when saved; null when they make none.</summary>
    public static EventRollups? Collect(ChangeTracker tracker)
    {
        EventRollups? changes = null;
        foreach (var entry in tracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)
                || entry.Entity is not (Referral or Conversion or Reward))
            {
                continue;
            }

            changes ??= new EventRollups();
            if (entry.State is EntityState.Modified or EntityState.Deleted)
            {
                changes.Count(entry.Entity, entry.OriginalValues, -1);
            }

            if (entry.State is EntityState.Added or EntityState.Modified)
            {
                changes.Count(entry.Entity, entry.CurrentValues, +1);
            }
        }

        return changes is null || changes.IsEmpty ? null : changes;
    }

    private bool IsEmpty
    {
        get
        {
            Prune(_referrals, c => c == 0);
            Prune(_conversions, s => s.IsZero);
            Prune(_rewards, s => s.IsZero);
            return _referrals.Count == 0 && _conversions.Count == 0 && _rewards.Count == 0;
        }
    }

    /// <summary>
    /// Adds the changes to the rollup rows, on the context's connection and transaction, in one fixed order of
    /// keys (two transactions touching the same rows on PostgreSQL then wait for each other instead of deadlocking).
    /// </summary>
    public async Task ApplyAsync(DbContext db, CancellationToken ct)
    {
        foreach (var (k, count) in _referrals.OrderBy(p => p.Key.Day).ThenBy(p => p.Key.LinkId).ThenBy(p => p.Key.ProjectKey).ThenBy(p => p.Key.Status))
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO referral_daily ("Day", "LinkId", "ProjectKey", "Status", "PartnerId", "Count")
                VALUES ({k.Day}, {k.LinkId}, {k.ProjectKey}, {k.Status.ToString()}, {k.PartnerId}, {count})
                ON CONFLICT ("Day", "LinkId", "ProjectKey", "Status") DO UPDATE SET "Count" = referral_daily."Count" + excluded."Count"
                """, ct);
        }

        foreach (var (k, s) in _conversions.OrderBy(p => p.Key.Day).ThenBy(p => p.Key.LinkId).ThenBy(p => p.Key.ProjectKey)
            .ThenBy(p => p.Key.EventType, StringComparer.Ordinal).ThenBy(p => p.Key.Currency, StringComparer.Ordinal).ThenBy(p => p.Key.Status))
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO conversion_daily ("Day", "LinkId", "ProjectKey", "EventType", "Currency", "Status", "PartnerId", "Count", "AmountWhole", "AmountRest")
                VALUES ({k.Day}, {k.LinkId}, {k.ProjectKey}, {k.EventType}, {k.Currency}, {k.Status.ToString()}, {k.PartnerId}, {s.Count}, {s.Whole}, {s.Rest})
                ON CONFLICT ("Day", "LinkId", "ProjectKey", "EventType", "Currency", "Status") DO UPDATE SET
                    "Count" = conversion_daily."Count" + excluded."Count",
                    "AmountWhole" = conversion_daily."AmountWhole" + excluded."AmountWhole",
                    "AmountRest" = conversion_daily."AmountRest" + excluded."AmountRest"
                """, ct);
        }

        foreach (var (k, s) in _rewards.OrderBy(p => p.Key.Day).ThenBy(p => p.Key.LinkId).ThenBy(p => p.Key.ProjectKey)
            .ThenBy(p => p.Key.Currency, StringComparer.Ordinal).ThenBy(p => p.Key.Status))
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO reward_daily ("Day", "LinkId", "ProjectKey", "Currency", "Status", "PartnerId", "Count", "AmountWhole", "AmountRest")
                VALUES ({k.Day}, {k.LinkId}, {k.ProjectKey}, {k.Currency}, {k.Status.ToString()}, {k.PartnerId}, {s.Count}, {s.Whole}, {s.Rest})
                ON CONFLICT ("Day", "LinkId", "ProjectKey", "Currency", "Status") DO UPDATE SET
                    "Count" = reward_daily."Count" + excluded."Count",
                    "AmountWhole" = reward_daily."AmountWhole" + excluded."AmountWhole",
                    "AmountRest" = reward_daily."AmountRest" + excluded."AmountRest"
                """, ct);
        }

        // The same changes summed over links, for the program's and a project's totals.
        foreach (var (k, count) in _referrals.GroupBy(p => (p.Key.Day, p.Key.ProjectKey, p.Key.Status), p => p.Value)
            .Select(g => (g.Key, Count: g.Sum())).Where(g => g.Count != 0).OrderBy(g => g.Key.Day).ThenBy(g => g.Key.ProjectKey).ThenBy(g => g.Key.Status))
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO referral_daily_project ("Day", "ProjectKey", "Status", "Count")
                VALUES ({k.Day}, {k.ProjectKey}, {k.Status.ToString()}, {count})
                ON CONFLICT ("Day", "ProjectKey", "Status") DO UPDATE SET "Count" = referral_daily_project."Count" + excluded."Count"
                """, ct);
        }

        foreach (var (k, s) in _conversions.GroupBy(p => (p.Key.Day, p.Key.ProjectKey, p.Key.EventType, p.Key.Currency, p.Key.Status), p => p.Value)
            .Select(g => (g.Key, Sum: Sum.Of(g))).Where(g => !g.Sum.IsZero).OrderBy(g => g.Key.Day).ThenBy(g => g.Key.ProjectKey)
            .ThenBy(g => g.Key.EventType, StringComparer.Ordinal).ThenBy(g => g.Key.Currency, StringComparer.Ordinal).ThenBy(g => g.Key.Status))
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO conversion_daily_project ("Day", "ProjectKey", "EventType", "Currency", "Status", "Count", "AmountWhole", "AmountRest")
                VALUES ({k.Day}, {k.ProjectKey}, {k.EventType}, {k.Currency}, {k.Status.ToString()}, {s.Count}, {s.Whole}, {s.Rest})
                ON CONFLICT ("Day", "ProjectKey", "EventType", "Currency", "Status") DO UPDATE SET
                    "Count" = conversion_daily_project."Count" + excluded."Count",
                    "AmountWhole" = conversion_daily_project."AmountWhole" + excluded."AmountWhole",
                    "AmountRest" = conversion_daily_project."AmountRest" + excluded."AmountRest"
                """, ct);
        }

        foreach (var (k, s) in _rewards.GroupBy(p => (p.Key.Day, p.Key.ProjectKey, p.Key.Currency, p.Key.Status), p => p.Value)
            .Select(g => (g.Key, Sum: Sum.Of(g))).Where(g => !g.Sum.IsZero).OrderBy(g => g.Key.Day).ThenBy(g => g.Key.ProjectKey)
            .ThenBy(g => g.Key.Currency, StringComparer.Ordinal).ThenBy(g => g.Key.Status))
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO reward_daily_project ("Day", "ProjectKey", "Currency", "Status", "Count", "AmountWhole", "AmountRest")
                VALUES ({k.Day}, {k.ProjectKey}, {k.Currency}, {k.Status.ToString()}, {s.Count}, {s.Whole}, {s.Rest})
                ON CONFLICT ("Day", "ProjectKey", "Currency", "Status") DO UPDATE SET
                    "Count" = reward_daily_project."Count" + excluded."Count",
                    "AmountWhole" = reward_daily_project."AmountWhole" + excluded."AmountWhole",
                    "AmountRest" = reward_daily_project."AmountRest" + excluded."AmountRest"
                """, ct);
        }
    }

    /// <summary>
    /// Counts every referral, conversion and reward again from scratch, replacing the rollups: for rows written
    /// around the context (bulk loads) and as a repair. Runs in one transaction.
    /// </summary>
    public static async Task RebuildAsync(AppDbContext db, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.ReferralDaily.ExecuteDeleteAsync(ct);
        await db.ConversionDaily.ExecuteDeleteAsync(ct);
        await db.RewardDaily.ExecuteDeleteAsync(ct);
        await db.ReferralDailyProject.ExecuteDeleteAsync(ct);
        await db.ConversionDailyProject.ExecuteDeleteAsync(ct);
        await db.RewardDailyProject.ExecuteDeleteAsync(ct);

        var referrals = await db.Referrals.AsNoTracking()
            .GroupBy(r => new { r.CreatedAt.Date, r.LinkId, r.ProjectKey, r.Status, r.PartnerId })
            .Select(g => new { g.Key, Count = g.LongCount() })
            .ToListAsync(ct);
        db.ReferralDaily.AddRange(referrals.Select(g => new ReferralDaily
        {
            Day = DateOnly.FromDateTime(g.Key.Date), LinkId = g.Key.LinkId, ProjectKey = g.Key.ProjectKey, Status = g.Key.Status, PartnerId = g.Key.PartnerId, Count = g.Count,
        }));

        var conversions = await db.Conversions.AsNoTracking()
            .GroupBy(c => new { c.CreatedAt.Date, c.LinkId, ProjectKey = c.ProjectId ?? 0, c.EventType, c.Currency, c.Status, c.PartnerId })
            .Select(g => new { g.Key, Count = g.LongCount(), Whole = g.Sum(c => c.AmountUnits / MoneyUnits.SumSplit), Rest = g.Sum(c => c.AmountUnits % MoneyUnits.SumSplit) })
            .ToListAsync(ct);
        db.ConversionDaily.AddRange(conversions.Select(g => new ConversionDaily
        {
            Day = DateOnly.FromDateTime(g.Key.Date), LinkId = g.Key.LinkId, ProjectKey = g.Key.ProjectKey, EventType = g.Key.EventType, Currency = g.Key.Currency,
            Status = g.Key.Status, PartnerId = g.Key.PartnerId, Count = g.Count, AmountWhole = g.Whole, AmountRest = g.Rest,
        }));

        var rewards = await db.Rewards.AsNoTracking()
            .GroupBy(r => new { r.CreatedAt.Date, r.LinkId, ProjectKey = r.ProjectId ?? 0, r.Currency, r.Status, r.PartnerId })
            .Select(g => new { g.Key, Count = g.LongCount(), Whole = g.Sum(r => r.AmountUnits / MoneyUnits.SumSplit), Rest = g.Sum(r => r.AmountUnits % MoneyUnits.SumSplit) })
            .ToListAsync(ct);
        db.RewardDaily.AddRange(rewards.Select(g => new RewardDaily
        {
            Day = DateOnly.FromDateTime(g.Key.Date), LinkId = g.Key.LinkId, ProjectKey = g.Key.ProjectKey, Currency = g.Key.Currency,
            Status = g.Key.Status, PartnerId = g.Key.PartnerId, Count = g.Count, AmountWhole = g.Whole, AmountRest = g.Rest,
        }));

        db.ReferralDailyProject.AddRange(referrals.GroupBy(g => new { g.Key.Date, g.Key.ProjectKey, g.Key.Status }).Select(p => new ReferralDailyProject
        {
            Day = DateOnly.FromDateTime(p.Key.Date), ProjectKey = p.Key.ProjectKey, Status = p.Key.Status, Count = p.Sum(g => g.Count),
        }));
        db.ConversionDailyProject.AddRange(conversions.GroupBy(g => new { g.Key.Date, g.Key.ProjectKey, g.Key.EventType, g.Key.Currency, g.Key.Status }).Select(p => new ConversionDailyProject
        {
            Day = DateOnly.FromDateTime(p.Key.Date), ProjectKey = p.Key.ProjectKey, EventType = p.Key.EventType, Currency = p.Key.Currency, Status = p.Key.Status,
            Count = p.Sum(g => g.Count), AmountWhole = p.Sum(g => g.Whole), AmountRest = p.Sum(g => g.Rest),
        }));
        db.RewardDailyProject.AddRange(rewards.GroupBy(g => new { g.Key.Date, g.Key.ProjectKey, g.Key.Currency, g.Key.Status }).Select(p => new RewardDailyProject
        {
            Day = DateOnly.FromDateTime(p.Key.Date), ProjectKey = p.Key.ProjectKey, Currency = p.Key.Currency, Status = p.Key.Status,
            Count = p.Sum(g => g.Count), AmountWhole = p.Sum(g => g.Whole), AmountRest = p.Sum(g => g.Rest),
        }));

        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        await tx.CommitAsync(ct);
    }

    private void Count(object entity, PropertyValues v, int sign)
    {
        switch (entity)
        {
            case Referral:
                var r = new ReferralKey(Day(v.GetValue<DateTime>(nameof(Referral.CreatedAt))), v.GetValue<int>(nameof(Referral.LinkId)),
                    v.GetValue<int>(nameof(Referral.ProjectKey)), v.GetValue<EventStatus>(nameof(Referral.Status)), v.GetValue<int>(nameof(Referral.PartnerId)));
                _referrals[r] = _referrals.GetValueOrDefault(r) + sign;
                break;
            case Conversion:
                var c = new ConversionKey(Day(v.GetValue<DateTime>(nameof(Conversion.CreatedAt))), v.GetValue<int>(nameof(Conversion.LinkId)),
                    v.GetValue<int?>(nameof(Conversion.ProjectId)) ?? 0, v.GetValue<string>(nameof(Conversion.EventType)), v.GetValue<string>(nameof(Conversion.Currency)),
                    v.GetValue<ConversionStatus>(nameof(Conversion.Status)), v.GetValue<int>(nameof(Conversion.PartnerId)));
                _conversions[c] = _conversions.GetValueOrDefault(c).Add(sign, v.GetValue<long>(nameof(Conversion.AmountUnits)));
                break;
            case Reward:
                var w = new RewardKey(Day(v.GetValue<DateTime>(nameof(Reward.CreatedAt))), v.GetValue<int>(nameof(Reward.LinkId)),
                    v.GetValue<int?>(nameof(Reward.ProjectId)) ?? 0, v.GetValue<string>(nameof(Reward.Currency)),
                    v.GetValue<RewardStatus>(nameof(Reward.Status)), v.GetValue<int>(nameof(Reward.PartnerId)));
                _rewards[w] = _rewards.GetValueOrDefault(w).Add(sign, v.GetValue<long>(nameof(Reward.AmountUnits)));
                break;
        }
    }

    private static DateOnly Day(DateTime at) => DateOnly.FromDateTime(at);

    private static void Prune<TKey, TValue>(Dictionary<TKey, TValue> d, Func<TValue, bool> zero)
        where TKey : notnull
    {
        foreach (var key in d.Where(p => zero(p.Value)).Select(p => p.Key).ToList())
        {
            d.Remove(key);
        }
    }

    private readonly record struct ReferralKey(DateOnly Day, int LinkId, int ProjectKey, EventStatus Status, int PartnerId);

    private readonly record struct ConversionKey(DateOnly Day, int LinkId, int ProjectKey, string EventType, string Currency, ConversionStatus Status, int PartnerId);

    private readonly record struct RewardKey(DateOnly Day, int LinkId, int ProjectKey, string Currency, RewardStatus Status, int PartnerId);

    private readonly record struct Sum(long Count, long Whole, long Rest)
    {
        public bool IsZero => Count == 0 && Whole == 0 && Rest == 0;

        public static Sum Of(IEnumerable<Sum> sums) => sums.Aggregate(default(Sum), (a, b) => new Sum(a.Count + b.Count, a.Whole + b.Whole, a.Rest + b.Rest));

        public Sum Add(int sign, long units) => new(Count + sign, Whole + (sign * (units / MoneyUnits.SumSplit)), Rest + (sign * (units % MoneyUnits.SumSplit)));
    }
}
