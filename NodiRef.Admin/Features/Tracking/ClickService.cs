namespace NodiRef.Admin.Features.Tracking;

public sealed record ClickRow(
    long Id,
    Guid TrackingId,
    DateTime CreatedAt,
    int LinkId,
    string LinkCode,
    int PartnerId,
    string PartnerName,
    int? ProjectId,
    string? ProjectName,
    string? IpAddress,
    string? UserAgent,
    string? Referrer,
    EventStatus Status,
    string? DiscardReason);

/// <summary>Filters of the clicks list; <see cref="From"/> and <see cref="To"/> are whole UTC days, inclusive.</summary>
public sealed record ClickQuery(
    int? ProjectId = null,
    int? PartnerId = null,
    EventStatus? Status = null,
    DateOnly? From = null,
    DateOnly? To = null) : PageRequest;

/// <summary>Click totals of a partner; discarded clicks count nowhere but are shown apart.</summary>
public sealed record ClickTotals(long Recorded, long Discarded);

/// <summary>Reads recorded clicks for the back-office and the API.</summary>
public sealed class ClickService(AppDbFactory dbFactory, CurrentUser currentUser, IClickCounts clickCounts)
{

    /// <summary>
    /// Newest first (or oldest first). Fast at tens of millions of clicks without an index per partner,
    /// project or status (each would cost a random page write per click): the daily rollups say which days
    /// hold matching clicks and how many, so whole days are skipped by their counts, and only the days the
    /// page falls on are walked, along the time index, which carries the filter columns. The total is the
    /// sum of those counts.
    /// </summary>
    public async Task<Result<Page<ClickRow>>> ListAsync(ClickQuery query, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadClicks) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var snapshot = await clickCounts.ReadSnapshotAsync(db, ct);
        var days = await DaysAsync(db, query, ct);
        var desc = query.Sort?.Descending ?? true;
        var total = days.Values.Sum();

