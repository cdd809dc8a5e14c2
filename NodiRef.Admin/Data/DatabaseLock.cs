using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace NodiRef.Admin.Data;

/// <summary>
/// Locks that every app instance on one database shares: <see cref="SqliteDatabaseLock"/> or
/// <see cref="PostgresDatabaseLock"/>, registered by <see cref="AppDatabase.AddAppDatabase"/>.
/// </summary>
public interface IDatabaseLock
{
    /// <summary>
    /// Holds the lock <paramref name="name"/> on an open <paramref name="connection"/> until disposed, for
    /// check-then-create steps such as start-up (roles, the first admin).
    /// </summary>
    Task<IAsyncDisposable> HoldAsync(DbConnection connection, string name, CancellationToken ct = default);

    /// <summary>
    /// Holds the migration lock of <paramref name="db"/>'s database until disposed, for a whole run of
    /// migrations (EF's own lock is released at each migration's commit, so two instances starting together
    /// could otherwise both apply a later one). It lives outside the context's connection, which EF opens
    /// and closes as it migrates.
    /// </summary>
    Task<IAsyncDisposable> HoldForMigrationAsync(AppDbContext db, CancellationToken ct = default);
}

/// <summary>
/// On SQLite, a single file used by one instance, named locks are no-ops. Migrations of a file run under an
/// OS lock on a side file, <c>&lt;db&gt;.migrate.lock</c> (opened with FileShare.None: an exclusive flock on
/// Linux, released by the OS when the process dies, kill -9 included). EF's own SQLite migration lock is a
/// row in <c>__EFMigrationsLock</c> that a killed process leaves behind, after which every start waits for
/// it forever; while we hold the side file no other instance can be migrating, so such a row is stale and
/// is deleted. An in-memory database has nobody else to wait for.
/// </summary>
public sealed class SqliteDatabaseLock(TimeProvider time, ILogger<SqliteDatabaseLock> logger) : IDatabaseLock
{
    /// <summary>EF Core's lock table for SQLite migrations (SqliteHistoryRepository).</summary>
    public const string EfLockTable = "__EFMigrationsLock";

    /// <summary>How long a start waits before it tries the side file again.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(200);

    private static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(30);

    public Task<IAsyncDisposable> HoldAsync(DbConnection connection, string name, CancellationToken ct = default) =>
        Task.FromResult<IAsyncDisposable>(NoLock.Instance);

    public async Task<IAsyncDisposable> HoldForMigrationAsync(AppDbContext db, CancellationToken ct = default)
    {
        var connectionString = db.Database.GetConnectionString() ?? db.Database.GetDbConnection().ConnectionString;
        if (LockFileOf(connectionString) is not { } lockFile)
        {
            return NoLock.Instance;
        }

        var file = await AcquireAsync(lockFile, ct);
        try
        {
            await ClearStaleEfLockAsync(db, ct);
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>The side file of a SQLite file database; null for an in-memory one.</summary>
    private static string? LockFileOf(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var source = builder.DataSource;
        if (builder.Mode == SqliteOpenMode.Memory || source is "" or ":memory:" || source.StartsWith("file::memory:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return Path.GetFullPath(source) + ".migrate.lock";
    }

    /// <summary>Waits (logging while it does) until no other process holds the side file, then holds it until disposed.</summary>
    private async Task<FileStream> AcquireAsync(string lockFile, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var reported = TimeSpan.MinValue;
        while (true)
        {
            try
            {
                return new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (!ct.IsCancellationRequested)
            {
                var waited = time.GetElapsedTime(started);
                if (reported == TimeSpan.MinValue || waited - reported >= ReportInterval)
                {
                    reported = waited;
                    logger.LogWarning("Another process is migrating this database (it holds {LockFile}); waiting for it ({Elapsed:F0} s so far).", lockFile, waited.TotalSeconds);
                }
            }

            await Task.Delay(RetryInterval, time, ct);
        }
    }

    /// <summary>Deletes EF's lock row, left behind by a process killed while migrating. Call only while holding the side file.</summary>
    private async Task ClearStaleEfLockAsync(AppDbContext db, CancellationToken ct)
    {
        var exists = await db.Database
            .SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = {EfLockTable}")
            .SingleAsync(ct);
        if (exists == 0)
        {
            return;
        }

        // Counted first so a database that takes no writes (a read-only file, nothing to migrate) still starts.
        var rows = await db.Database.SqlQueryRaw<int>($"SELECT COUNT(*) AS \"Value\" FROM \"{EfLockTable}\"").SingleAsync(ct);
        if (rows > 0)
        {
            await db.Database.ExecuteSqlRawAsync($"DELETE FROM \"{EfLockTable}\"", ct);
            logger.LogWarning("Deleted a stale EF migration lock ({Table}): a previous run was stopped while migrating. No other process can be migrating now (this one holds the migration lock file).", EfLockTable);
        }
    }
}

/// <summary>
/// On PostgreSQL, session-level advisory locks: released when disposed, or by the server if the connection
/// dies. The migration lock lives on a connection of its own, which EF cannot close and hand back to the pool halfway.
/// </summary>
public sealed class PostgresDatabaseLock : IDatabaseLock
{
    private const string MigrationLock = "nodiref:migrate";

    public async Task<IAsyncDisposable> HoldAsync(DbConnection connection, string name, CancellationToken ct = default)
    {
        var key = LockKey(name);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT pg_advisory_lock({key})";
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(ct);
        }

        return new AdvisoryLock(connection, key);
    }

    public async Task<IAsyncDisposable> HoldForMigrationAsync(AppDbContext db, CancellationToken ct = default)
    {
        var connection = new NpgsqlConnection(db.Database.GetConnectionString() ?? db.Database.GetDbConnection().ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            return new OwnConnectionLock(connection, await HoldAsync(connection, MigrationLock, ct));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

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

    private sealed class AdvisoryLock(DbConnection connection, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT pg_advisory_unlock({key})";
            await command.ExecuteNonQueryAsync();
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
}

/// <summary>What a lock or snapshot answers where the database needs none: disposing it does nothing.</summary>
internal sealed class NoLock : IAsyncDisposable
{
    public static readonly NoLock Instance = new();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
