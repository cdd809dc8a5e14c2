using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace NodiRef.Admin.Data;

/// <summary>
/// The SQL that differs between the databases, in one place: the raw-SQL paths of the data layer
/// (click batches, the demo seeder) ask for it here instead of testing the provider themselves.
/// Everything else goes through EF, which translates for each provider.
/// </summary>
public abstract class SqlDialect
{
    public static readonly SqlDialect Sqlite = new SqliteDialect();
    public static readonly SqlDialect Postgres = new PostgresDialect();

    public abstract DatabaseProvider Provider { get; }

    public static SqlDialect For(DatabaseFacade database) => For(database.ProviderName);

    public static SqlDialect For(DbConnection connection) => connection is NpgsqlConnection ? Postgres : Sqlite;

    private static SqlDialect For(string? providerName) =>
        providerName == "Npgsql.EntityFrameworkCore.PostgreSQL" ? Postgres : Sqlite;

    /// <summary>A Guid as EF stores it, for binding to a raw command: upper-case TEXT on SQLite, uuid on PostgreSQL.</summary>
    public abstract object Guid(Guid value);

    /// <summary>The UTC calendar day of a timestamp column, in the form a <see cref="DateOnly"/> column stores it.</summary>
    public abstract string UtcDay(string quotedColumn);

    /// <summary>
    /// A condition that <paramref name="quotedColumn"/> is one of the values bound, through
    /// <see cref="ListValue"/>, to the single parameter <paramref name="parameter"/>: one statement
    /// text whatever the number of values, so it is compiled once.
    /// </summary>
    public abstract string InList(string quotedColumn, string parameter);

    /// <summary>The value to bind to the parameter of <see cref="InList"/>.</summary>
    public abstract object ListValue(IReadOnlyCollection<string> values);

    /// <summary>
    /// A query of one row of two integers that changes whenever the database was written by anyone
    /// but the connection asking, including other work on that same connection (the click writer
    /// trusts the links it remembers only while it does not change); null when the database cannot tell.
    /// </summary>
    public abstract string? ChangeStampSql { get; }

    /// <summary>Settings of the click writer's connection, which stays open while the app runs; null for none.</summary>
    public abstract string? ClickWriterSessionSql { get; }

    /// <summary>
    /// Whether the click rollups trail the clicks (<see cref="Domain.ClickRollupState"/>): true where one
    /// writer owns the database (SQLite), so click ids are committed in order and "every click after id N"
    /// is exact; the rollups then grow in one statement a second instead of a random page per click,
    /// and readers add the clicks after N themselves. False where several instances write clicks
    /// (PostgreSQL): each batch adds to the rollups in its own transaction.
    /// </summary>
    public abstract bool DefersClickRollups { get; }

    /// <summary>
    /// Appended to the click writer's read of a batch's links: on PostgreSQL the links read are locked
    /// against deletion until the batch commits (clicks have no foreign keys, so nothing else stops a link
    /// from being deleted between that read and the insert); nothing on SQLite, where the batch holds the
    /// only write lock from its first statement.
    /// </summary>
    public abstract string LinkReadLock { get; }

    /// <summary>
    /// Makes the context's next queries read one consistent state of the database until disposed, where
    /// readers need it: on SQLite, rollups and their mark read in separate statements must not straddle a
    /// rollup (a deferred transaction: a snapshot, no lock). Nothing on PostgreSQL, whose rollups move
    /// with the clicks in each batch.
    /// </summary>
    public abstract Task<IAsyncDisposable> ReadSnapshotAsync(AppDbContext db, CancellationToken ct = default);

    /// <summary>
    /// Holds a lock shared by every app instance on this database until disposed, for check-then-create
    /// steps such as start-up (roles, the first admin). On SQLite, a single file used by one instance, it is a no-op.
    /// </summary>
    public abstract Task<IAsyncDisposable> LockAsync(DbConnection connection, string name, CancellationToken ct = default);

    /// <summary>
    /// The same lock on a connection of its own (opened here, closed on dispose), for work that opens and
    /// closes its connections itself, such as applying migrations.
    /// </summary>
    public abstract Task<IAsyncDisposable> LockOnOwnConnectionAsync(string connectionString, string name, CancellationToken ct = default);

    /// <summary>Session settings for a bulk load (the seeder).</summary>
    public abstract Task BeginBulkLoadAsync(DbConnection connection, CancellationToken ct = default);

    /// <summary>
    /// After a bulk load: id generators moved past the ids written explicitly into <paramref name="tablesWithExplicitIds"/>,
    /// and the planner's statistics refreshed. Run outside a transaction.
    /// </summary>
    public abstract Task EndBulkLoadAsync(DbConnection connection, IReadOnlyList<string> tablesWithExplicitIds, CancellationToken ct = default);

