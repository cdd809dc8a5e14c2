using System.Data.Common;
using Npgsql;

namespace NodiRef.Admin.Data;

/// <summary>
/// The fastest way to load many rows (the demo seeder): <see cref="SqliteBulkLoader"/> or
/// <see cref="PostgresBulkLoader"/>, registered by <see cref="AppDatabase.AddAppDatabase"/>. A load is
/// <see cref="BeginAsync"/>, transactions that write through <see cref="CreateWriter"/>, then <see cref="EndAsync"/>.
/// </summary>
public interface IBulkLoader
{
    /// <summary>Session settings for the load, on its open connection.</summary>
    Task BeginAsync(DbConnection connection, CancellationToken ct = default);

    /// <summary>
    /// Inside a load's transaction: drops the secondary indexes of <paramref name="table"/> where building
    /// them once after the load is faster than filling them row by row, and answers the statements that
    /// build them again (none where they are kept).
    /// </summary>
    Task<IReadOnlyList<string>> DropIndexesAsync(DbConnection connection, DbTransaction transaction, string table, CancellationToken ct = default);

    /// <summary>
    /// Inside a load's transaction, before partners (ids from <paramref name="firstPartnerId"/>) and their links are
    /// written: stops the partner search from following each row (SQLite: its triggers, an FTS5 update per link),
    /// and answers the statements to run after the load: the loaded partners indexed at once, then the triggers
    /// again (none where the search's indexes follow the rows themselves).
    /// </summary>
    Task<IReadOnlyList<string>> SuspendPartnerSearchAsync(DbConnection connection, DbTransaction transaction, int firstPartnerId, CancellationToken ct = default);

    /// <summary>A writer of many rows into one table: prepared single-row INSERTs on SQLite, binary COPY on PostgreSQL.</summary>
    BulkWriter CreateWriter(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns);

    /// <summary>
    /// Inside a load's transaction: counts the clicks loaded after <paramref name="lastClickIdBefore"/> into the
    /// daily rollups as the click store would have (<see cref="ClickStore.DefersRollups"/>): where the rollups
    /// trail the clicks, every click after their mark (the loaded ones and any not rolled up yet) and the mark
    /// moves to the newest.
    /// </summary>
    Task RollUpClicksAsync(DbConnection connection, DbTransaction transaction, long lastClickIdBefore, CancellationToken ct = default);

    /// <summary>
    /// After the load, outside a transaction: id generators moved past the ids written explicitly into
    /// <paramref name="tablesWithExplicitIds"/>, and the planner's statistics refreshed.
    /// </summary>
    Task EndAsync(DbConnection connection, IReadOnlyList<string> tablesWithExplicitIds, CancellationToken ct = default);
}

public sealed class SqliteBulkLoader : IBulkLoader
{
    public Task BeginAsync(DbConnection connection, CancellationToken ct = default) =>
        BulkLoad.ExecuteAsync(connection, null, "PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;", ct);

    // A table's rows go in by row id, but each index is filled in its own key order: for random keys
    // (a partner, a link) that is a random page per row, where CREATE INDEX sorts once.
    public async Task<IReadOnlyList<string>> DropIndexesAsync(DbConnection connection, DbTransaction transaction, string table, CancellationToken ct = default)
    {
        var indexes = await SchemaAsync(connection, transaction, "type = 'index' AND tbl_name = @value AND sql IS NOT NULL", table, ct);

        foreach (var (name, _) in indexes)
        {
            await BulkLoad.ExecuteAsync(connection, transaction, $"DROP INDEX \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", ct);
        }

        return indexes.Select(i => i.Sql).ToList();
    }

    public async Task<IReadOnlyList<string>> SuspendPartnerSearchAsync(DbConnection connection, DbTransaction transaction, int firstPartnerId, CancellationToken ct = default)
    {
        var triggers = await SchemaAsync(connection, transaction, "type = 'trigger' AND substr(name, 1, length(@value)) = @value", SqlitePartnerSearch.TriggerPrefix, ct);

        foreach (var (name, _) in triggers)
        {
            await BulkLoad.ExecuteAsync(connection, transaction, $"DROP TRIGGER \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", ct);
        }

        return [SqlitePartnerSearch.IndexFrom(firstPartnerId), .. triggers.Select(t => t.Sql)];
    }

    public BulkWriter CreateWriter(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns) =>
        new PreparedInsertWriter(connection, transaction, table, columns);

    /// <summary>The names and statements of the schema objects matching <paramref name="where"/> (with <c>@value</c>).</summary>
    private static async Task<List<(string Name, string Sql)>> SchemaAsync(DbConnection connection, DbTransaction transaction, string where, string value, CancellationToken ct)
    {
        var found = new List<(string Name, string Sql)>();
        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = $"SELECT name, sql FROM sqlite_master WHERE {where}";
        var p = read.CreateParameter();
        p.ParameterName = "@value";
        p.Value = value;
        read.Parameters.Add(p);
        await using var reader = await read.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            found.Add((reader.GetString(0), reader.GetString(1)));
        }

