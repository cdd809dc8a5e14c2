using NodiRef.Admin.Hosting;

namespace NodiRef.Admin.Features.Conversions;

/// <summary>
/// Processes pending conversions in the background: woken at once by conversions recorded here, and
/// polling for those recorded by other instances. Pending conversions survive a restart (they are
/// rows, not queue items), and a stop lets the current one finish.
/// </summary>
public sealed class ConversionProcessor(
    IDbContextFactory<AppDbContext> dbFactory,
    ConversionSignal signal,
    TimeProvider clock,
    ILogger<ConversionProcessor> logger,
    DatabaseReadiness readiness) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private const int BatchSize = 100;

    /// <summary>Whom the processor's decisions are recorded under in the audit trail.</summary>
    public static readonly AuditActor Actor = AuditActor.System("conversion processor");

    private readonly Auditor _auditor = Auditor.Fixed(Actor, clock);

    // Pending conversions are read only from a migrated database; keep going while there is work, then sleep until signalled or the next poll.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        signal.RunAsync(readiness, PollInterval, ProcessPendingAsync, logger, "Processing conversions failed; retrying at the next pass.", stoppingToken);

    /// <summary>One pass over the oldest pending conversions; answers how many were decided.</summary>
    public async Task<int> ProcessPendingAsync(CancellationToken ct = default)
    {
        List<long> ids;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            ids = await db.Conversions.AsNoTracking()
                .Where(c => c.Status == ConversionStatus.Pending)
                .OrderBy(c => c.Id)
                .Select(c => c.Id)
                .Take(BatchSize)
                .ToListAsync(ct);
        }

        var decided = 0;
        foreach (var id in ids)
        {
            if (ct.IsCancellationRequested)
            {
                break;
            }

            // Each in its own context: a conflict with another instance leaves the others untouched.
            // The conversion at hand is finished even when stopping: its transaction is short.
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            db.Auditor = _auditor;
            var conversion = await db.Conversions.FirstAsync(c => c.Id == id, CancellationToken.None);
            if (await ConversionProcessing.ProcessAsync(db, conversion, clock.GetUtcNow().UtcDateTime, CancellationToken.None))
            {
                decided++;
            }
        }

        return decided;
    }
}
