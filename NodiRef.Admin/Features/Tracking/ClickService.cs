using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;

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
public sealed class ClickService(IDbContextFactory<AppDbContext> dbFactory, CurrentUser currentUser)
{
    private const string ReadDenied = "You are not allowed to see clicks.";

    /// <summary>Newest first. The total comes from the daily rollups, so it stays fast at tens of millions of clicks.</summary>
    public async Task<Result<Page<ClickRow>>> ListAsync(ClickQuery query, CancellationToken ct = default)
    {
        if (!await currentUser.CanReadAsync())
        {
            return Result<Page<ClickRow>>.Forbidden(ReadDenied);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.Clicks.AsNoTracking();
        var totals = db.ClickDaily.AsNoTracking();
        var programTotals = db.ClickDailyProject.AsNoTracking();
        if (query.ProjectId is { } projectId)
        {
            q = q.Where(c => c.ProjectId == projectId);
            totals = totals.Where(d => d.ProjectKey == projectId);
            programTotals = programTotals.Where(d => d.ProjectKey == projectId);
        }

        if (query.PartnerId is { } partnerId)
        {
            q = q.Where(c => c.PartnerId == partnerId);
            totals = totals.Where(d => d.PartnerId == partnerId);
        }

        if (query.Status is { } status)
        {
            q = q.Where(c => c.Status == status);
            totals = totals.Where(d => d.Status == status);
            programTotals = programTotals.Where(d => d.Status == status);
        }

        if (query.From is { } from)
        {
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            q = q.Where(c => c.CreatedAt >= start);
            totals = totals.Where(d => d.Day >= from);
            programTotals = programTotals.Where(d => d.Day >= from);
        }

        if (query.To is { } to)
        {
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            q = q.Where(c => c.CreatedAt < end);
            totals = totals.Where(d => d.Day <= to);
            programTotals = programTotals.Where(d => d.Day <= to);
        }

        // Per-partner totals come from the per-link rollups; everything else from the per-project ones, a few rows a day.
        var total = query.PartnerId is null
            ? await programTotals.SumAsync(d => d.Count, ct)
            : await totals.SumAsync(d => d.Count, ct);
        var desc = query.Sort?.Descending ?? true;
        var ordered = desc ? q.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id) : q.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id);
        var rows = await ordered.Skip(query.Skip).Take(query.Take)
            .Join(db.ReferralLinks, c => c.LinkId, l => l.Id, (c, l) => new { c, l.Code })
            .Join(db.Partners, x => x.c.PartnerId, p => p.Id, (x, p) => new { x.c, x.Code, PartnerName = p.Name })
            .GroupJoin(db.Projects, x => x.c.ProjectId, p => p.Id, (x, ps) => new { x.c, x.Code, x.PartnerName, ps })
            .SelectMany(x => x.ps.DefaultIfEmpty(), (x, p) => new ClickRow(
                x.c.Id, x.c.TrackingId, x.c.CreatedAt, x.c.LinkId, x.Code, x.c.PartnerId, x.PartnerName, x.c.ProjectId, p == null ? null : p.Name,
                x.c.IpAddress, x.c.UserAgent, x.c.Referrer, x.c.Status, x.c.DiscardReason))
            .ToListAsync(ct);

        // Joins may reorder rows; restore the page's order.
        rows = desc ? rows.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).ToList() : rows.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).ToList();
        return Result<Page<ClickRow>>.Ok(new Page<ClickRow>(rows, (int)Math.Min(total, int.MaxValue)));
    }

    /// <summary>A partner's click totals, from the daily rollups.</summary>
    public async Task<Result<ClickTotals>> TotalsForPartnerAsync(int partnerId, CancellationToken ct = default)
    {
        if (!await currentUser.CanReadAsync())
        {
            return Result<ClickTotals>.Forbidden(ReadDenied);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var byStatus = await db.ClickDaily.AsNoTracking()
            .Where(d => d.PartnerId == partnerId)
            .GroupBy(d => d.Status)
            .Select(g => new { Status = g.Key, Count = g.Sum(d => d.Count) })
            .ToListAsync(ct);
        return Result<ClickTotals>.Ok(new ClickTotals(
            byStatus.Where(s => s.Status == EventStatus.Recorded).Sum(s => s.Count),
            byStatus.Where(s => s.Status == EventStatus.Discarded).Sum(s => s.Count)));
    }
}
