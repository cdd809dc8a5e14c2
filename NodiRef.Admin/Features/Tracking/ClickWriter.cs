using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Features.Tracking;

/// <summary>A link opening to record: who opened which code, from where, when.</summary>
public sealed record HitRequest(string Code, string? IpAddress, string? UserAgent, string? Referrer, DateTime At);

public enum HitOutcome
{
    Recorded,
    Discarded,
    UnknownCode,
    Overloaded,
}

/// <summary>What a hit became, once committed: its tracking id and where to send the visitor.</summary>
public sealed record HitResult(HitOutcome Outcome, Guid TrackingId = default, string? Code = null, string? Destination = null, string? DiscardReason = null);

/// <summary>
/// Records clicks durably and fast: requests wait in a bounded queue, a single background writer
/// drains it and writes many clicks per transaction, and each request is answered when its batch
/// has committed. A full queue answers "overloaded" rather than dropping a click; stopping the app
/// drains the queue first.
/// </summary>
public sealed class ClickWriter : BackgroundService
{
    private readonly Channel<(HitRequest Request, TaskCompletionSource<HitResult> Done)> _queue;
    private readonly IDbContextFactory<AppDbContext> _dbFactory;
    private readonly TrackingOptions _options;
    private readonly ILogger<ClickWriter> _logger;

    public ClickWriter(IDbContextFactory<AppDbContext> dbFactory, IOptions<TrackingOptions> options, ILogger<ClickWriter> logger)
    {
        _dbFactory = dbFactory;
        _options = options.Value;
        _logger = logger;
        _queue = Channel.CreateBounded<(HitRequest, TaskCompletionSource<HitResult>)>(new BoundedChannelOptions(Math.Max(1, _options.QueueCapacity))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Queues a hit and completes once it is committed (or at once when the queue is full).</summary>
    public Task<HitResult> RecordAsync(HitRequest request)
    {
        var done = new TaskCompletionSource<HitResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        return _queue.Writer.TryWrite((request, done)) ? done.Task : Task.FromResult(new HitResult(HitOutcome.Overloaded));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // No new hits; the loop drains what is queued before it ends.
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);

        // A stop that comes before the loop ever ran (it starts on the thread pool) must still
        // write what was queued; only when the loop is not running, to keep a single reader.
        if (ExecuteTask is null || ExecuteTask.IsCompleted)
        {
            await DrainAsync();
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => DrainAsync();

    private async Task DrainAsync()
    {
        var batch = new List<(HitRequest Request, TaskCompletionSource<HitResult> Done)>(_options.MaxBatchSize);
        var reader = _queue.Reader;

        // Deliberately not cancelled by the stopping token: shutdown completes the channel instead,
        // so every queued click is still written.
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                var results = await WriteWithRetryAsync(batch.Select(b => b.Request).ToList());
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(results[i]);
                }
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Could not write a batch of {Count} clicks.", batch.Count);
                foreach (var (_, done) in batch)
                {
                    done.TrySetException(e);
                }
            }

            batch.Clear();
        }
    }

