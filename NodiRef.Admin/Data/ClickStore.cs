using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;

namespace NodiRef.Admin.Data;

/// <summary>A referral link as the click writer needs it, with its partner's and project's state.</summary>
public sealed record TrackedLink(
    int Id,
    string Code,
    int PartnerId,
    int? ProjectId,
    string? TargetUrl,
    PartnerStatus PartnerStatus,
    ProjectStatus? ProjectStatus,
    string? LandingUrl);

/// <summary>
/// The SQL of the tracking hot path, on one connection that the click writer keeps open. Every
/// statement has a fixed shape, is compiled once and re-executed with new values: a statement with
/// hundreds of named parameters costs more to bind than to run (Microsoft.Data.Sqlite looks each
/// name up in the statement, which is quadratic), and re-parsing the SQL of every batch is wasted.
/// The SQL is provider-neutral (quoted identifiers, INSERT ... ON CONFLICT) but for what
/// <see cref="SqlDialect"/> supplies; values are bound as each provider stores them
/// (<see cref="SqlDialect.Guid"/>).
/// </summary>
public sealed class ClickStore : IAsyncDisposable
{
    private readonly AppDbContext _db;
    private readonly DbConnection _connection;
    private readonly SqlDialect _dialect;
    private readonly Dictionary<string, DbCommand> _commands = [];
    private readonly List<Action> _onCommit = [];
    private readonly PendingRollups? _pending;
    private SqliteClickInsert? _sqliteInsert;

    private ClickStore(AppDbContext db)
    {
        _db = db;
        _connection = db.Database.GetDbConnection();
        _dialect = SqlDialect.For(db.Database);
        _pending = _dialect.DefersClickRollups && _connection is SqliteConnection ? new PendingRollups() : null;
    }

    /// <summary>The store's own connection (for tests that check its settings).</summary>
    internal DbConnection Connection => _connection;

