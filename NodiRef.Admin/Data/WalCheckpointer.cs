using Microsoft.Data.Sqlite;

namespace NodiRef.Admin.Data;

/// <summary>
/// Copies the write-ahead log back into the SQLite database on a thread and connection of its own, so the
/// click writer never waits for it. Left to itself, SQLite checkpoints inside the commit that fills the log
/// past 1,000 pages: every few dozen batches one of them waits for the copy and two fsyncs, and with it every
/// request of that batch. A passive checkpoint runs beside the writer; the writer keeps SQLite's own
/// checkpoint at a larger size (<see cref="SqlDialect.ClickWriterSessionSql"/>) in case this one falls behind.
/// </summary>
public sealed class WalCheckpointer : IDisposable
{
    private readonly IDbContextFactory<AppDbContext> _dbFactory;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly ManualResetEventSlim _written = new(false);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread _thread;

    private WalCheckpointer(IDbContextFactory<AppDbContext> dbFactory, TimeSpan interval, ILogger logger)
    {
        _dbFactory = dbFactory;
        _interval = interval;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "NodiRef WAL checkpointer" };
        _thread.Start();
    }

    /// <summary>
    /// A checkpointer for this database, or null where it needs none: no SQLite write-ahead log (PostgreSQL, an
    /// in-memory database) or an interval of zero.
    /// </summary>
    public static WalCheckpointer? Start(IDbContextFactory<AppDbContext> dbFactory, TimeSpan interval, ILogger logger)
    {
        using var db = dbFactory.CreateDbContext();
        var onFile = db.Database.GetDbConnection() is SqliteConnection sqlite
            && sqlite.DataSource is not ("" or ":memory:")
            && new SqliteConnectionStringBuilder(sqlite.ConnectionString).Mode != SqliteOpenMode.Memory;
        return onFile && interval > TimeSpan.Zero ? new WalCheckpointer(dbFactory, interval, logger) : null;
    }

    /// <summary>Tells the checkpointer a commit grew the log; it checkpoints at most once per interval, and only after one.</summary>
    public void Written()
    {
        if (!_written.IsSet)
        {
            _written.Set();
        }
    }

    private void Run()
    {
        AppDbContext? db = null;
        SqliteConnection? connection = null;
        while (true)
        {
            // Asleep until a commit grows the log; then let it grow for a while, so one checkpoint copies each hot
            // page once however often it was rewritten. Stopping ends either wait at once.
            try
            {
                _written.Wait(_stopping.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (_stopping.Token.WaitHandle.WaitOne(_interval))
            {
                break;
            }

            _written.Reset();
            try
            {
                if (connection is null)
                {
                    db = _dbFactory.CreateDbContext();
                    db.Database.OpenConnection();
                    connection = (SqliteConnection)db.Database.GetDbConnection();
                }

                // Straight through SQLite's API: a checkpoint another connection is running answers "busy" at
                // once, where a command would retry it until its timeout.
                var rc = SQLitePCL.raw.sqlite3_wal_checkpoint_v2(connection.Handle, null, SQLitePCL.raw.SQLITE_CHECKPOINT_PASSIVE, out _, out _);
                if (rc is not SQLitePCL.raw.SQLITE_OK and not SQLitePCL.raw.SQLITE_BUSY and not SQLitePCL.raw.SQLITE_LOCKED)
                {
                    SqliteException.ThrowExceptionForRC(rc, connection.Handle);
                }
            }
            catch (Exception e)
            {
                // SQLite's own checkpoint in the writer's commits still bounds the log meanwhile.
                _logger.LogWarning(e, "Could not checkpoint the write-ahead log; trying again after the next write.");
                db?.Dispose();
                db = null;
                connection = null;
            }
        }

        db?.Dispose();
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _thread.Join();
        _stopping.Dispose();
        _written.Dispose();
    }
}
