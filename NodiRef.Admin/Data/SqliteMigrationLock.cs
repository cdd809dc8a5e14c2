using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace NodiRef.Admin.Data;

/// <summary>
/// Migrations of a SQLite file run under an OS lock on a side file, <c>&lt;db&gt;.migrate.lock</c> (opened
/// with FileShare.None: an exclusive flock on Linux, released by the OS when the process dies, kill -9
/// included). EF's own SQLite migration lock is a row in <c>__EFMigrationsLock</c> that a killed process
/// leaves behind, after which every start waits for it forever; while we hold the side file no other
/// instance can be migrating, so such a row is stale and is deleted.
/// </summary>
public sealed class SqliteMigrationLock : IAsyncDisposable
{
    /// <summary>EF Core's lock table for SQLite migrations (SqliteHistoryRepository).</summary>
    public const string EfLockTable = "__EFMigrationsLock";

    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(30);

    private readonly FileStream _file;

    private SqliteMigrationLock(FileStream file) => _file = file;

    /// <summary>The side file of a SQLite file database; null for an in-memory one (nothing else can migrate it).</summary>
    public static string? LockFileOf(string connectionString)
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
    public static async Task<SqliteMigrationLock> AcquireAsync(string lockFile, ILogger logger, CancellationToken ct = default)
    {
        var waiting = Stopwatch.StartNew();
        var reported = TimeSpan.MinValue;
        while (true)
        {
            try
            {
                return new SqliteMigrationLock(new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (!ct.IsCancellationRequested)
            {
                if (reported == TimeSpan.MinValue || waiting.Elapsed - reported >= ReportInterval)
                {
                    reported = waiting.Elapsed;
                    logger.LogWarning("Another process is migrating this database (it holds {LockFile}); waiting for it ({Elapsed:F0} s so far).", lockFile, waiting.Elapsed.TotalSeconds);
                }
            }

            await Task.Delay(RetryInterval, ct);
        }
    }

    /// <summary>Deletes EF's lock row, left behind by a process killed while migrating. Call only while holding the side file.</summary>
    public static async Task ClearStaleEfLockAsync(AppDbContext db, ILogger logger, CancellationToken ct = default)
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

    public async ValueTask DisposeAsync() => await _file.DisposeAsync();
}
