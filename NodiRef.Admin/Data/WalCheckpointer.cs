using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace NodiRef.Admin.Data;

/// <summary>
/// Copies SQLite's write-ahead log back into the database file on its own connection, so that the
/// click writer's commits never wait for it. By default the connection whose commit takes the log
/// past 1,000 pages does that copy itself, with two fsyncs, while every click of the next batch
/// waits; with millions of clicks, whose index pages are scattered over gigabytes, that was most
/// of a batch's time. Here a passive checkpoint runs beside the writer every 100 ms and never
/// blocks it. Under steady load a pass never quite catches up (the writer appends while it copies),
/// and SQLite starts the log over only once all of it has been copied; so when the log reaches
/// 64 MB, the checkpointer holds the writer back between two batches (<c>writerGate</c>) for one
/// more pass, which copies what the previous one left, and the writer's next batch starts the log over.
/// </summary>
public sealed class WalCheckpointer(IDbContextFactory<AppDbContext> dbFactory, ILogger logger)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    // Pages of 4 KB: the log is started over at 64 MB, once a pass leaves less than 4 MB behind.
    private const long RestartPages = 16_384;
    private const long CatchUpPages = 1_024;

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

    /// <summary>Checkpoints every 100 ms until stopped.</summary>
    /// <param name="writerGate">Held by the writer for each batch; taken here to let a pass catch up with the log.</param>
    public async Task RunAsync(SemaphoreSlim writerGate, CancellationToken stop)
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
                while (await timer.WaitForNextTickAsync(stop))
                {
                    var (pages, behind) = await CheckpointAsync(passive, stop);
                    if (pages < RestartPages)
                    {
                        continue;
                    }

                    // Passes back to back until one leaves little behind, so that the writer waits only
                    // for a short one (or, if passes never catch up, for a few, rather than for ever).
                    for (var pass = 0; behind > CatchUpPages && pass < 8; pass++)
                    {
                        (_, behind) = await CheckpointAsync(passive, stop);
                    }

                    // SQLite's own RESTART mode would also hold the writer back, but through its busy
                    // handler, which sleeps in steps of up to 100 ms; this gate lets it go at once.
                    await writerGate.WaitAsync(stop);
                    try
                    {
                        await CheckpointAsync(passive, stop);
                    }
                    finally
                    {
                        writerGate.Release();
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

    /// <summary>Runs a passive checkpoint: the pages in the log, and how many of them are not copied yet.</summary>
    private static async Task<(long Pages, long Behind)> CheckpointAsync(DbCommand passive, CancellationToken ct)
    {
        await using var reader = await passive.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(1), reader.GetInt64(1) - reader.GetInt64(2));
    }
}