    /// <summary>Opens the connection the store keeps until it is disposed.</summary>
    public static async Task<ClickStore> OpenAsync(IDbContextFactory<AppDbContext> dbFactory, CancellationToken ct = default)
    {
        var db = await dbFactory.CreateDbContextAsync(ct);
        try
        {
            await db.Database.OpenConnectionAsync(ct);
            if (SqlDialect.For(db.Database).ClickWriterSessionSql is { } session)
            {
                await db.Database.ExecuteSqlRawAsync(session, ct);
            }

            return new ClickStore(db);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a write transaction (on SQLite it takes the write lock at once: BEGIN IMMEDIATE).</summary>
    public async Task<DbTransaction> BeginAsync(CancellationToken ct = default)
    {
        _onCommit.Clear();
        return await _connection.BeginTransactionAsync(ct);
    }

    /// <summary>
    /// Commits a transaction of <see cref="BeginAsync"/>; only then does the store count what it wrote towards
    /// the next rollup (<see cref="PendingRollups"/>). A transaction committed otherwise leaves the next rollup
    /// to group the log itself.
    /// </summary>
    public async Task CommitAsync(DbTransaction tx, CancellationToken ct = default)
    {
        await tx.CommitAsync(ct);
        foreach (var committed in _onCommit)
        {
            committed();
        }

        _onCommit.Clear();
    }

    /// <summary>
    /// Changes at least whenever the database was written by anyone but this store since the last
    /// call (<see cref="SqlDialect.ChangeStampSql"/>); null when the database cannot tell, so nothing
    /// read earlier may be trusted. Call it inside the write transaction, where no one else can
    /// write until it commits; compare it with its value taken after the store's own commit.
    /// </summary>
    public async Task<(long, long)?> ChangeStampAsync(DbTransaction? tx, CancellationToken ct = default)
    {
        if (_dialect.ChangeStampSql is not { } sql)
        {
            return null;
        }

        var cmd = Command(tx, "stamp", sql, 0);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>The links with these code keys, with their partner's status and their project's status and landing page.</summary>
    public async Task<IReadOnlyList<(string CodeKey, TrackedLink Link)>> FindLinksAsync(DbTransaction tx, IReadOnlyCollection<string> codeKeys, CancellationToken ct = default)
    {
        // One statement for any number of keys: the list is a single parameter.
        var cmd = Command(tx, "links", $"""
            SELECT l."CodeKey", l."Id", l."Code", l."PartnerId", l."ProjectId", l."TargetUrl", p."Status", pr."Status", pr."LandingUrl"
            FROM referral_links l
            JOIN partners p ON p."Id" = l."PartnerId"
            LEFT JOIN projects pr ON pr."Id" = l."ProjectId"
            WHERE {_dialect.InList("l.\"CodeKey\"", "@p0")}
            {_dialect.LinkReadLock}
            """, 1);
        cmd.Parameters[0].Value = _dialect.ListValue(codeKeys);
        var links = new List<(string, TrackedLink)>(codeKeys.Count);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            links.Add((reader.GetString(0), new TrackedLink(
                reader.GetInt32(1),
                reader.GetString(2),
                reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                Enum.Parse<PartnerStatus>(reader.GetString(6)),
                reader.IsDBNull(7) ? null : Enum.Parse<ProjectStatus>(reader.GetString(7)),
                reader.IsDBNull(8) ? null : reader.GetString(8))));
        }

        return links;
    }

    /// <summary>How many rollups added the increments this store counted as it wrote, rather than grouping the log.</summary>
    internal int RollupsFromPending { get; private set; }

    /// <summary>Whether the rollups trail the clicks here (<see cref="SqlDialect.DefersClickRollups"/>).</summary>
    public bool DefersRollups => _dialect.DefersClickRollups;

    /// <summary>
    /// Appends clicks. Where the rollups do not trail the clicks (<see cref="DefersRollups"/> false),
    /// they grow in the same transaction, in key order: instances upserting the same rows lock them in
    /// the same order, so never deadlock.
    /// </summary>
    public async Task AddAsync(DbTransaction tx, IReadOnlyList<Click> clicks, CancellationToken ct = default)
    {
        foreach (var click in clicks)
        {
            // Stored as EF stores every DateTime (UtcDateTimeConverter): to the microsecond, so the click
            // compares equal to its own time read back, on both databases.
            click.CreatedAt = UtcDateTimeConverter.ToMicroseconds(click.CreatedAt);
        }

        await InsertAsync(tx, clicks, ct);
        if (_dialect.DefersClickRollups)
        {
            return;
        }

        var daily = clicks
            .GroupBy(c => (Day: DateOnly.FromDateTime(c.CreatedAt), c.LinkId, ProjectKey: c.ProjectId ?? 0, c.Status))
            .OrderBy(g => g.Key)
            .Select(g => new ClickDaily { Day = g.Key.Day, LinkId = g.Key.LinkId, ProjectKey = g.Key.ProjectKey, Status = g.Key.Status, PartnerId = g.First().PartnerId, Count = g.Count() })
            .ToList();
        await AddToRollupsAsync(tx, daily, ct);
        await AddToProjectRollupsAsync(tx, daily
            .GroupBy(d => (d.Day, d.ProjectKey, d.Status))
            .OrderBy(g => g.Key)
            .Select(g => new ClickDailyProject { Day = g.Key.Day, ProjectKey = g.Key.ProjectKey, Status = g.Key.Status, Count = g.Sum(d => d.Count) }),
            ct);
    }

    /// <summary>
    /// Where the rollups trail the clicks: counts every click after <see cref="ClickRollupState.RolledUpThrough"/>
    /// into them and moves that mark to the last click, in the caller's transaction; answers the number of
    /// clicks counted. Two grouped statements over the newest clicks (a range of row ids) instead of a
    /// random rollup page per click.
    /// </summary>
    public async Task<long> RollUpAsync(DbTransaction tx, CancellationToken ct = default)
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

        _onCommit.Add(() => _pending?.StartAt(to));
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

        if (_pending?.Covers(from, to) == true)
        {
            // Counted as they were written: no need to group the newest clicks again.
            RollupsFromPending++;
            await AddPendingAsync(tx, _pending, ct);
            await MoveRollupMarkAsync(tx, to, ct);
            return to - from;
        }

        var day = _dialect.UtcDay("\"CreatedAt\"");
        var daily = Command(tx, "rollup-daily", $"""
            INSERT INTO click_daily ("Day", "LinkId", "ProjectKey", "Status", "PartnerId", "Count")
            SELECT {day}, "LinkId", COALESCE("ProjectId", 0), "Status", MIN("PartnerId"), COUNT(*)
            FROM clicks WHERE "Id" > @p0 AND "Id" <= @p1
            GROUP BY {day}, "LinkId", COALESCE("ProjectId", 0), "Status"
            ON CONFLICT ("Day", "LinkId", "ProjectKey", "Status") DO UPDATE SET "Count" = click_daily."Count" + excluded."Count"
            """, 2);
        var project = Command(tx, "rollup-project", $"""
            INSERT INTO click_daily_project ("Day", "ProjectKey", "Status", "Count")
            SELECT {day}, COALESCE("ProjectId", 0), "Status", COUNT(*)
            FROM clicks WHERE "Id" > @p0 AND "Id" <= @p1
            GROUP BY {day}, COALESCE("ProjectId", 0), "Status"
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

    /// <summary>SQLite: the increments in two statements, each with its rows as one JSON parameter, in key order.</summary>
    private async Task AddPendingAsync(DbTransaction tx, PendingRollups pending, CancellationToken ct)
    {
        var daily = Command(tx, "pending-daily", """
            INSERT INTO click_daily ("Day", "LinkId", "ProjectKey", "Status", "PartnerId", "Count")
            SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 FROM json_each(@p0) WHERE true
            ON CONFLICT ("Day", "LinkId", "ProjectKey", "Status") DO UPDATE SET "Count" = click_daily."Count" + excluded."Count"
            """, 1);
        daily.Parameters[0].Value = pending.DailyJson();
        await daily.ExecuteNonQueryAsync(ct);

        var project = Command(tx, "pending-project", """
            INSERT INTO click_daily_project ("Day", "ProjectKey", "Status", "Count")
            SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(@p0) WHERE true
            ON CONFLICT ("Day", "ProjectKey", "Status") DO UPDATE SET "Count" = click_daily_project."Count" + excluded."Count"
            """, 1);
        project.Parameters[0].Value = pending.ProjectJson();
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

    private async Task InsertAsync(DbTransaction tx, IReadOnlyList<Click> clicks, CancellationToken ct)
    {
        if (_connection is SqliteConnection sqlite)
        {
            // The busiest statement of the app, bound straight through SQLite's API (see SqliteClickInsert).
            var firstId = (_sqliteInsert ??= new SqliteClickInsert(sqlite)).Insert(clicks);
            if (_pending is { } pending && clicks.Count > 0)
            {
                _onCommit.Add(firstId is { } first ? () => pending.Add(clicks, first) : pending.Forget);
            }

            return;
        }

        var cmd = Command(tx, "click", """
            INSERT INTO clicks ("TrackingId", "LinkId", "PartnerId", "ProjectId", "IpAddress", "UserAgent", "Referrer", "CreatedAt", "Status", "DiscardReason")
            VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9)
            """, 10);
        var p = cmd.Parameters;
        foreach (var c in clicks)
        {
            p[0].Value = _dialect.Guid(c.TrackingId);
            p[1].Value = c.LinkId;
            p[2].Value = c.PartnerId;
            p[3].Value = (object?)c.ProjectId ?? DBNull.Value;
            p[4].Value = (object?)c.IpAddress ?? DBNull.Value;
            p[5].Value = (object?)c.UserAgent ?? DBNull.Value;
            p[6].Value = (object?)c.Referrer ?? DBNull.Value;
            p[7].Value = c.CreatedAt;
            p[8].Value = c.Status.ToString();
            p[9].Value = (object?)c.DiscardReason ?? DBNull.Value;
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    private async Task AddToRollupsAsync(DbTransaction tx, IEnumerable<ClickDaily> increments, CancellationToken ct)
    {
        var cmd = Command(tx, "daily", """
            INSERT INTO click_daily ("Day", "LinkId", "ProjectKey", "Status", "PartnerId", "Count") VALUES (@p0, @p1, @p2, @p3, @p4, @p5)
            ON CONFLICT ("Day", "LinkId", "ProjectKey", "Status") DO UPDATE SET "Count" = click_daily."Count" + excluded."Count"
            """, 6);
        var p = cmd.Parameters;
        foreach (var d in increments)
        {
            p[0].Value = d.Day;
            p[1].Value = d.LinkId;
            p[2].Value = d.ProjectKey;
            p[3].Value = d.Status.ToString();
            p[4].Value = d.PartnerId;
            p[5].Value = d.Count;
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    private async Task AddToProjectRollupsAsync(DbTransaction tx, IEnumerable<ClickDailyProject> increments, CancellationToken ct)
    {
        var cmd = Command(tx, "project", """
            INSERT INTO click_daily_project ("Day", "ProjectKey", "Status", "Count") VALUES (@p0, @p1, @p2, @p3)
            ON CONFLICT ("Day", "ProjectKey", "Status") DO UPDATE SET "Count" = click_daily_project."Count" + excluded."Count"
            """, 4);
        var p = cmd.Parameters;
        foreach (var d in increments)
        {
            p[0].Value = d.Day;
            p[1].Value = d.ProjectKey;
            p[2].Value = d.Status.ToString();
            p[3].Value = d.Count;
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _sqliteInsert?.Dispose();
        foreach (var cmd in _commands.Values)
        {
            await cmd.DisposeAsync();
        }

        await _db.DisposeAsync();
    }

    /// <summary>The statement under this name, created on first use and reused from then on.</summary>
    private DbCommand Command(DbTransaction? tx, string name, string sql, int parameters)
    {
        if (!_commands.TryGetValue(name, out var cmd))
        {
            cmd = _connection.CreateCommand();
            cmd.CommandText = sql;
            for (var i = 0; i < parameters; i++)
            {
                var p = cmd.CreateParameter();
                p.ParameterName = "@p" + i;
                p.Value = DBNull.Value;
                cmd.Parameters.Add(p);
            }

            // Microsoft.Data.Sqlite compiles the statement on its first run and keeps it while the text stays the same.
            _commands[name] = cmd;
        }

        cmd.Transaction = tx;
        return cmd;
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
