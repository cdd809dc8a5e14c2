namespace NodiRef.Admin.Features.Common;

/// <summary>What the lists of referrals, conversions and rewards share: their filters and the names they show.</summary>
public static class PartnerEvents
{
    /// <summary>Keeps the events of a project and a partner (when given) on the UTC days from <paramref name="from"/> to <paramref name="to"/>, inclusive.</summary>
    public static IQueryable<T> Filter<T>(IQueryable<T> q, int? projectId, int? partnerId, DateOnly? from, DateOnly? to)
        where T : class, IPartnerEvent
    {
        if (projectId is { } project)
        {
            q = q.Where(e => e.ProjectId == project);
        }

        if (partnerId is { } partner)
        {
            q = q.Where(e => e.PartnerId == partner);
        }

        if (from is { } f)
        {
            var start = f.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            q = q.Where(e => e.CreatedAt >= start);
        }

        if (to is { } t)
        {
            var end = EndOf(t);
            q = q.Where(e => e.CreatedAt < end);
        }

        return q;
    }

    /// <summary>
    /// The first instant after UTC day <paramref name="day"/>. The last day there is (9999-12-31, what clients
    /// send for "no end") has no next day: it ends at the latest time there is.
    /// </summary>
    public static DateTime EndOf(DateOnly day) =>
        day == DateOnly.MaxValue ? DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc) : day.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>The partner names, project names and link codes of one page of events, in three small queries.</summary>
    public static async Task<EventNames> NamesAsync(AppDbContext db, IEnumerable<IPartnerEvent> page, CancellationToken ct)
    {
        var events = page.ToList();
        var partnerIds = events.Select(e => e.PartnerId).Distinct().ToList();
        var projectIds = events.Where(e => e.ProjectId != null).Select(e => e.ProjectId!.Value).Distinct().ToList();
        var linkIds = events.Select(e => e.LinkId).Distinct().ToList();
        return new EventNames(
            await db.Partners.AsNoTracking().Where(p => partnerIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct),
            await db.Projects.AsNoTracking().Where(p => projectIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct),
            await db.ReferralLinks.AsNoTracking().Where(l => linkIds.Contains(l.Id)).ToDictionaryAsync(l => l.Id, l => l.Code, ct));
    }
}

public sealed record EventNames(IReadOnlyDictionary<int, string> Partners, IReadOnlyDictionary<int, string> Projects, IReadOnlyDictionary<int, string> Links)
{
    public string Partner(int id) => Partners.GetValueOrDefault(id, "");

    public string? Project(int? id) => id is { } p ? Projects.GetValueOrDefault(p) : null;

    public string Link(int id) => Links.GetValueOrDefault(id, "");
}
