using NodiRef.Admin.Features.Tracking;

namespace NodiRef.Admin.Features.Overview;

/// <summary>
/// The program's totals and trends for a range of days, for the home page, a partner's page and the analytics API.
/// Everything is read from the daily rollups the writers keep (clicks: <see cref="ClickDailyProject"/> and
/// <see cref="ClickDaily"/> plus the newest clicks not rolled up yet; referrals, conversions and rewards:
/// <see cref="EventRollups"/>), so a range costs a few grouped reads of small tables, whatever the number of events.
/// </summary>
public sealed class OverviewService(IDbContextFactory<AppDbContext> dbFactory, CurrentUser currentUser, IClickCounts clickCounts)
{
    public async Task<Result<Overview>> GetAsync(OverviewQuery query, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadOverview) is { } denied)
        {
            return denied;
        }

        var v = Validate(query);
        if (!v.IsValid)
        {
            return v.ToResult<Overview>();
        }

        var previous = query.Previous;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var snapshot = await clickCounts.ReadSnapshotAsync(db, ct);
        var clicks = await ClicksByDayAsync(db, query, previous.From, ct);
        var referrals = await Filter(db.ReferralDaily.AsNoTracking(), query, previous.From)
            .Where(d => d.Status == EventStatus.Recorded)
            .GroupBy(d => d.Day)
            .Select(g => new { Day = g.Key, Count = g.Sum(d => d.Count) })
            .ToDictionaryAsync(d => d.Day, d => d.Count, ct);
        var conversions = await Filter(db.ConversionDaily.AsNoTracking(), query, previous.From)
            .Where(d => d.Status == ConversionStatus.Accepted || d.Status == ConversionStatus.Suspicious)
            .GroupBy(d => new { d.Day, d.EventType, d.Currency, d.Status })
            .Select(g => new Bucket<ConversionStatus>(g.Key.Day, g.Key.EventType, g.Key.Currency, g.Key.Status, g.Sum(d => d.Count), g.Sum(d => d.AmountWhole), g.Sum(d => d.AmountRest)))
            .ToListAsync(ct);
        var rewards = await Filter(db.RewardDaily.AsNoTracking(), query, previous.From)
            .Where(d => d.Status != RewardStatus.Reversed)
            .GroupBy(d => new { d.Day, d.Currency, d.Status })
            .Select(g => new Bucket<RewardStatus>(g.Key.Day, "", g.Key.Currency, g.Key.Status, g.Sum(d => d.Count), g.Sum(d => d.AmountWhole), g.Sum(d => d.AmountRest)))
            .ToListAsync(ct);

        OverviewTotals Totals(DateOnly from, DateOnly to)
        {
            bool In(DateOnly day) => day >= from && day <= to;
            var sales = conversions.Where(c => In(c.Day) && c.Kind != ConversionTypes.Refund).ToList();
            var earned = rewards.Where(r => In(r.Day)).ToList();
            return new OverviewTotals(
                clicks.Where(c => In(c.Key)).Sum(c => c.Value),
                referrals.Where(r => In(r.Key)).Sum(r => r.Value),
                sales.Where(c => c.Status == ConversionStatus.Accepted).Sum(c => c.Count),
                sales.Where(c => c.Status == ConversionStatus.Suspicious).Sum(c => c.Count),
                PerCurrency(sales.Where(c => c.Status == ConversionStatus.Accepted)),
                PerCurrency(conversions.Where(c => In(c.Day) && c.Kind == ConversionTypes.Refund && c.Status == ConversionStatus.Accepted)),
                PerCurrency(earned),
                PerCurrency(earned.Where(r => r.Status == RewardStatus.Approved)),
                PerCurrency(earned.Where(r => r.Status == RewardStatus.Paid)));
        }

        var days = new List<OverviewDay>(query.Days);
        for (var day = query.From; day <= query.To; day = day.AddDays(1))
        {
            var d = day;
            days.Add(new OverviewDay(
                d,
                clicks.GetValueOrDefault(d),
                referrals.GetValueOrDefault(d),
                conversions.Where(c => c.Day == d && c.Kind != ConversionTypes.Refund && c.Status == ConversionStatus.Accepted).Sum(c => c.Count),
                PerCurrency(conversions.Where(c => c.Day == d && c.Kind != ConversionTypes.Refund && c.Status == ConversionStatus.Accepted)),
                PerCurrency(rewards.Where(r => r.Day == d))));
        }

        return Result<Overview>.Ok(new Overview(query, Totals(query.From, query.To), Totals(previous.From, previous.To), days));
    }

    private static Validation Validate(OverviewQuery query) => new Validation()
        .Check(query.To >= query.From, nameof(OverviewQuery.To), "The range must end on or after its first day.")
        .Check(query.Days <= OverviewQuery.MaxDays, nameof(OverviewQuery.To), $"A range can be at most {OverviewQuery.MaxDays:N0} days.")
        .Check(query.ProjectId is null or > 0, nameof(OverviewQuery.ProjectId), "A project id is a positive number.")
        .Check(query.PartnerId is null or > 0, nameof(OverviewQuery.PartnerId), "A partner id is a positive number.")
        .Check(query.LinkId is null or > 0, nameof(OverviewQuery.LinkId), "A link id is a positive number.");

    /// <summary>Rows of the days from <paramref name="from"/> to the range's end, of its project, partner or link.</summary>
    private static IQueryable<T> Filter<T>(IQueryable<T> rollups, OverviewQuery query, DateOnly from)
        where T : class, IDailyRollup
    {
        rollups = rollups.Where(d => d.Day >= from && d.Day <= query.To);
        if (query.ProjectId is { } project)
        {
            rollups = rollups.Where(d => d.ProjectKey == project);
        }

        if (query.PartnerId is { } partner)
        {
            rollups = rollups.Where(d => d.PartnerId == partner);
        }

        if (query.LinkId is { } link)
        {
            rollups = rollups.Where(d => d.LinkId == link);
        }

        return rollups;
    }

    /// <summary>Recorded clicks per day: the per-project rollups for the program or a project, the per-link ones otherwise, and the newest clicks.</summary>
    private async Task<Dictionary<DateOnly, long>> ClicksByDayAsync(AppDbContext db, OverviewQuery query, DateOnly from, CancellationToken ct)
    {
        Dictionary<DateOnly, long> days;
        if (query.PartnerId is null && query.LinkId is null)
        {
            var rollups = db.ClickDailyProject.AsNoTracking().Where(d => d.Day >= from && d.Day <= query.To && d.Status == EventStatus.Recorded);
            if (query.ProjectId is { } project)
            {
                rollups = rollups.Where(d => d.ProjectKey == project);
            }

            days = await rollups.GroupBy(d => d.Day).Select(g => new { Day = g.Key, Count = g.Sum(d => d.Count) }).ToDictionaryAsync(d => d.Day, d => d.Count, ct);
        }
        else
        {
            days = await Filter(db.ClickDaily.AsNoTracking(), query, from).Where(d => d.Status == EventStatus.Recorded)
                .GroupBy(d => d.Day).Select(g => new { Day = g.Key, Count = g.Sum(d => d.Count) }).ToDictionaryAsync(d => d.Day, d => d.Count, ct);
        }

        if (await clickCounts.NotRolledUpAsync(db, ct) is { } recent)
        {
            recent = ClickService.Filter(recent, new ClickQuery(query.ProjectId, query.PartnerId, EventStatus.Recorded, from, query.To));
            if (query.LinkId is { } link)
            {
                recent = recent.Where(c => c.LinkId == link);
            }

            foreach (var at in await recent.Select(c => c.CreatedAt).ToListAsync(ct))
            {
                var day = DateOnly.FromDateTime(at);
                days[day] = days.GetValueOrDefault(day) + 1;
            }
        }

        return days;
    }

    private static List<Money> PerCurrency<TStatus>(IEnumerable<Bucket<TStatus>> buckets) =>
        buckets.GroupBy(b => b.Currency, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new Money(g.Key, MoneyUnits.FromUnits(g.Sum(b => MoneyUnits.Combine(b.Whole, b.Rest)))))
            .ToList();

    private sealed record Bucket<TStatus>(DateOnly Day, string Kind, string Currency, TStatus Status, long Count, long Whole, long Rest);
}
