using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace NodiRef.Admin.Data;

/// <summary>
/// Exact click counts from the daily rollups and the log, as each database keeps them
/// (<see cref="ClickStore.DefersRollups"/>): <see cref="SqliteClickCounts"/> or <see cref="PostgresClickCounts"/>,
/// registered by <see cref="AppDatabase.AddAppDatabase"/>.
/// </summary>
public interface IClickCounts
{
    /// <summary>
    /// Makes the context's next queries read one consistent state of the database until disposed, where
    /// readers need it: the rollups and the clicks after their mark, read in separate statements, must not
    /// straddle a rollup.
    /// </summary>
    Task<IAsyncDisposable> ReadSnapshotAsync(AppDbContext db, CancellationToken ct = default);

    /// <summary>
    /// The clicks the rollups do not count yet (the newest second or so; none where they count every click),
    /// read by their key alone and filtered by the caller in memory: a filter on time or status in the same
    /// statement would lead SQLite to the log's time index and a scan of the whole range.
    /// Only the fields a count needs are filled (id, link, partner, project, status, time).
    /// </summary>
    Task<IReadOnlyList<Click>> NotRolledUpAsync(AppDbContext db, CancellationToken ct = default);
}

public static class ClickCounts
{
    /// <summary>Clicks (discarded ones included) of a partner, or of one of its links.</summary>
    public static async Task<long> CountAsync(this IClickCounts counts, AppDbContext db, int partnerId, int? linkId = null, CancellationToken ct = default)
    {
        await using var snapshot = await counts.ReadSnapshotAsync(db, ct);

        // By the rollups' partner index: a partner has a few rows a day at most, one per link.
        var rolledUp = db.ClickDaily.AsNoTracking().Where(d => d.PartnerId == partnerId);
        if (linkId is { } link)
        {
            rolledUp = rolledUp.Where(d => d.LinkId == link);
        }

        var count = await rolledUp.SumAsync(d => d.Count, ct);
        var recent = await counts.NotRolledUpAsync(db, ct);
        return count + (linkId is { } l
            ? recent.LongCount(c => c.LinkId == l)
            : recent.LongCount(c => c.PartnerId == partnerId));
    }
}

/// <summary>
/// On SQLite the rollups trail the clicks (<see cref="SqliteClickStore"/>): a count is what the rollups hold
/// plus the clicks after their mark, both read in one deferred transaction (a snapshot, no lock).
/// </summary>
public sealed class SqliteClickCounts : IClickCounts
{
    public async Task<IAsyncDisposable> ReadSnapshotAsync(AppDbContext db, CancellationToken ct = default)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            return NoLock.Instance;
        }

        await db.Database.OpenConnectionAsync(ct);
        var tx = ((SqliteConnection)db.Database.GetDbConnection()).BeginTransaction(deferred: true);
        await db.Database.UseTransactionAsync(tx, ct);
        return new Snapshot(db, tx);
    }

    public async Task<IReadOnlyList<Click>> NotRolledUpAsync(AppDbContext db, CancellationToken ct = default)
    {
        var mark = await db.ClickRollupState.AsNoTracking()
            .Where(s => s.Id == ClickRollupState.SingletonId)
            .Select(s => (long?)s.RolledUpThrough)
            .FirstOrDefaultAsync(ct) ?? 0;
        return await db.Clicks.AsNoTracking().Where(c => c.Id > mark)
            .Select(c => new Click { Id = c.Id, LinkId = c.LinkId, PartnerId = c.PartnerId, ProjectId = c.ProjectId, Status = c.Status, CreatedAt = c.CreatedAt })
            .ToListAsync(ct);
    }

    private sealed class Snapshot(AppDbContext db, DbTransaction tx) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await db.Database.UseTransactionAsync(null);
            await tx.DisposeAsync();
            await db.Database.CloseConnectionAsync();
        }
    }
}

/// <summary>On PostgreSQL the rollups move with the clicks in each batch (<see cref="PostgresClickStore"/>): they are the count.</summary>
public sealed class PostgresClickCounts : IClickCounts
{
    public Task<IAsyncDisposable> ReadSnapshotAsync(AppDbContext db, CancellationToken ct = default) =>
        Task.FromResult<IAsyncDisposable>(NoLock.Instance);

    public Task<IReadOnlyList<Click>> NotRolledUpAsync(AppDbContext db, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<Click>>([]);
}
