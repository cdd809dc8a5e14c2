using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;

namespace NodiRef.Admin.Data;

/// <summary>
/// The click store on SQLite: the default, and the tuned hit path. Its invariants, kept here, by
/// <see cref="Features.Tracking.ClickWriter"/> and by <see cref="WalCheckpointer"/> (measure with
/// <c>bench/tracking.sh</c> before and after any change near them):
/// <list type="bullet">
/// <item>A hit is answered only after the commit of the batch that holds its click: answered = stored.</item>
/// <item>One writer connection (this store) writes every click, a batch per transaction, and the daily rollups
/// with their mark in a transaction of their own about once a second (<see cref="RollUpAsync"/>): click ids are
/// committed in order, so "the clicks after the mark" is exact, and readers add them to the rollups themselves
/// (<see cref="SqliteClickCounts"/>).</item>
/// <item>Links remembered across batches are trusted only while <see cref="ChangeStampAsync"/> says nobody else wrote.</item>
/// <item>Checkpoints never run on the writer's path: <see cref="WalCheckpointer"/> copies the log back on a thread
/// and connection of its own; the writer's own automatic checkpoint waits until 10,000 pages, in case it falls behind.</item>
/// <item>Every statement is compiled once; the click INSERT binds through SQLite's own API (<see cref="SqliteClickInsert"/>).</item>
/// </list>
/// </summary>
public sealed class SqliteClickStore : ClickStore
{
    // The writer revisits the same pages batch after batch (the ends of the click log's indexes,
    // today's rollup rows, the links it resolves) in a file far larger than the 1 GB mapped into
    // memory (SqlitePragmas): keeping them in its own page cache saves a read system call for
    // each; the pool's connections keep 8 MB. It fills only as pages are used.
    // SQLite's own checkpoint at 10,000 pages (40 MB) only if the WalCheckpointer falls behind.
    private const string SessionSql = "PRAGMA cache_size=-262144; PRAGMA wal_autocheckpoint=10000";

    private readonly List<Action> _onCommit = [];
    private readonly PendingRollups _pending = new();
    private readonly WalCheckpointer _checkpointer;
    private SqliteClickInsert? _insert;

    private SqliteClickStore(AppDbContext db, WalCheckpointer checkpointer)
        : base(db) => _checkpointer = checkpointer;

    public override bool DefersRollups => true;

    /// <summary>How many rollups added the increments this store counted as it wrote, rather than grouping the log.</summary>
    internal int RollupsFromPending { get; private set; }

    public override Task<DbTransaction> BeginAsync(CancellationToken ct = default)
    {
        _onCommit.Clear();
        return base.BeginAsync(ct);
    }

    /// <summary>
    /// Only once committed does the store count what it wrote towards the next rollup (<see cref="PendingRollups"/>);
    /// a transaction committed otherwise leaves the next rollup to group the log itself. Then the checkpointer
    /// hears that the log grew.
    /// </summary>
    public override async Task CommitAsync(DbTransaction tx, CancellationToken ct = default)
    {
        await tx.CommitAsync(ct);
        foreach (var committed in _onCommit)
        {
            committed();
        }

        _onCommit.Clear();
        _checkpointer.Written();
    }

