using Microsoft.EntityFrameworkCore;

namespace NodiRef.Admin.Data;

/// <summary>
/// Copies SQLite's write-ahead log back into the database file on its own connection, so that the
/// click writer's commits never wait for it. By default the connection whose commit takes the log
/// past 1,000 pages does that copy itself, with two fsyncs, while every click of the next batch
/// waits; with millions of clicks, whose index pages are scattered over gigabytes, that was most
/// of a batch's time. Here a passive checkpoint runs beside the writer every 100 ms and never
/// blocks it. Under steady load a pass never quite catches up (the writer appends while it copies),
/// and SQLite starts the log over only once it has been copied entirely; so when the log reaches
/// 256 MB a restart checkpoint pauses the writer just long enough to copy what the last pass left.
/// </summary>
public sealed class WalCheckpointer(IDbContextFactory<AppDbContext> dbFactory, ILogger logger)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    // Pages of 4 KB: 256 MB. Each restart pauses the writer for a few milliseconds; this makes them rare.
    private const long RestartPages = 65_536;

    /// <summary>Whether the database runs in WAL mode (a file database; in-memory ones have no log to copy).</summary>
    public async Task<bool> AppliesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Database.IsSqlite())
        {
            return false;
        }

        await db.Database.OpenConnectionAsync(ct);
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        return string.Equals(await cmd.ExecuteScalarAsync(ct) as string, "wal", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Checkpoints every few hundred milliseconds until stopped.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Interval);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(stop);
                await db.Database.OpenConnectionAsync(stop);
                await using var passive = db.Database.GetDbConnection().CreateCommand();
                passive.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                await using var restart = db.Database.GetDbConnection().CreateCommand();

                // A restart waits for the writer's transaction and for readers of the old log: not for long.
                restart.CommandText = "PRAGMA busy_timeout=250; PRAGMA wal_checkpoint(RESTART); PRAGMA busy_timeout=10000;";
                while (await timer.WaitForNextTickAsync(stop))
                {
                    long pages;
                    await using (var reader = await passive.ExecuteReaderAsync(stop))
                    {
                        await reader.ReadAsync(stop);
                        pages = reader.GetInt64(1);
                    }

                    if (pages >= RestartPages)
                    {
                        await restart.ExecuteNonQueryAsync(stop);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "WAL checkpoint failed; retrying on a new connection.");
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
        }
    }
}