    /// <summary>
    /// Inside a bulk load's transaction: drops the secondary indexes of <paramref name="table"/> where
    /// building them once after the load is faster than filling them row by row, and answers the
    /// statements that build them again (none where they are kept).
    /// </summary>
    public abstract Task<IReadOnlyList<string>> DropIndexesForBulkLoadAsync(DbConnection connection, DbTransaction transaction, string table, CancellationToken ct = default);

    /// <summary>The fastest way to write many rows into one table: prepared single-row INSERTs on SQLite, binary COPY on PostgreSQL.</summary>
    public abstract BulkWriter CreateBulkWriter(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns);

    private protected static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(ct);
    }

    private sealed class SqliteDialect : SqlDialect
    {
        public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

        public override object Guid(Guid value) => value.ToString().ToUpperInvariant();

        // EF stores DateTime as "yyyy-MM-dd HH:mm:ss..." and DateOnly as "yyyy-MM-dd": date() maps one to the other.
        public override string UtcDay(string quotedColumn) => $"date({quotedColumn})";

        public override string InList(string quotedColumn, string parameter) => $"{quotedColumn} IN (SELECT value FROM json_each({parameter}))";

        public override object ListValue(IReadOnlyCollection<string> values) => JsonSerializer.Serialize(values);

        // data_version moves when another connection commits; total_changes() counts the rows this
        // connection wrote, which covers a connection shared with other work (an in-memory database).
        public override string? ChangeStampSql => "SELECT data_version, total_changes() FROM pragma_data_version()";

        // The writer revisits the same pages batch after batch (the ends of the click log's indexes,
        // today's rollup rows, the links it resolves) in a file far larger than the 1 GB mapped into
        // memory (SqlitePragmas): keeping them in its own page cache saves a read system call for
        // each; the pool's connections keep 8 MB. It fills only as pages are used.
        // SQLite's own checkpoint at 10,000 pages (40 MB) only if the WalCheckpointer falls behind.
        public override string? ClickWriterSessionSql => "PRAGMA cache_size=-262144; PRAGMA wal_autocheckpoint=10000";

        public override bool DefersClickRollups => true;

        public override async Task<IAsyncDisposable> ReadSnapshotAsync(AppDbContext db, CancellationToken ct = default)
        {
            if (db.Database.CurrentTransaction is not null)
            {
                return NoLock.Instance;
            }

            await db.Database.OpenConnectionAsync(ct);
            var tx = ((Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection()).BeginTransaction(deferred: true);
            await db.Database.UseTransactionAsync(tx, ct);
            return new Snapshot(db, tx);
        }

        public override string LinkReadLock => "";

        public override Task<IAsyncDisposable> LockAsync(DbConnection connection, string name, CancellationToken ct = default) =>
            Task.FromResult<IAsyncDisposable>(NoLock.Instance);

        public override Task<IAsyncDisposable> LockOnOwnConnectionAsync(string connectionString, string name, CancellationToken ct = default) =>
            Task.FromResult<IAsyncDisposable>(NoLock.Instance);

        public override Task BeginBulkLoadAsync(DbConnection connection, CancellationToken ct = default) =>
            ExecuteAsync(connection, "PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;", ct);

        // AUTOINCREMENT keys follow explicit ids by themselves.
        public override Task EndBulkLoadAsync(DbConnection connection, IReadOnlyList<string> tablesWithExplicitIds, CancellationToken ct = default) =>
            ExecuteAsync(connection, "PRAGMA analysis_limit=2000; ANALYZE; PRAGMA optimize;", ct);

        // A table's rows go in by row id, but each index is filled in its own key order: for random keys
        // (a partner, a link) that is a random page per row, where CREATE INDEX sorts once.
        public override async Task<IReadOnlyList<string>> DropIndexesForBulkLoadAsync(DbConnection connection, DbTransaction transaction, string table, CancellationToken ct = default)
        {
            var indexes = new List<(string Name, string Sql)>();
            await using (var read = connection.CreateCommand())
            {
                read.Transaction = transaction;
                read.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = @table AND sql IS NOT NULL";
                var p = read.CreateParameter();
                p.ParameterName = "@table";
                p.Value = table;
                read.Parameters.Add(p);
                await using var reader = await read.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    indexes.Add((reader.GetString(0), reader.GetString(1)));
                }
            }

            foreach (var (name, _) in indexes)
            {
                await using var drop = connection.CreateCommand();
                drop.Transaction = transaction;
                drop.CommandText = $"DROP INDEX \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
                await drop.ExecuteNonQueryAsync(ct);
            }

            return indexes.Select(i => i.Sql).ToList();
        }

        public override BulkWriter CreateBulkWriter(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns) =>
            new PreparedInsertWriter(connection, transaction, table, columns);
    }

    private sealed class PostgresDialect : SqlDialect
    {
        public override DatabaseProvider Provider => DatabaseProvider.Postgres;

        public override object Guid(Guid value) => value;

        public override string UtcDay(string quotedColumn) => $"({quotedColumn} AT TIME ZONE 'UTC')::date";

        public override string InList(string quotedColumn, string parameter) => $"{quotedColumn} = ANY({parameter})";

        public override object ListValue(IReadOnlyCollection<string> values) => values.ToArray();

        // Nothing cheap tells a session that someone else committed: the click writer reads every batch's links.
        public override string? ChangeStampSql => null;

        public override string? ClickWriterSessionSql => null;

        public override bool DefersClickRollups => false;

        public override Task<IAsyncDisposable> ReadSnapshotAsync(AppDbContext db, CancellationToken ct = default) =>
            Task.FromResult<IAsyncDisposable>(NoLock.Instance);

        public override string LinkReadLock => "FOR KEY SHARE OF l";

        public override async Task<IAsyncDisposable> LockAsync(DbConnection connection, string name, CancellationToken ct = default)
        {
            // A session-level advisory lock: released when disposed, or by the server if the connection dies.
            var key = LockKey(name);
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = $"SELECT pg_advisory_lock({key})";
                command.CommandTimeout = 0;
                await command.ExecuteNonQueryAsync(ct);
            }

            return new AdvisoryLock(connection, key);
        }

        // One big transaction gains nothing from an asynchronous commit, and VACUUM cannot mark the
        // pages of a transaction whose commit is not yet flushed as all-visible (no index-only scans).
        public override Task BeginBulkLoadAsync(DbConnection connection, CancellationToken ct = default) =>
            ExecuteAsync(connection, "SET synchronous_commit = on", ct);

        public override async Task EndBulkLoadAsync(DbConnection connection, IReadOnlyList<string> tablesWithExplicitIds, CancellationToken ct = default)
        {
            foreach (var table in tablesWithExplicitIds)
            {
                await ExecuteAsync(connection, $"""SELECT setval(pg_get_serial_sequence('{table}', 'Id'), GREATEST((SELECT MAX("Id") FROM {table}), 1))""", ct);
            }

            // VACUUM also sets the visibility map, which lets counts and sorted pages use index-only
            // scans. Only the app's tables: the shared catalogs are the superuser's.
            await using var list = connection.CreateCommand();
            list.CommandText = "SELECT string_agg(quote_ident(tablename), ', ') FROM pg_tables WHERE schemaname = current_schema() AND tableowner = current_user";
            if (await list.ExecuteScalarAsync(ct) is string tables)
            {
                await ExecuteAsync(connection, $"VACUUM (ANALYZE) {tables}", ct);
            }
        }

        // Kept: the PostgreSQL load was measured with its indexes in place (bench/postgres.sh).
        public override Task<IReadOnlyList<string>> DropIndexesForBulkLoadAsync(DbConnection connection, DbTransaction transaction, string table, CancellationToken ct = default) =>
            Task.FromResult<IReadOnlyList<string>>([]);

        public override BulkWriter CreateBulkWriter(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns) =>
            new CopyWriter((NpgsqlConnection)connection, table, columns);

        // FNV-1a of the name: the same key in every instance and every version of the app.
        private static long LockKey(string name)
        {
            var hash = 14695981039346656037UL;
            foreach (var c in name)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            return unchecked((long)hash);
        }

        public override async Task<IAsyncDisposable> LockOnOwnConnectionAsync(string connectionString, string name, CancellationToken ct = default)
        {
            var connection = new NpgsqlConnection(connectionString);
            try
            {
                await connection.OpenAsync(ct);
                return new OwnConnectionLock(connection, await LockAsync(connection, name, ct));
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }

        private sealed class OwnConnectionLock(NpgsqlConnection connection, IAsyncDisposable inner) : IAsyncDisposable
        {
            public async ValueTask DisposeAsync()
            {
                await inner.DisposeAsync();
                await connection.DisposeAsync();
            }
        }

        private sealed class AdvisoryLock(DbConnection connection, long key) : IAsyncDisposable
        {
            public async ValueTask DisposeAsync()
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT pg_advisory_unlock({key})";
                await command.ExecuteNonQueryAsync();
            }
        }
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

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
