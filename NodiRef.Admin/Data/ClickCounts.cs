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

    /// <summary>The clicks the rollups do not count yet (the newest second or so), or null when they count every click.</summary>
    Task<IQueryable<Click>?> NotRolledUpAsync(AppDbContext db, CancellationToken ct = default);
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
        if (await counts.NotRolledUpAsync(db, ct) is { } recent)
        {
            count += linkId is { } l
                ? await recent.LongCountAsync(c => c.LinkId == l, ct)
                : await recent.LongCountAsync(c => c.PartnerId == partnerId, ct);
        }

        return count;
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

    public async Task<IQueryable<Click>?> NotRolledUpAsync(AppDbContext db, CancellationToken ct = default)
    {
        var mark = await db.ClickRollupState.AsNoTracking()
            .Where(s => s.Id == ClickRollupState.SingletonId)
            .Select(s => (long?)s.RolledUpThrough)
            .FirstOrDefaultAsync(ct) ?? 0;
        return db.Clicks.AsNoTracking().Where(c => c.Id > mark);
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

    public Task<IQueryable<Click>?> NotRolledUpAsync(AppDbContext db, CancellationToken ct = default) =>
        Task.FromResult<IQueryable<Click>?>(null);
}
