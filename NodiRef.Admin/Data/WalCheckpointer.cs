using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using NodiRef.Admin.Features.Tracking;

namespace NodiRef.Admin.Data;

/// <summary>
/// Copies the write-ahead log back into the SQLite database on a thread and connection of its own, so the
/// click writer never waits for it. Left to itself, SQLite checkpoints inside the commit that fills the log
/// past 1,000 pages: every few dozen batches one of them waits for the copy and two fsyncs, and with it every
/// request of that batch. A passive checkpoint runs beside the writer; the writer keeps SQLite's own
/// checkpoint at a larger size (<see cref="SqliteClickStore"/>) in case this one falls behind. Registered
/// for SQLite only; it does nothing on an in-memory database or with <see cref="TrackingOptions.CheckpointInterval"/> zero.
/// </summary>
public sealed class WalCheckpointer : IDisposable
{
    private readonly IDbContextFactory<AppDbContext> _dbFactory;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ManualResetEventSlim _written = new(false);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread? _thread;

    public WalCheckpointer(IDbContextFactory<AppDbContext> dbFactory, IOptions<TrackingOptions> options, TimeProvider time, ILogger<WalCheckpointer> logger)
    {
        _dbFactory = dbFactory;
        _interval = options.Value.CheckpointInterval;
        _time = time;
        _logger = logger;
        if (_interval > TimeSpan.Zero && OnFile())
        {
            _thread = new Thread(Run) { IsBackground = true, Name = "NodiRef WAL checkpointer" };
            _thread.Start();
        }
    }

    /// <summary>Whether a checkpoint thread runs (a file database and an interval).</summary>
    public bool IsRunning => _thread is not null;

    /// <summary>Raised on the checkpointer's thread after each checkpoint it tried (for tests).</summary>
    internal event Action? Checkpointed;

    /// <summary>Tells the checkpointer a commit grew the log; it checkpoints at most once per interval, and only after one.</summary>
    public void Written()
    {
        if (_thread is not null && !_written.IsSet)
        {
            _written.Set();
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _thread?.Join();
        _stopping.Dispose();
        _written.Dispose();
    }

    private bool OnFile()
    {
        try
        {
            using var db = _dbFactory.CreateDbContext();
            var sqlite = (SqliteConnection)db.Database.GetDbConnection();
            return sqlite.DataSource is not ("" or ":memory:")
                && new SqliteConnectionStringBuilder(sqlite.ConnectionString).Mode != SqliteOpenMode.Memory;
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "No checkpoints beside the click writer; SQLite checkpoints in its commits instead.");
            return false;
        }
    }

    private void Run()
    {
        AppDbContext? db = null;
        SqliteConnection? connection = null;
        while (true)
        {
            // Asleep until a commit grows the log; then let it grow for a while, so one checkpoint copies each hot
            // page once however often it was rewritten. Stopping ends either wait at once. The thread is the
            // checkpointer's own, not the pool's: blocking it on the interval costs nobody.
            try
            {
                _written.Wait(_stopping.Token);
                Task.Delay(_interval, _time, _stopping.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
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

            Checkpointed?.Invoke();
        }

        db?.Dispose();
    }
}