    // Instances sharing a database can make one another's batch fail as a whole (a deadlock, a
    // serialization failure): it was rolled back, so writing it again stores each click once.
    private async Task<IReadOnlyList<HitResult>> WriteWithRetryAsync(IReadOnlyList<HitRequest> hits)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await WriteAsync(hits);
            }
            catch (Exception e) when (attempt < 3 && DbErrors.IsTransient(e))
            {
                _logger.LogWarning(e, "A batch of {Count} clicks lost to a concurrent write (attempt {Attempt}); writing it again.", hits.Count, attempt);
            }
        }
    }

    private async Task<IReadOnlyList<HitResult>> WriteAsync(IReadOnlyList<HitRequest> hits)
    {
        await using var db = await _dbFactory.CreateDbContextAsync();
        var keys = hits.Select(h => ReferralCode.ToKey(h.Code)).Distinct().ToList();

        // Partner and project state as of this batch: a deactivation applies to every later click.
        var links = await db.ReferralLinks.AsNoTracking()
            .Where(l => keys.Contains(l.CodeKey))
            .Select(l => new
            {
                l.Id,
                l.Code,
                l.CodeKey,
                l.PartnerId,
                l.ProjectId,
                l.TargetUrl,
                PartnerStatus = l.Partner!.Status,
                ProjectStatus = (ProjectStatus?)l.Project!.Status,
                LandingUrl = l.Project!.LandingUrl,
            })
            .ToDictionaryAsync(l => l.CodeKey);

        var results = new HitResult[hits.Count];
        var clicks = new List<Click>(hits.Count);
        var rollups = new Dictionary<(DateOnly Day, int LinkId, int ProjectKey, EventStatus Status), (int PartnerId, long Count)>();
        for (var i = 0; i < hits.Count; i++)
        {
            var hit = hits[i];
            if (!links.TryGetValue(ReferralCode.ToKey(hit.Code), out var link))
            {
                results[i] = new HitResult(HitOutcome.UnknownCode);
                continue;
            }

            var reason = link.PartnerStatus != Domain.PartnerStatus.Active ? DiscardReasons.PartnerInactive
                : link.ProjectStatus == Domain.ProjectStatus.Archived ? DiscardReasons.ProjectArchived
                : BotDetector.IsBot(hit.UserAgent) ? DiscardReasons.Bot
                : null;
            var click = new Click
            {
                TrackingId = Guid.CreateVersion7(hit.At),
                LinkId = link.Id,
                PartnerId = link.PartnerId,
                ProjectId = link.ProjectId,
                IpAddress = Truncate(hit.IpAddress, Click.IpMaxLength),
                UserAgent = Truncate(hit.UserAgent, Click.UserAgentMaxLength),
                Referrer = Truncate(hit.Referrer, ReferralLink.TargetUrlMaxLength),
                CreatedAt = hit.At,
                Status = reason is null ? EventStatus.Recorded : EventStatus.Discarded,
                DiscardReason = reason,
            };
            clicks.Add(click);
            var key = (DateOnly.FromDateTime(hit.At), link.Id, link.ProjectId ?? 0, click.Status);
            rollups[key] = (link.PartnerId, rollups.TryGetValue(key, out var r) ? r.Count + 1 : 1);

            var destination = link.TargetUrl ?? link.LandingUrl;
            results[i] = new HitResult(
                reason is null ? HitOutcome.Recorded : HitOutcome.Discarded,
                click.TrackingId,
                link.Code,
                destination is null ? null : TrackingUrls.WithTracking(destination, link.Code, click.TrackingId),
                reason);
        }

        if (clicks.Count > 0)
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await ClickStore.InsertAsync(db, clicks);
            // Rollup rows in key order: instances upserting the same rows lock them in the same order, so never deadlock.
            await ClickStore.AddToRollupsAsync(db, rollups.OrderBy(r => r.Key).Select(r => new ClickDaily
            {
                Day = r.Key.Day,
                LinkId = r.Key.LinkId,
                ProjectKey = r.Key.ProjectKey,
                Status = r.Key.Status,
                PartnerId = r.Value.PartnerId,
                Count = r.Value.Count,
            }).ToList());
            await ClickStore.AddToProjectRollupsAsync(db, rollups
                .GroupBy(r => (r.Key.Day, r.Key.ProjectKey, r.Key.Status))
                .OrderBy(g => g.Key)
                .Select(g => new ClickDailyProject { Day = g.Key.Day, ProjectKey = g.Key.ProjectKey, Status = g.Key.Status, Count = g.Sum(r => r.Value.Count) })
                .ToList());
            await tx.CommitAsync();
        }

        return results;
    }

    private static string? Truncate(string? value, int max) =>
        value is null || value.Length <= max ? value : value[..max];
}
