using Microsoft.EntityFrameworkCore;

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
    private readonly string _sql;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly ManualResetEventSlim _written = new(false);
    private readonly Thread _thread;
    private volatile bool _stopping;

    private WalCheckpointer(IDbContextFactory<AppDbContext> dbFactory, string sql, TimeSpan interval, ILogger logger)
    {
        _dbFactory = dbFactory;
        _sql = sql;
        _interval = interval;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "NodiRef WAL checkpointer" };
        _thread.Start();
    }

    /// <summary>
    /// A checkpointer for this database, or null where it needs none: no write-ahead log (an in-memory database,
    /// PostgreSQL: <see cref="SqlDialect.WalCheckpointSql"/>) or an interval of zero.
    /// </summary>
    public static WalCheckpointer? Start(IDbContextFactory<AppDbContext> dbFactory, TimeSpan interval, ILogger logger)
    {
        using var db = dbFactory.CreateDbContext();
        var inMemory = db.Database.GetDbConnection() is Microsoft.Data.Sqlite.SqliteConnection sqlite
            && (sqlite.DataSource is "" or ":memory:" || new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(sqlite.ConnectionString).Mode == Microsoft.Data.Sqlite.SqliteOpenMode.Memory);
        return SqlDialect.For(db.Database).WalCheckpointSql is { } sql && interval > TimeSpan.Zero && !inMemory
            ? new WalCheckpointer(dbFactory, sql, interval, logger)
            : null;
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
        System.Data.Common.DbCommand? checkpoint = null;
        while (true)
        {
            _written.Wait();
            if (_stopping)
            {
                break;
            }

            // Let the log grow for a while: one checkpoint then copies each hot page once, however often it was rewritten.
            Thread.Sleep(_interval);
            _written.Reset();
            try
            {
                if (checkpoint is null)
                {
                    db = _dbFactory.CreateDbContext();
                    db.Database.OpenConnection();
                    checkpoint = db.Database.GetDbConnection().CreateCommand();
                    checkpoint.CommandText = _sql;
                }

                checkpoint.ExecuteNonQuery();
            }
            catch (Exception e)
            {
                // SQLite's own checkpoint in the writer's commits still bounds the log meanwhile.
                _logger.LogWarning(e, "Could not checkpoint the write-ahead log; trying again after the next write.");
                checkpoint?.Dispose();
                checkpoint = null;
                db?.Dispose();
                db = null;
            }
        }

        checkpoint?.Dispose();
        db?.Dispose();
    }

    public void Dispose()
    {
        _stopping = true;
        _written.Set();
        _thread.Join();
        _written.Dispose();
    }
}