        return found;
    }

    // The rollups trail the clicks: from their mark, which then moves to the newest click.
    public async Task RollUpClicksAsync(DbConnection connection, DbTransaction transaction, long lastClickIdBefore, CancellationToken ct = default)
    {
        long mark;
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = """SELECT COALESCE((SELECT "RolledUpThrough" FROM click_rollup_state WHERE "Id" = 1), 0)""";
            mark = Convert.ToInt64(await read.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }

        await BulkLoad.RollUpClicksAsync(connection, transaction, "date(\"CreatedAt\")", mark, ct);
        await BulkLoad.ExecuteAsync(connection, transaction, """
            INSERT INTO click_rollup_state ("Id", "RolledUpThrough") SELECT 1, COALESCE(MAX("Id"), 0) FROM clicks WHERE true
            ON CONFLICT ("Id") DO UPDATE SET "RolledUpThrough" = excluded."RolledUpThrough"
            """, ct);
    }

    // AUTOINCREMENT keys follow explicit ids by themselves.
    public Task EndAsync(DbConnection connection, IReadOnlyList<string> tablesWithExplicitIds, CancellationToken ct = default) =>
        BulkLoad.ExecuteAsync(connection, null, "PRAGMA analysis_limit=2000; ANALYZE; PRAGMA optimize;", ct);
}

public sealed class PostgresBulkLoader : IBulkLoader
{
    // One big transaction gains nothing from an asynchronous commit, and VACUUM cannot mark the
    // pages of a transaction whose commit is not yet flushed as all-visible (no index-only scans).
    public Task BeginAsync(DbConnection connection, CancellationToken ct = default) =>
        BulkLoad.ExecuteAsync(connection, null, "SET synchronous_commit = on", ct);

    // Kept: the PostgreSQL load was measured with its indexes in place (bench/postgres.sh).
    public Task<IReadOnlyList<string>> DropIndexesAsync(DbConnection connection, DbTransaction transaction, string table, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    // The pg_trgm indexes follow the rows as COPY writes them.
    public Task<IReadOnlyList<string>> SuspendPartnerSearchAsync(DbConnection connection, DbTransaction transaction, int firstPartnerId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    public BulkWriter CreateWriter(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns) =>
        new CopyWriter((NpgsqlConnection)connection, table, columns);

    // Each batch of the click store adds to the rollups: only the loaded clicks are missing.
    public Task RollUpClicksAsync(DbConnection connection, DbTransaction transaction, long lastClickIdBefore, CancellationToken ct = default) =>
        BulkLoad.RollUpClicksAsync(connection, transaction, "(\"CreatedAt\" AT TIME ZONE 'UTC')::date", lastClickIdBefore, ct);

    public async Task EndAsync(DbConnection connection, IReadOnlyList<string> tablesWithExplicitIds, CancellationToken ct = default)
    {
        foreach (var table in tablesWithExplicitIds)
        {
            await BulkLoad.ExecuteAsync(connection, null, $"""SELECT setval(pg_get_serial_sequence('{table}', 'Id'), GREATEST((SELECT MAX("Id") FROM {table}), 1))""", ct);
        }

        // VACUUM also sets the visibility map, which lets counts and sorted pages use index-only
        // scans. Only the app's tables: the shared catalogs are the superuser's.
        await using var list = connection.CreateCommand();
        list.CommandText = "SELECT string_agg(quote_ident(tablename), ', ') FROM pg_tables WHERE schemaname = current_schema() AND tableowner = current_user";
        if (await list.ExecuteScalarAsync(ct) is string tables)
        {
            await BulkLoad.ExecuteAsync(connection, null, $"VACUUM (ANALYZE) {tables}", ct);
        }
    }
}

/// <summary>The statements both loaders run alike.</summary>
internal static class BulkLoad
{
    public static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Adds the clicks after <paramref name="after"/> to both rollups, <paramref name="day"/> being the UTC day of "CreatedAt".</summary>
    public static async Task RollUpClicksAsync(DbConnection connection, DbTransaction transaction, string day, long after, CancellationToken ct)
    {
        foreach (var sql in new[]
        {
            $"""
            INSERT INTO click_daily ("Day", "LinkId", "ProjectKey", "Status", "PartnerId", "Count")
            SELECT {day}, "LinkId", COALESCE("ProjectId", 0), "Status", MIN("PartnerId"), COUNT(*)
            FROM clicks WHERE "Id" > @after
            GROUP BY {day}, "LinkId", COALESCE("ProjectId", 0), "Status"
            ON CONFLICT ("Day", "LinkId", "ProjectKey", "Status") DO UPDATE SET "Count" = click_daily."Count" + excluded."Count"
            """,
            $"""
            INSERT INTO click_daily_project ("Day", "ProjectKey", "Status", "Count")
            SELECT {day}, COALESCE("ProjectId", 0), "Status", COUNT(*)
            FROM clicks WHERE "Id" > @after
            GROUP BY {day}, COALESCE("ProjectId", 0), "Status"
            ON CONFLICT ("Day", "ProjectKey", "Status") DO UPDATE SET "Count" = click_daily_project."Count" + excluded."Count"
            """,
        })
        {
            await using var rollup = connection.CreateCommand();
            rollup.Transaction = transaction;
            rollup.CommandText = sql;
            rollup.CommandTimeout = 0;
            var p = rollup.CreateParameter();
            p.ParameterName = "@after";
            p.Value = after;
            rollup.Parameters.Add(p);
            await rollup.ExecuteNonQueryAsync(ct);
        }
    }
}
