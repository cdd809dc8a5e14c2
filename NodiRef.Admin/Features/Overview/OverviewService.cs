using System.Globalization;
using System.Linq.Expressions;
using NodiRef.Admin.Features.Tracking;

namespace NodiRef.Admin.Features.Overview;

/// <summary>
/// The program's totals and trends for a range of days, for the home page, a partner's page and the analytics API.
/// Everything is read from the daily rollups the writers keep (clicks: <see cref="ClickDailyProject"/> and
/// <see cref="ClickDaily"/> plus the newest clicks not rolled up yet; referrals, conversions and rewards:
/// <see cref="EventRollups"/>), so a range costs a few grouped reads of small tables, whatever the number of events.
/// </summary>
public sealed class OverviewService(AppDbFactory dbFactory, CurrentUser currentUser, IClickCounts clickCounts, OverviewStandings standings)
{
    public async Task<Result<Overview>> GetAsync(OverviewQuery query, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadOverview) is { } denied)
        {
            return denied;
        }

        return await GetAsync(query, query.Days <= OverviewQuery.HourlyUpToDays, ct);
    }

    private async Task<Result<Overview>> GetAsync(OverviewQuery query, bool withHours, CancellationToken ct)
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
        // The program or a project: the sums over links, a few rows a day; a partner or link: the per-link rows.
        var programWide = query.PartnerId is null && query.LinkId is null;
        var referralRows = programWide
            ? ForProject(db.ReferralDailyProject.AsNoTracking(), query, previous.From).Select(d => new Row<EventStatus> { Day = d.Day, Status = d.Status, Count = d.Count })
            : Filter(db.ReferralDaily.AsNoTracking(), query, previous.From).Select(d => new Row<EventStatus> { Day = d.Day, Status = d.Status, Count = d.Count });
        var conversionRows = programWide
            ? ForProject(db.ConversionDailyProject.AsNoTracking(), query, previous.From).Select(d => new Row<ConversionStatus>
                { Day = d.Day, Kind = d.EventType, Currency = d.Currency, Status = d.Status, Count = d.Count, Whole = d.AmountWhole, Rest = d.AmountRest })
            : Filter(db.ConversionDaily.AsNoTracking(), query, previous.From).Select(d => new Row<ConversionStatus>
                { Day = d.Day, Kind = d.EventType, Currency = d.Currency, Status = d.Status, Count = d.Count, Whole = d.AmountWhole, Rest = d.AmountRest });
        var rewardRows = programWide
            ? ForProject(db.RewardDailyProject.AsNoTracking(), query, previous.From).Select(d => new Row<RewardStatus>
                { Day = d.Day, Currency = d.Currency, Status = d.Status, Count = d.Count, Whole = d.AmountWhole, Rest = d.AmountRest })
            : Filter(db.RewardDaily.AsNoTracking(), query, previous.From).Select(d => new Row<RewardStatus>
                { Day = d.Day, Currency = d.Currency, Status = d.Status, Count = d.Count, Whole = d.AmountWhole, Rest = d.AmountRest });

        var referrals = await referralRows
            .Where(d => d.Status == EventStatus.Recorded)
            .GroupBy(d => d.Day)
            .Select(g => new { Day = g.Key, Count = g.Sum(d => d.Count) })
            .ToDictionaryAsync(d => d.Day, d => d.Count, ct);
        var conversions = await conversionRows
            .Where(d => d.Status == ConversionStatus.Accepted || d.Status == ConversionStatus.Suspicious)
            .GroupBy(d => new { d.Day, d.Kind, d.Currency, d.Status })
            .Select(g => new Bucket<ConversionStatus>(g.Key.Day, g.Key.Kind, g.Key.Currency, g.Key.Status, g.Sum(d => d.Count), g.Sum(d => d.Whole), g.Sum(d => d.Rest)))
            .ToListAsync(ct);
        var rewards = await rewardRows
            .Where(d => d.Status != RewardStatus.Reversed)
            .GroupBy(d => new { d.Day, d.Currency, d.Status })
            .Select(g => new Bucket<RewardStatus>(g.Key.Day, "", g.Key.Currency, g.Key.Status, g.Sum(d => d.Count), g.Sum(d => d.Whole), g.Sum(d => d.Rest)))
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

        var salesByDay = conversions.Where(c => c.Kind != ConversionTypes.Refund && c.Status == ConversionStatus.Accepted).ToLookup(c => c.Day);
        var rewardsByDay = rewards.ToLookup(r => r.Day);
        var days = new List<OverviewDay>(query.Days);
        for (var day = query.From; day <= query.To; day = day.AddDays(1))
        {
            var sold = salesByDay[day];
            days.Add(new OverviewDay(day, clicks.GetValueOrDefault(day), referrals.GetValueOrDefault(day), sold.Sum(c => c.Count), PerCurrency(sold), PerCurrency(rewardsByDay[day])));
        }

        var hours = withHours ? await HoursAsync(db, query, ct) : null;
        return Result<Overview>.Ok(new Overview(query, Totals(query.From, query.To), Totals(previous.From, previous.To), days, hours));
    }

    /// <summary>
    /// The top partners, links or projects of the range by revenue (in one currency), accepted conversions or clicks,
    /// each with all three figures. Ranked from the rollups: clicks of the last second (not rolled up yet) are left out.
    /// </summary>
    public async Task<Result<Leaderboard>> LeaderboardAsync(LeaderboardQuery query, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadOverview) is { } denied)
        {
            return denied;
        }

        var currency = Currency.Normalize(query.Currency);
        var v = Validate(query.Range)
            .Check(query.Take is >= 1 and <= LeaderboardQuery.MaxTake, nameof(LeaderboardQuery.Take), $"A leaderboard has 1 to {LeaderboardQuery.MaxTake} rows.")
            .Check(query.Currency is null || currency is not null, nameof(LeaderboardQuery.Currency), $"Unknown currency \"{query.Currency}\": use an ISO 4217 code such as USD or EUR.")
            .Check(Enum.IsDefined(query.Kind), nameof(LeaderboardQuery.Kind), "Rank partners, links or projects.")
            .Check(Enum.IsDefined(query.Metric), nameof(LeaderboardQuery.Metric), "Rank by revenue, conversions or clicks.");
        if (!v.IsValid)
        {
            return v.ToResult<Leaderboard>();
        }

        var range = query.Range;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sales = Sales(db, range);
        if (query.Metric == LeaderboardMetric.Revenue && currency is null)
        {
            // The currency most sold in: by the per-project sums unless a partner or link narrows the range.
            currency = range.PartnerId is null && range.LinkId is null
                ? await ForProject(db.ConversionDailyProject.AsNoTracking(), range, range.From).Where(d => d.Status == ConversionStatus.Accepted && d.EventType != ConversionTypes.Refund)
                    .GroupBy(d => d.Currency).OrderByDescending(g => g.Sum(d => d.Count)).ThenBy(g => g.Key).Select(g => g.Key).FirstOrDefaultAsync(ct)
                : await sales.GroupBy(d => d.Currency).OrderByDescending(g => g.Sum(d => d.Count)).ThenBy(g => g.Key).Select(g => g.Key).FirstOrDefaultAsync(ct);
        }

        if (query.Kind == LeaderboardKind.Projects && range.PartnerId is null && range.LinkId is null)
        {
            return Result<Leaderboard>.Ok(new Leaderboard(query.Kind, query.Metric, query.Metric == LeaderboardMetric.Revenue ? currency : null,
                await ProjectRowsAsync(db, range, query.Metric, currency, query.Take, ct)));
        }

        var clicks = Filter(db.ClickDaily.AsNoTracking(), range, range.From).Where(d => d.Status == EventStatus.Recorded);

        // Who is in the running: the first rows by the rollups, kept a while (a scan of every link's rows of the range).
        var standing = await standings.RankAsync(
            $"board:{query.Kind}:{query.Metric}:{currency}:{Key(range)}",
            t => RankAsync(query.Kind, query.Metric, currency, range, t),
            ct);

        // Their figures, counted now, with the clicks not rolled up yet: a row they lift may join the running.
        await using var snapshot = await clickCounts.ReadSnapshotAsync(db, ct);
        var recent = (await NotRolledUpAsync(db, range, range.From, ct))
            .Select(c => query.Kind switch { LeaderboardKind.Partners => c.PartnerId, LeaderboardKind.Links => c.LinkId, _ => c.ProjectId ?? 0 })
            .Where(k => k != 0).GroupBy(k => k).ToDictionary(g => g.Key, g => g.LongCount());
        var ids = query.Metric == LeaderboardMetric.Clicks ? standing.Union(recent.Keys).ToList() : standing.ToList();
        var rows = new List<LeaderboardRow>(ids.Count);
        if (ids.Count == 0)
        {
            return Result<Leaderboard>.Ok(new Leaderboard(query.Kind, query.Metric, query.Metric == LeaderboardMetric.Revenue ? currency : null, rows));
        }

        // A link's rows are found by its partner's index (the per-link rollups are keyed by day first).
        var names = await NamesAsync(db, query.Kind, ids, ct);
        var partners = query.Kind == LeaderboardKind.Links ? names.Values.Select(n => n.PartnerId ?? 0).Distinct().ToList() : null;
        var clickTotals = await Of(clicks, query.Kind, ids, partners).GroupBy(KeyOf<ClickDaily>(query.Kind)).Select(g => new { g.Key, Count = g.Sum(d => d.Count) }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        foreach (var (id, count) in recent)
        {
            clickTotals[id] = clickTotals.GetValueOrDefault(id) + count;
        }

        var referralCounts = await Of(Filter(db.ReferralDaily.AsNoTracking(), range, range.From).Where(d => d.Status == EventStatus.Recorded), query.Kind, ids, partners)
            .GroupBy(KeyOf<ReferralDaily>(query.Kind)).Select(g => new { g.Key, Count = g.Sum(d => d.Count) }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var earned = await Of(Filter(db.RewardDaily.AsNoTracking(), range, range.From).Where(d => d.Status != RewardStatus.Reversed), query.Kind, ids, partners)
            .GroupBy(d => new { d.PartnerId, d.LinkId, d.ProjectKey, d.Currency })
            .Select(g => new { g.Key.PartnerId, g.Key.LinkId, g.Key.ProjectKey, g.Key.Currency, Whole = g.Sum(d => d.AmountWhole), Rest = g.Sum(d => d.AmountRest) })
            .ToListAsync(ct);
        var money = await Of(sales, query.Kind, ids, partners).GroupBy(d => new { Key = d.PartnerId, d.LinkId, d.ProjectKey, d.Currency })
            .Select(g => new { g.Key.Key, g.Key.LinkId, g.Key.ProjectKey, g.Key.Currency, Count = g.Sum(d => d.Count), Whole = g.Sum(d => d.AmountWhole), Rest = g.Sum(d => d.AmountRest) })
            .ToListAsync(ct);
        foreach (var id in ids)
        {
            var mine = money.Where(m => query.Kind switch { LeaderboardKind.Partners => m.Key, LeaderboardKind.Links => m.LinkId, _ => m.ProjectKey } == id).ToList();
            var (name, detail, partnerId) = names.GetValueOrDefault(id, ($"#{id}", null, null));
            var rewarded = earned.Where(e => query.Kind switch { LeaderboardKind.Partners => e.PartnerId, LeaderboardKind.Links => e.LinkId, _ => e.ProjectKey } == id);
            rows.Add(new LeaderboardRow(id, name, detail, partnerId, clickTotals.GetValueOrDefault(id), referralCounts.GetValueOrDefault(id), mine.Sum(m => m.Count),
                Amounts(mine.Select(m => (m.Currency, m.Whole, m.Rest))), Amounts(rewarded.Select(e => (e.Currency, e.Whole, e.Rest)))));
        }

        // Ranked again by the figures of now; rows with nothing to rank by are left out, as the rollups' ranking does.
        rows = query.Metric switch
        {
            LeaderboardMetric.Revenue => rows.Select(r => (Row: r, Units: r.Revenue.Where(m => m.Currency == currency).Sum(m => m.Amount)))
                .Where(r => r.Row.Revenue.Any(m => m.Currency == currency)).OrderByDescending(r => r.Units).ThenBy(r => r.Row.Id).Select(r => r.Row).ToList(),
            LeaderboardMetric.Conversions => rows.Where(r => r.Conversions > 0).OrderByDescending(r => r.Conversions).ThenBy(r => r.Id).ToList(),
            _ => rows.Where(r => r.Clicks > 0).OrderByDescending(r => r.Clicks).ThenBy(r => r.Id).ToList(),
        };
        rows = rows.Take(query.Take).ToList();
        return Result<Leaderboard>.Ok(new Leaderboard(query.Kind, query.Metric, query.Metric == LeaderboardMetric.Revenue ? currency : null, rows));
    }

    /// <summary>
    /// The recorded clicks from <paramref name="from"/> to the range's end, of its project, partner and link, that the
    /// rollups do not count yet (none on PostgreSQL): what every click figure of the overview adds to the rollups'.
    /// </summary>
    private async Task<List<Click>> NotRolledUpAsync(AppDbContext db, OverviewQuery range, DateOnly from, CancellationToken ct) =>
        ClickService.Filter((await clickCounts.NotRolledUpAsync(db, ct)).AsQueryable(), new ClickQuery(range.ProjectId, range.PartnerId, EventStatus.Recorded, from, range.To))
            .Where(c => range.LinkId == null || c.LinkId == range.LinkId).ToList();

    /// <summary>The first <see cref="LeaderboardQuery.MaxTake"/> rows of a leaderboard by the rollups of the range.</summary>
    private async Task<IReadOnlyList<int>> RankAsync(LeaderboardKind kind, LeaderboardMetric metric, string? currency, OverviewQuery range, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sales = Sales(db, range);
        var clicks = Filter(db.ClickDaily.AsNoTracking(), range, range.From).Where(d => d.Status == EventStatus.Recorded);
        if (kind == LeaderboardKind.Projects)
        {
            sales = sales.Where(d => d.ProjectKey != 0);
            clicks = clicks.Where(d => d.ProjectKey != 0);
        }

        var key = KeyOf<ConversionDaily>(kind);
        return metric switch
        {
            LeaderboardMetric.Revenue when currency is null => [],
            LeaderboardMetric.Revenue => await sales.Where(d => d.Currency == currency).GroupBy(key)
                .Select(g => new { g.Key, Units = (double)g.Sum(d => d.AmountWhole) * MoneyUnits.SumSplit + g.Sum(d => d.AmountRest) })
                .OrderByDescending(g => g.Units).ThenBy(g => g.Key).Take(LeaderboardQuery.MaxTake).Select(g => g.Key).ToListAsync(ct),
            LeaderboardMetric.Conversions => await sales.GroupBy(key).Select(g => new { g.Key, Count = g.Sum(d => d.Count) })
                .OrderByDescending(g => g.Count).ThenBy(g => g.Key).Take(LeaderboardQuery.MaxTake).Select(g => g.Key).ToListAsync(ct),
            _ => await clicks.GroupBy(KeyOf<ClickDaily>(kind)).Select(g => new { g.Key, Count = g.Sum(d => d.Count) })
                .OrderByDescending(g => g.Count).ThenBy(g => g.Key).Take(LeaderboardQuery.MaxTake).Select(g => g.Key).ToListAsync(ct),
        };
    }

    /// <summary>The rollup rows of the given partners, links or projects; a link's by its partner's index too.</summary>
    private static IQueryable<T> Of<T>(IQueryable<T> rollups, LeaderboardKind kind, List<int> ids, List<int>? partnersOfLinks)
        where T : class, IDailyRollup
    {
        rollups = rollups.Where(In<T>(kind, ids));
        return partnersOfLinks is null ? rollups : rollups.Where(d => partnersOfLinks.Contains(d.PartnerId));
    }

    /// <summary>A range's part of a standings key.</summary>
    private static string Key(OverviewQuery range) =>
        string.Create(CultureInfo.InvariantCulture, $"{range.From:yyyy-MM-dd}:{range.To:yyyy-MM-dd}:{range.ProjectId}:{range.PartnerId}:{range.LinkId}");

    /// <summary>
    /// The projects ranked from the per-project rollups (a few rows a day each): every project's figures for the
    /// range in four small sums, ranked here, rather than the per-link rows of every link grouped by project.
    /// </summary>
    private async Task<List<LeaderboardRow>> ProjectRowsAsync(AppDbContext db, OverviewQuery range, LeaderboardMetric metric, string? currency, int take, CancellationToken ct)
    {
        await using var snapshot = await clickCounts.ReadSnapshotAsync(db, ct);
        var clicks = await ForProject(db.ClickDailyProject.AsNoTracking(), range, range.From).Where(d => d.Status == EventStatus.Recorded && d.ProjectKey != 0)
            .GroupBy(d => d.ProjectKey).Select(g => new { g.Key, Count = g.Sum(d => d.Count) }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        foreach (var click in await NotRolledUpAsync(db, range, range.From, ct))
        {
            if (click.ProjectId is { } project)
            {
                clicks[project] = clicks.GetValueOrDefault(project) + 1;
            }
        }

        var referrals = await ForProject(db.ReferralDailyProject.AsNoTracking(), range, range.From).Where(d => d.Status == EventStatus.Recorded && d.ProjectKey != 0)
            .GroupBy(d => d.ProjectKey).Select(g => new { g.Key, Count = g.Sum(d => d.Count) }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var sales = await ForProject(db.ConversionDailyProject.AsNoTracking(), range, range.From)
            .Where(d => d.Status == ConversionStatus.Accepted && d.EventType != ConversionTypes.Refund && d.ProjectKey != 0)
            .GroupBy(d => new { d.ProjectKey, d.Currency })
            .Select(g => new { g.Key.ProjectKey, g.Key.Currency, Count = g.Sum(d => d.Count), Whole = g.Sum(d => d.AmountWhole), Rest = g.Sum(d => d.AmountRest) })
            .ToListAsync(ct);
        var earned = await ForProject(db.RewardDailyProject.AsNoTracking(), range, range.From).Where(d => d.Status != RewardStatus.Reversed && d.ProjectKey != 0)
            .GroupBy(d => new { d.ProjectKey, d.Currency })
            .Select(g => new { g.Key.ProjectKey, g.Key.Currency, Whole = g.Sum(d => d.AmountWhole), Rest = g.Sum(d => d.AmountRest) })
            .ToListAsync(ct);

        var ranked = metric switch
        {
            LeaderboardMetric.Revenue when currency is null => [],
            LeaderboardMetric.Revenue => sales.Where(s => s.Currency == currency).Select(s => (Key: s.ProjectKey, Score: MoneyUnits.Combine(s.Whole, s.Rest))).ToList(),
            LeaderboardMetric.Conversions => sales.GroupBy(s => s.ProjectKey).Select(g => (g.Key, Score: (decimal)g.Sum(s => s.Count))).ToList(),
            _ => clicks.Select(c => (c.Key, Score: (decimal)c.Value)).ToList(),
        };
        var ids = ranked.OrderByDescending(r => r.Score).ThenBy(r => r.Key).Take(take).Select(r => r.Key).ToList();
        var names = await NamesAsync(db, LeaderboardKind.Projects, ids, ct);
        return ids.Select(id =>
        {
            var mine = sales.Where(m => m.ProjectKey == id).ToList();
            var (name, detail, partnerId) = names.GetValueOrDefault(id, ($"#{id}", null, null));
            return new LeaderboardRow(id, name, detail, partnerId, clicks.GetValueOrDefault(id), referrals.GetValueOrDefault(id), mine.Sum(m => m.Count),
                Amounts(mine.Select(m => (m.Currency, m.Whole, m.Rest))), Amounts(earned.Where(e => e.ProjectKey == id).Select(e => (e.Currency, e.Whole, e.Rest))));
        }).ToList();
    }

    /// <summary>The analytics API: the range's totals and the previous period's, grouped as asked.</summary>
    public async Task<Result<Analytics>> AnalyticsAsync(AnalyticsQuery query, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadOverview) is { } denied)
        {
            return denied;
        }

        var v = Validate(query.Range)
            .Check(Enum.IsDefined(query.GroupBy), nameof(AnalyticsQuery.GroupBy), "Group by day, hour, partner, link, project or event.")
            .Check(query.GroupBy != AnalyticsGrouping.Hour || query.Range.Days <= AnalyticsQuery.MaxHourDays, nameof(AnalyticsQuery.GroupBy),
                $"Grouping by hour takes ranges of up to {AnalyticsQuery.MaxHourDays} days; group longer ones by day.");
        if (!v.IsValid)
        {
            return v.ToResult<Analytics>();
        }

        var overview = await GetAsync(query.Range, query.GroupBy == AnalyticsGrouping.Hour, ct);
        if (!overview.Succeeded)
        {
            return overview.As<Analytics>();
        }

        var o = overview.Value!;
        IReadOnlyList<AnalyticsGroup> groups;
        switch (query.GroupBy)
        {
            case AnalyticsGrouping.Day:
                groups = o.Days.Select(d => new AnalyticsGroup(d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null, d.Clicks, d.Referrals, d.Conversions, d.Revenue, d.RewardsEarned)).ToList();
                break;
            case AnalyticsGrouping.Hour:
                groups = o.Hours!.Select(h => new AnalyticsGroup(h.Start.ToString("yyyy-MM-dd'T'HH':00:00Z'", CultureInfo.InvariantCulture), null, h.Clicks, h.Referrals, h.Conversions, h.Revenue, h.RewardsEarned)).ToList();
                break;
            case AnalyticsGrouping.Event:
                groups = await EventGroupsAsync(query.Range, o.Current, ct);
                break;
            default:
                var kind = query.GroupBy switch { AnalyticsGrouping.Partner => LeaderboardKind.Partners, AnalyticsGrouping.Link => LeaderboardKind.Links, _ => LeaderboardKind.Projects };
                var board = await LeaderboardAsync(new LeaderboardQuery(query.Range, kind, query.OrderBy, query.Currency, query.Limit), ct);
                if (!board.Succeeded)
                {
                    return board.As<Analytics>();
                }

                groups = board.Value!.Rows.Select(r => new AnalyticsGroup(r.Id.ToString(CultureInfo.InvariantCulture), r.Name, r.Clicks, r.Referrals, r.Conversions, r.Revenue, r.RewardsEarned)).ToList();
                break;
        }

        return Result<Analytics>.Ok(new Analytics(query.Range, query.GroupBy, o.Current, o.Previous, groups));
    }

    /// <summary>Clicks, referrals and accepted conversions per event type (purchase, subscription, refund) with their amounts.</summary>
    private async Task<List<AnalyticsGroup>> EventGroupsAsync(OverviewQuery range, OverviewTotals totals, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var kinds = await Filter(db.ConversionDaily.AsNoTracking(), range, range.From).Where(d => d.Status == ConversionStatus.Accepted)
            .GroupBy(d => new { d.EventType, d.Currency })
            .Select(g => new { g.Key.EventType, g.Key.Currency, Count = g.Sum(d => d.Count), Whole = g.Sum(d => d.AmountWhole), Rest = g.Sum(d => d.AmountRest) })
            .ToListAsync(ct);
        var groups = new List<AnalyticsGroup>
        {
            new(AnalyticsEvents.Click, "Clicks", totals.Clicks, 0, 0, [], []),
            new(AnalyticsEvents.Referral, "Referrals", 0, totals.Referrals, 0, [], []),
        };
        foreach (var type in ConversionTypes.All)
        {
            var of = kinds.Where(k => k.EventType == type).ToList();
            groups.Add(new AnalyticsGroup(type, type == ConversionTypes.Refund ? "Refunds (accepted)" : $"Conversions: {type}", 0, 0, of.Sum(k => k.Count),
                Amounts(of.Select(k => (k.Currency, k.Whole, k.Rest))), []));
        }

        return groups;
    }

    /// <summary>
    /// The partners who joined in the range (how many, and the newest), and the partners whose links were clicked in it
    /// without an accepted conversion (those with the most clicks first). Partner and link filters do not apply.
    /// </summary>
    public async Task<Result<OverviewPartners>> PartnersAsync(OverviewQuery query, int take = 5, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadOverview) is { } denied)
        {
            return denied;
        }

        var v = Validate(query).Check(take is >= 1 and <= LeaderboardQuery.MaxTake, "Take", $"Ask for 1 to {LeaderboardQuery.MaxTake} partners.");
        if (!v.IsValid)
        {
            return v.ToResult<OverviewPartners>();
        }

        var start = query.From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = query.To.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var joined = db.Partners.AsNoTracking().Where(p => p.CreatedAt >= start && p.CreatedAt < end);
        if (query.ProjectId is { } project)
        {
            joined = joined.Where(p => db.PartnerProjects.Any(m => m.PartnerId == p.Id && m.ProjectId == project));
        }

        // A range that holds every partner (all time, mostly) counts the table, not an index range: a tenth of the time.
        var holdsAll = query.ProjectId is null
            && (await db.Partners.MinAsync(p => (DateTime?)p.CreatedAt, ct) is not { } first
                || (first >= start && await db.Partners.MaxAsync(p => (DateTime?)p.CreatedAt, ct) < end));

        var newCount = holdsAll ? await db.Partners.LongCountAsync(ct) : await joined.LongCountAsync(ct);
        var newest = await joined.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id).Take(take)
            .Select(p => new { p.Id, p.Name, p.ExternalId, p.CreatedAt }).ToListAsync(ct);

        var range = query with { PartnerId = null, LinkId = null };
        await using var snapshot = await clickCounts.ReadSnapshotAsync(db, ct);
        var clicks = Filter(db.ClickDaily.AsNoTracking(), range, range.From).Where(d => d.Status == EventStatus.Recorded);
        var converted = Sales(db, range).Select(d => d.PartnerId);

        // Who is in the running: the partners the rollups rank first, kept a while (a pass over every link's rows of
        // the range); with those the clicks not rolled up yet bring, counted now, converted ones left out.
        var standing = await standings.RankAsync($"idle:{Key(range)}", t => IdleAsync(range, t), ct);
        var recent = (await NotRolledUpAsync(db, range, range.From, ct))
            .GroupBy(c => c.PartnerId).ToDictionary(g => g.Key, g => g.LongCount());
        var ids = newest.Select(p => p.Id).Concat(standing).Concat(recent.Keys).Distinct().ToList();
        var counted = await clicks.Where(d => ids.Contains(d.PartnerId)).GroupBy(d => d.PartnerId)
            .Select(g => new { g.Key, Count = g.Sum(d => d.Count) }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        foreach (var (partner, count) in recent)
        {
            counted[partner] = counted.GetValueOrDefault(partner) + count;
        }

        var running = standing.Union(recent.Keys).ToList();
        var convertedNow = (await converted.Where(id => running.Contains(id)).Distinct().ToListAsync(ct)).ToHashSet();
        var idle = running.Where(id => !convertedNow.Contains(id) && counted.GetValueOrDefault(id) > 0)
            .Select(id => new { PartnerId = id, Count = counted[id] })
            .OrderByDescending(g => g.Count).ThenBy(g => g.PartnerId).Take(take).ToList();
        var idleIds = idle.Select(i => i.PartnerId).ToList();
        var idlePartners = await db.Partners.AsNoTracking().Where(p => idleIds.Contains(p.Id))
            .Select(p => new { p.Id, p.Name, p.ExternalId, p.CreatedAt }).ToDictionaryAsync(p => p.Id, ct);

        return Result<OverviewPartners>.Ok(new OverviewPartners(
            newCount,
            newest.Select(p => new PartnerMention(p.Id, p.Name, p.ExternalId, p.CreatedAt, counted.GetValueOrDefault(p.Id))).ToList(),
            idle.Where(i => idlePartners.ContainsKey(i.PartnerId))
                .Select(i => idlePartners[i.PartnerId] is var p ? new PartnerMention(p.Id, p.Name, p.ExternalId, p.CreatedAt, i.Count) : null!).ToList()));
    }

    /// <summary>The first <see cref="LeaderboardQuery.MaxTake"/> partners by clicks in the range among those without an accepted sale in it, by the rollups.</summary>
    private async Task<IReadOnlyList<int>> IdleAsync(OverviewQuery range, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var converted = Sales(db, range).Select(d => d.PartnerId);
        return await Filter(db.ClickDaily.AsNoTracking(), range, range.From).Where(d => d.Status == EventStatus.Recorded && !converted.Contains(d.PartnerId))
            .GroupBy(d => d.PartnerId).Select(g => new { PartnerId = g.Key, Count = g.Sum(d => d.Count) })
            .OrderByDescending(g => g.Count).ThenBy(g => g.PartnerId).Take(LeaderboardQuery.MaxTake).Select(g => g.PartnerId).ToListAsync(ct);
    }

    /// <summary>Clicks, referrals and accepted conversions per link of one partner in the range (links without any are left out).</summary>
    public async Task<Result<IReadOnlyDictionary<int, LinkActivity>>> LinkActivityAsync(OverviewQuery query, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadOverview) is { } denied)
        {
            return denied;
        }

        var v = Validate(query).Check(query.PartnerId is not null, nameof(OverviewQuery.PartnerId), "Name the partner whose links to count.");
        if (!v.IsValid)
        {
            return v.ToResult<IReadOnlyDictionary<int, LinkActivity>>();
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var snapshot = await clickCounts.ReadSnapshotAsync(db, ct);
        var clicks = await Filter(db.ClickDaily.AsNoTracking(), query, query.From).Where(d => d.Status == EventStatus.Recorded)
            .GroupBy(d => d.LinkId).Select(g => new { g.Key, Count = g.Sum(d => d.Count) }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var referrals = await Filter(db.ReferralDaily.AsNoTracking(), query, query.From).Where(d => d.Status == EventStatus.Recorded)
            .GroupBy(d => d.LinkId).Select(g => new { g.Key, Count = g.Sum(d => d.Count) }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var conversions = await Sales(db, query).GroupBy(d => d.LinkId).Select(g => new { g.Key, Count = g.Sum(d => d.Count) }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        foreach (var click in await NotRolledUpAsync(db, query, query.From, ct))
        {
            clicks[click.LinkId] = clicks.GetValueOrDefault(click.LinkId) + 1;
        }

        return Result<IReadOnlyDictionary<int, LinkActivity>>.Ok(clicks.Keys.Union(referrals.Keys).Union(conversions.Keys)
            .ToDictionary(id => id, id => new LinkActivity(id, clicks.GetValueOrDefault(id), referrals.GetValueOrDefault(id), conversions.GetValueOrDefault(id))));
    }

    /// <summary>Accepted sales (not refunds) of the range, of its project, partner or link.</summary>
    private static IQueryable<ConversionDaily> Sales(AppDbContext db, OverviewQuery query) =>
        Filter(db.ConversionDaily.AsNoTracking(), query, query.From).Where(d => d.Status == ConversionStatus.Accepted && d.EventType != ConversionTypes.Refund);

    private static Expression<Func<T, int>> KeyOf<T>(LeaderboardKind kind)
        where T : class, IDailyRollup => kind switch
        {
            LeaderboardKind.Partners => d => d.PartnerId,
            LeaderboardKind.Links => d => d.LinkId,
            _ => d => d.ProjectKey,
        };

    private static Expression<Func<T, bool>> In<T>(LeaderboardKind kind, List<int> ids)
        where T : class, IDailyRollup => kind switch
        {
            LeaderboardKind.Partners => d => ids.Contains(d.PartnerId),
            LeaderboardKind.Links => d => ids.Contains(d.LinkId),
            _ => d => ids.Contains(d.ProjectKey),
        };

    private static async Task<Dictionary<int, (string Name, string? Detail, int? PartnerId)>> NamesAsync(AppDbContext db, LeaderboardKind kind, List<int> ids, CancellationToken ct) => kind switch
    {
        LeaderboardKind.Partners => (await db.Partners.AsNoTracking().Where(p => ids.Contains(p.Id)).Select(p => new { p.Id, p.Name, p.ExternalId }).ToListAsync(ct))
            .ToDictionary(p => p.Id, p => (p.Name, p.ExternalId, (int?)p.Id)),
        LeaderboardKind.Links => (await db.ReferralLinks.AsNoTracking().Where(l => ids.Contains(l.Id)).Select(l => new { l.Id, l.Code, l.PartnerId, Partner = l.Partner!.Name }).ToListAsync(ct))
            .ToDictionary(l => l.Id, l => (l.Code, (string?)l.Partner, (int?)l.PartnerId)),
        _ => (await db.Projects.AsNoTracking().Where(p => ids.Contains(p.Id)).Select(p => new { p.Id, p.Name }).ToListAsync(ct))
            .ToDictionary(p => p.Id, p => (p.Name, (string?)null, (int?)null)),
    };

    /// <summary>The hours of a short range, counted from the events themselves (a short range holds few of them).</summary>
    private static async Task<List<OverviewHour>> HoursAsync(AppDbContext db, OverviewQuery query, CancellationToken ct)
    {
        var start = query.From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = query.To.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var clicks = ClickService.Filter(db.Clicks.AsNoTracking(), new ClickQuery(query.ProjectId, query.PartnerId, EventStatus.Recorded, query.From, query.To));
        var referrals = db.Referrals.AsNoTracking().Where(r => r.CreatedAt >= start && r.CreatedAt < end && r.Status == EventStatus.Recorded);
        var sales = db.Conversions.AsNoTracking().Where(c => c.CreatedAt >= start && c.CreatedAt < end && c.Status == ConversionStatus.Accepted && c.EventType != ConversionTypes.Refund);
        var rewards = db.Rewards.AsNoTracking().Where(r => r.CreatedAt >= start && r.CreatedAt < end && r.Status != RewardStatus.Reversed);
        if (query.ProjectId is { } project)
        {
            referrals = referrals.Where(r => r.ProjectId == project);
            sales = sales.Where(c => c.ProjectId == project);
            rewards = rewards.Where(r => r.ProjectId == project);
        }

        if (query.PartnerId is { } partner)
        {
            referrals = referrals.Where(r => r.PartnerId == partner);
            sales = sales.Where(c => c.PartnerId == partner);
            rewards = rewards.Where(r => r.PartnerId == partner);
        }

        if (query.LinkId is { } link)
        {
            clicks = clicks.Where(c => c.LinkId == link);
            referrals = referrals.Where(r => r.LinkId == link);
            sales = sales.Where(c => c.LinkId == link);
            rewards = rewards.Where(r => r.LinkId == link);
        }

        var clickHours = await clicks.GroupBy(c => new { c.CreatedAt.Date, c.CreatedAt.Hour }).Select(g => new { g.Key.Date, g.Key.Hour, Count = g.LongCount() }).ToListAsync(ct);
        var referralHours = await referrals.GroupBy(r => new { r.CreatedAt.Date, r.CreatedAt.Hour }).Select(g => new { g.Key.Date, g.Key.Hour, Count = g.LongCount() }).ToListAsync(ct);
        var saleHours = await sales.GroupBy(c => new { c.CreatedAt.Date, c.CreatedAt.Hour, c.Currency })
            .Select(g => new { g.Key.Date, g.Key.Hour, g.Key.Currency, Count = g.LongCount(), Whole = g.Sum(c => c.AmountUnits / MoneyUnits.SumSplit), Rest = g.Sum(c => c.AmountUnits % MoneyUnits.SumSplit) })
            .ToListAsync(ct);
        var rewardHours = await rewards.GroupBy(r => new { r.CreatedAt.Date, r.CreatedAt.Hour, r.Currency })
            .Select(g => new { g.Key.Date, g.Key.Hour, g.Key.Currency, Whole = g.Sum(r => r.AmountUnits / MoneyUnits.SumSplit), Rest = g.Sum(r => r.AmountUnits % MoneyUnits.SumSplit) })
            .ToListAsync(ct);

        var hours = new List<OverviewHour>(query.Days * 24);
        for (var at = start; at < end; at = at.AddHours(1))
        {
            var (date, hour) = (at.Date, at.Hour);
            var sold = saleHours.Where(s => s.Date == date && s.Hour == hour).ToList();
            hours.Add(new OverviewHour(
                at,
                clickHours.Where(c => c.Date == date && c.Hour == hour).Sum(c => c.Count),
                referralHours.Where(r => r.Date == date && r.Hour == hour).Sum(r => r.Count),
                sold.Sum(s => s.Count),
                Amounts(sold.Select(s => (s.Currency, s.Whole, s.Rest))),
                Amounts(rewardHours.Where(r => r.Date == date && r.Hour == hour).Select(r => (r.Currency, r.Whole, r.Rest)))));
        }

        return hours;
    }

    internal static Validation Validate(OverviewQuery query) => new Validation()
        .Check(query.From >= OverviewQuery.FirstDay, nameof(OverviewQuery.From), $"Days start on {OverviewQuery.FirstDay:yyyy-MM-dd}.")
        .Check(query.To <= OverviewQuery.LastDay, nameof(OverviewQuery.To), $"Days end on {OverviewQuery.LastDay:yyyy-MM-dd}.")
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

    /// <summary>Rows of the per-project sums from <paramref name="from"/> to the range's end, of its project if it names one.</summary>
    private static IQueryable<T> ForProject<T>(IQueryable<T> rollups, OverviewQuery query, DateOnly from)
        where T : class, IProjectDailyRollup
    {
        rollups = rollups.Where(d => d.Day >= from && d.Day <= query.To);
        return query.ProjectId is { } project ? rollups.Where(d => d.ProjectKey == project) : rollups;
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

        foreach (var click in await NotRolledUpAsync(db, query, from, ct))
        {
            var day = DateOnly.FromDateTime(click.CreatedAt);
            days[day] = days.GetValueOrDefault(day) + 1;
        }

        return days;
    }

    /// <summary>Split sums per currency, put together exactly.</summary>
    private static List<Money> Amounts(IEnumerable<(string Currency, long Whole, long Remainder)> parts) =>
        parts.GroupBy(p => p.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new Money(g.Key, MoneyUnits.FromUnits(g.Sum(p => MoneyUnits.Combine(p.Whole, p.Remainder))))).ToList();

    private static List<Money> PerCurrency<TStatus>(IEnumerable<Bucket<TStatus>> buckets) =>
        buckets.GroupBy(b => b.Currency, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new Money(g.Key, MoneyUnits.FromUnits(g.Sum(b => MoneyUnits.Combine(b.Whole, b.Rest)))))
            .ToList();

    /// <summary>A rollup row of either grain, as the range's sums read it.</summary>
    private sealed class Row<TStatus>
    {
        public DateOnly Day { get; init; }
        public string Kind { get; init; } = "";
        public string Currency { get; init; } = "";
        public required TStatus Status { get; init; }
        public long Count { get; init; }
        public long Whole { get; init; }
        public long Rest { get; init; }
    }

    private sealed record Bucket<TStatus>(DateOnly Day, string Kind, string Currency, TStatus Status, long Count, long Whole, long Rest);
}