        var dayFilter = Filter(db.Clicks.AsNoTracking(), query with { From = null, To = null });
        var ids = new List<long>(query.Take);
        long skip = query.Skip;
        foreach (var (day, count) in desc ? days.OrderByDescending(d => d.Key) : days.OrderBy(d => d.Key))
        {
            if (ids.Count >= query.Take)
            {
                break;
            }

            if (skip >= count)
            {
                skip -= count;
                continue;
            }

            // One range on the time index per day (the date filters are whole days, so the day is inside them).
            var start = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var end = start.AddDays(1);
            var ofDay = dayFilter.Where(c => c.CreatedAt >= start && c.CreatedAt < end);
            ids.AddRange(await (desc ? ofDay.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id) : ofDay.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id))
                .Skip((int)skip)
                .Take(query.Take - ids.Count)
                .Select(c => c.Id)
                .ToListAsync(ct));
            skip = 0;
        }

        var rows = ids.Count == 0 ? [] : await db.Clicks.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Join(db.ReferralLinks, c => c.LinkId, l => l.Id, (c, l) => new { c, l.Code })
            .Join(db.Partners, x => x.c.PartnerId, p => p.Id, (x, p) => new { x.c, x.Code, PartnerName = p.Name })
            .GroupJoin(db.Projects, x => x.c.ProjectId, p => p.Id, (x, ps) => new { x.c, x.Code, x.PartnerName, ps })
            .SelectMany(x => x.ps.DefaultIfEmpty(), (x, p) => new ClickRow(
                x.c.Id, x.c.TrackingId, x.c.CreatedAt, x.c.LinkId, x.Code, x.c.PartnerId, x.PartnerName, x.c.ProjectId, p == null ? null : p.Name,
                x.c.IpAddress, x.c.UserAgent, x.c.Referrer, x.c.Status, x.c.DiscardReason))
            .ToListAsync(ct);

        // The page's order, as walked.
        var position = ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        rows = rows.OrderBy(r => position[r.Id]).ToList();
        return Result<Page<ClickRow>>.Ok(new Page<ClickRow>(rows, (int)Math.Min(total, int.MaxValue)));
    }

    /// <summary>The clicks of the query's project, partner, status and days (the overview counts its newest clicks with it too).</summary>
    internal static IQueryable<Click> Filter(IQueryable<Click> q, ClickQuery query)
    {
        if (query.ProjectId is { } projectId)
        {
            q = q.Where(c => c.ProjectId == projectId);
        }

        if (query.PartnerId is { } partnerId)
        {
            q = q.Where(c => c.PartnerId == partnerId);
        }

        if (query.Status is { } status)
        {
            q = q.Where(c => c.Status == status);
        }

        if (query.From is { } from)
        {
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            q = q.Where(c => c.CreatedAt >= start);
        }

        if (query.To is { } to)
        {
            var end = PartnerEvents.EndOf(to);
            q = q.Where(c => c.CreatedAt < end);
        }

        return q;
    }

    /// <summary>
    /// The days that hold clicks matching the filters, with how many: from the per-link rollups (by their
    /// partner index) when a partner is asked for, else from the per-project ones, a few rows a day; plus the
    /// clicks not rolled up yet.
    /// </summary>
    private async Task<Dictionary<DateOnly, long>> DaysAsync(AppDbContext db, ClickQuery query, CancellationToken ct)
    {
        var days = query.PartnerId is { } partnerId
            ? await CountByDayAsync(db.ClickDaily.AsNoTracking().Where(d => d.PartnerId == partnerId), query, ct)
            : await CountByDayAsync(db.ClickDailyProject.AsNoTracking(), query, ct);
        foreach (var click in Filter((await clickCounts.NotRolledUpAsync(db, ct)).AsQueryable(), query))
        {
            var day = DateOnly.FromDateTime(click.CreatedAt);
            days[day] = days.GetValueOrDefault(day) + 1;
        }

        return days;
    }

    private static async Task<Dictionary<DateOnly, long>> CountByDayAsync<T>(IQueryable<T> rollups, ClickQuery query, CancellationToken ct)
        where T : class, IClickRollup
    {
        if (query.ProjectId is { } projectId)
        {
            rollups = rollups.Where(d => d.ProjectKey == projectId);
        }

        if (query.Status is { } status)
        {
            rollups = rollups.Where(d => d.Status == status);
        }

        if (query.From is { } from)
        {
            rollups = rollups.Where(d => d.Day >= from);
        }

        if (query.To is { } to)
        {
            rollups = rollups.Where(d => d.Day <= to);
        }

        return await rollups.GroupBy(d => d.Day).Select(g => new { g.Key, Count = g.Sum(d => d.Count) }).ToDictionaryAsync(d => d.Key, d => d.Count, ct);
    }

    /// <summary>A partner's click totals, from the daily rollups and the clicks not rolled up yet.</summary>
    public async Task<Result<ClickTotals>> TotalsForPartnerAsync(int partnerId, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadClicks) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var snapshot = await clickCounts.ReadSnapshotAsync(db, ct);
        var byStatus = await db.ClickDaily.AsNoTracking()
            .Where(d => d.PartnerId == partnerId)
            .GroupBy(d => d.Status)
            .Select(g => new { Status = g.Key, Count = g.Sum(d => d.Count) })
            .ToListAsync(ct);
        byStatus.AddRange((await clickCounts.NotRolledUpAsync(db, ct)).Where(c => c.PartnerId == partnerId)
            .GroupBy(c => c.Status)
            .Select(g => new { Status = g.Key, Count = g.LongCount() }));

        return Result<ClickTotals>.Ok(new ClickTotals(
            byStatus.Where(s => s.Status == EventStatus.Recorded).Sum(s => s.Count),
            byStatus.Where(s => s.Status == EventStatus.Discarded).Sum(s => s.Count)));
    }
}
