namespace NodiRef.Admin.Features.Tracking;

/// <summary>
/// Counts over the click log that stay exact while the rollups trail the clicks (SQLite,
/// <see cref="SqlDialect.DefersClickRollups"/>): what the rollups hold plus the few clicks written since
/// their mark. Call inside <see cref="SqlDialect.ReadSnapshotAsync"/> so both come from one state.
/// </summary>
public static class ClickLog
{
    /// <summary>The clicks the rollups do not count yet (the newest second or so), or null when they count every click.</summary>
    public static async Task<IQueryable<Click>?> NotRolledUpAsync(AppDbContext db, CancellationToken ct = default)
    {
        if (!SqlDialect.For(db.Database).DefersClickRollups)
        {
            return null;
        }

        var mark = await db.ClickRollupState.AsNoTracking()
            .Where(s => s.Id == ClickRollupState.SingletonId)
            .Select(s => (long?)s.RolledUpThrough)
            .FirstOrDefaultAsync(ct) ?? 0;
        return db.Clicks.AsNoTracking().Where(c => c.Id > mark);
    }

    /// <summary>Clicks (discarded ones included) of a partner, or of one of its links.</summary>
    public static async Task<long> CountAsync(AppDbContext db, int partnerId, int? linkId = null, CancellationToken ct = default)
    {
        await using var snapshot = await SqlDialect.For(db.Database).ReadSnapshotAsync(db, ct);

        // By the rollups' partner index: a partner has a few rows a day at most, one per link.
        var rolledUp = db.ClickDaily.AsNoTracking().Where(d => d.PartnerId == partnerId);
        if (linkId is { } link)
        {
            rolledUp = rolledUp.Where(d => d.LinkId == link);
        }

        var count = await rolledUp.SumAsync(d => d.Count, ct);
        if (await NotRolledUpAsync(db, ct) is { } recent)
        {
            count += linkId is { } l
                ? await recent.LongCountAsync(c => c.LinkId == l, ct)
                : await recent.LongCountAsync(c => c.PartnerId == partnerId, ct);
        }

        return count;
    }
}