    // data_version moves when another connection commits; total_changes() counts the rows this
    // connection wrote, which covers a connection shared with other work (an in-memory database).
    public override async Task<(long, long)?> ChangeStampAsync(DbTransaction? tx, CancellationToken ct = default)
    {
        var cmd = Command(tx, "stamp", "SELECT data_version, total_changes() FROM pragma_data_version()", 0);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>
    /// Two grouped statements over the newest clicks (a range of row ids) instead of a random rollup page per
    /// click; or, when this store counted every one of them as it wrote them, those counts.
    /// </summary>
    public override async Task<long> RollUpAsync(DbTransaction tx, CancellationToken ct = default)
    {
        var range = Command(tx, "rollup-range", """
            SELECT COALESCE((SELECT "RolledUpThrough" FROM click_rollup_state WHERE "Id" = 1), 0), COALESCE((SELECT MAX("Id") FROM clicks), 0)
            """, 0);
        long from, to;
        await using (var reader = await range.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            (from, to) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        _onCommit.Add(() => _pending.StartAt(to));
        if (to <= from)
        {
            if (to < from)
            {
                // The newest clicks are gone (the log is never trimmed at its end, but should it be): their row
                // ids will be given again, so the mark follows the log back rather than skip the new clicks.
                await MoveRollupMarkAsync(tx, to, ct);
            }

            return 0;
        }

        if (_pending.Covers(from, to))
        {
            // Counted as they were written: no need to group the newest clicks again.
            RollupsFromPending++;
            await AddPendingAsync(tx, ct);
            await MoveRollupMarkAsync(tx, to, ct);
            return to - from;
        }

        // EF stores DateTime as "yyyy-MM-dd HH:mm:ss..." and DateOnly as "yyyy-MM-dd": date() maps one to the other.
        var daily = Command(tx, "rollup-daily", """
            INSERT INTO click_daily ("Day", "LinkId", "ProjectKey", "Status", "PartnerId", "Count")
            SELECT date("CreatedAt"), "LinkId", COALESCE("ProjectId", 0), "Status", MIN("PartnerId"), COUNT(*)
            FROM clicks WHERE "Id" > @p0 AND "Id" <= @p1
            GROUP BY date("CreatedAt"), "LinkId", COALESCE("ProjectId", 0), "Status"
            ON CONFLICT ("Day", "LinkId", "ProjectKey", "Status") DO UPDATE SET "Count" = click_daily."Count" + excluded."Count"
            """, 2);
        var project = Command(tx, "rollup-project", """
            INSERT INTO click_daily_project ("Day", "ProjectKey", "Status", "Count")
            SELECT date("CreatedAt"), COALESCE("ProjectId", 0), "Status", COUNT(*)
            FROM clicks WHERE "Id" > @p0 AND "Id" <= @p1
            GROUP BY date("CreatedAt"), COALESCE("ProjectId", 0), "Status"
            ON CONFLICT ("Day", "ProjectKey", "Status") DO UPDATE SET "Count" = click_daily_project."Count" + excluded."Count"
            """, 2);
        foreach (var cmd in new[] { daily, project })
        {
            cmd.Parameters[0].Value = from;
            cmd.Parameters[1].Value = to;
            await cmd.ExecuteNonQueryAsync(ct);
        }

        await MoveRollupMarkAsync(tx, to, ct);
        return to - from;
    }

    public override async ValueTask DisposeAsync()
    {
        _insert?.Dispose();
        await base.DisposeAsync();
    }

    private protected override string LinksByKeys => """WHERE l."CodeKey" IN (SELECT value FROM json_each(@p0))""";

    private protected override object KeyList(IReadOnlyCollection<string> codeKeys) => System.Text.Json.JsonSerializer.Serialize(codeKeys);

    // The busiest statement of the app, bound straight through SQLite's API (see SqliteClickInsert). The rollups
    // trail: nothing else is written here.
    private protected override Task AppendAsync(DbTransaction tx, IReadOnlyList<Click> clicks, CancellationToken ct)
    {
        var firstId = (_insert ??= new SqliteClickInsert((SqliteConnection)Connection)).Insert(clicks);
        if (clicks.Count > 0)
        {
            _onCommit.Add(firstId is { } first ? () => _pending.Add(clicks, first) : _pending.Forget);
        }

        return Task.CompletedTask;
    }

    /// <summary>The increments in two statements, each with its rows as one JSON parameter, in key order.</summary>
    private async Task AddPendingAsync(DbTransaction tx, CancellationToken ct)
    {
        var daily = Command(tx, "pending-daily", """
            INSERT INTO click_daily ("Day", "LinkId", "ProjectKey", "Status", "PartnerId", "Count")
            SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 FROM json_each(@p0) WHERE true
            ON CONFLICT ("Day", "LinkId", "ProjectKey", "Status") DO UPDATE SET "Count" = click_daily."Count" + excluded."Count"
            """, 1);
        daily.Parameters[0].Value = _pending.DailyJson();
        await daily.ExecuteNonQueryAsync(ct);

        var project = Command(tx, "pending-project", """
            INSERT INTO click_daily_project ("Day", "ProjectKey", "Status", "Count")
            SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(@p0) WHERE true
            ON CONFLICT ("Day", "ProjectKey", "Status") DO UPDATE SET "Count" = click_daily_project."Count" + excluded."Count"
            """, 1);
        project.Parameters[0].Value = _pending.ProjectJson();
        await project.ExecuteNonQueryAsync(ct);
    }

    private async Task MoveRollupMarkAsync(DbTransaction tx, long mark, CancellationToken ct)
    {
        var cmd = Command(tx, "rollup-mark", """
            INSERT INTO click_rollup_state ("Id", "RolledUpThrough") VALUES (1, @p0)
            ON CONFLICT ("Id") DO UPDATE SET "RolledUpThrough" = excluded."RolledUpThrough"
            """, 1);
        cmd.Parameters[0].Value = mark;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Opens SQLite click stores, each telling the app's <see cref="WalCheckpointer"/> when it commits.</summary>
    internal sealed class Factory(IDbContextFactory<AppDbContext> dbFactory, WalCheckpointer checkpointer) : IClickStoreFactory
    {
        public Task<ClickStore> OpenAsync(CancellationToken ct = default) =>
            ConnectAsync(dbFactory, SessionSql, db => new SqliteClickStore(db, checkpointer), ct);
    }
}

/// <summary>
/// The click INSERT on SQLite, prepared once on the writer's connection and bound by position with
/// SQLite's own API: per click that saves what ADO.NET spends around the insert itself (a data reader,
/// a name lookup, a boxed value and a UTF-16 to UTF-8 copy per parameter). Values are written exactly as
/// EF and Microsoft.Data.Sqlite write them (upper-case Guid text, "yyyy-MM-dd HH:mm:ss.FFFFFFF"), so
/// everything else reads them unchanged. Runs inside the connection's current transaction.
/// </summary>
internal sealed class SqliteClickInsert : IDisposable
{
    private const string Sql = """
        INSERT INTO clicks ("TrackingId", "LinkId", "PartnerId", "ProjectId", "IpAddress", "UserAgent", "Referrer", "CreatedAt", "Status", "DiscardReason")
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
        """;

    private static readonly byte[] Recorded = "Recorded"u8.ToArray();
    private static readonly byte[] Discarded = "Discarded"u8.ToArray();

    private readonly SqliteConnection _connection;
    private readonly SQLitePCL.sqlite3_stmt _statement;

    public SqliteClickInsert(SqliteConnection connection)
    {
        _connection = connection;
        Check(SQLitePCL.raw.sqlite3_prepare_v2(connection.Handle, Sql, out _statement));
    }

    /// <summary>Inserts the clicks; answers the row id of the first when their row ids follow on from one another (else null).</summary>
    public long? Insert(IReadOnlyList<Click> clicks)
    {
        Span<byte> buffer = stackalloc byte[64];
        long? first = null;
        var consecutive = true;
        for (var i = 0; i < clicks.Count; i++)
        {
            var c = clicks[i];
            var s = _statement;
            c.TrackingId.TryFormat(buffer, out var n, "D");
            Ascii.ToUpperInPlace(buffer[..n], out _);
            Check(SQLitePCL.raw.sqlite3_bind_text(s, 1, buffer[..n]));
            Check(SQLitePCL.raw.sqlite3_bind_int64(s, 2, c.LinkId));
            Check(SQLitePCL.raw.sqlite3_bind_int64(s, 3, c.PartnerId));
            Check(c.ProjectId is { } project ? SQLitePCL.raw.sqlite3_bind_int64(s, 4, project) : SQLitePCL.raw.sqlite3_bind_null(s, 4));
            BindText(s, 5, c.IpAddress);
            BindText(s, 6, c.UserAgent);
            BindText(s, 7, c.Referrer);
            c.CreatedAt.TryFormat(buffer, out n, @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);
            Check(SQLitePCL.raw.sqlite3_bind_text(s, 8, buffer[..n]));
            Check(SQLitePCL.raw.sqlite3_bind_text(s, 9, c.Status == EventStatus.Recorded ? Recorded : c.Status == EventStatus.Discarded ? Discarded : System.Text.Encoding.UTF8.GetBytes(c.Status.ToString())));
            BindText(s, 10, c.DiscardReason);
            var rc = SQLitePCL.raw.sqlite3_step(s);
            SQLitePCL.raw.sqlite3_reset(s);
            if (rc != SQLitePCL.raw.SQLITE_DONE)
            {
                Check(rc);
            }

            var id = SQLitePCL.raw.sqlite3_last_insert_rowid(_connection.Handle);
            first ??= id;
            consecutive &= id == first + i;
        }

        return consecutive ? first : null;
    }

    public void Dispose() => _statement.Dispose();

    private void BindText(SQLitePCL.sqlite3_stmt statement, int index, string? value) =>
        Check(value is null ? SQLitePCL.raw.sqlite3_bind_null(statement, index) : SQLitePCL.raw.sqlite3_bind_text(statement, index, value));

    private void Check(int rc)
    {
        if (rc != SQLitePCL.raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        }
    }
}
