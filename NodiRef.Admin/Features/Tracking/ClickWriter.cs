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

/// <summary>What a hit became, once committed: its tracking id and where the visitor goes (<see cref="Target"/>).</summary>
public sealed record HitResult(HitOutcome Outcome, Guid TrackingId = default, string? Code = null, string? Target = null, string? DiscardReason = null)
{
    /// <summary>
    /// The link's target (else its project's landing page) with <c>ref</c> and <c>tracking_id</c> appended;
    /// built when a redirect asks for it, on the request's thread rather than the writer's.
    /// </summary>
    public string? Destination => Target is null ? null : TrackingUrls.WithTracking(Target, Code!, TrackingId);
}

/// <summary>
/// Records clicks durably and fast: requests wait in a bounded queue, a single background writer
/// drains it and writes many clicks per transaction, and each request is answered when its batch
/// has committed. A full queue answers "overloaded" rather than dropping a click; stopping the app
/// drains the queue first.
/// </summary>
/// <remarks>
/// The writer keeps one connection open with its statements compiled once (<see cref="ClickStore"/>),
/// and remembers the links it resolved. What it remembers is trusted only while nobody else has
/// written to the database: on SQLite every batch first takes the write lock, then asks whether
/// anyone wrote since the writer's last commit, and forgets everything if so; no change can slip in
/// between that check and the batch's commit. Where the database cannot tell (PostgreSQL), each
/// batch reads its links afresh. Either way a deactivated partner, an archived project or an edited
/// link applies to every click of the next batch.
/// </remarks>
public sealed class ClickWriter : BackgroundService
{
    private readonly Channel<(HitRequest Request, TaskCompletionSource<HitResult> Done)> _queue;
    private readonly IDbContextFactory<AppDbContext> _dbFactory;
    private readonly TrackingOptions _options;
    private readonly ILogger<ClickWriter> _logger;

    // Used by the single reader only.
    private readonly Dictionary<string, TrackedLink> _links = new(StringComparer.Ordinal);
    private ClickStore? _store;
    private (long DataVersion, long ConnectionChanges)? _stamp;

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
                var results = await WriteWithRetryAsync(batch);
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

                // Start again from a fresh connection and forget what was read on this one.
                await CloseStoreAsync();
            }

            batch.Clear();
        }

        await CloseStoreAsync();
    }

    // Instances sharing a database can make one another's batch fail as a whole (a deadlock, a
    // serialization failure): it was rolled back, so writing it again stores each click once.
    private async Task<HitResult[]> WriteWithRetryAsync(List<(HitRequest Request, TaskCompletionSource<HitResult> Done)> hits)
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
                _links.Clear();
                _stamp = null;
            }
        }
    }

    private async Task<HitResult[]> WriteAsync(List<(HitRequest Request, TaskCompletionSource<HitResult> Done)> hits)
    {
        _store ??= await ClickStore.OpenAsync(_dbFactory);
        await using var tx = await _store.BeginAsync();

        // Partner, project and link state as of this batch: a change by anyone since our last
        // commit makes us forget every link we remembered.
        var stamp = await _store.ChangeStampAsync(tx);
        if (stamp is null || stamp != _stamp || _links.Count >= _options.LinkCacheSize)
        {
            _links.Clear();
        }

        // The links not remembered, in one statement. Unknown codes are not remembered: a link
        // created with that code later must be found.
        var keys = new string[hits.Count];
        HashSet<string>? missing = null;
        for (var i = 0; i < hits.Count; i++)
        {
            keys[i] = ReferralCode.ToKey(hits[i].Request.Code);
            if (!_links.ContainsKey(keys[i]))
            {
                (missing ??= new HashSet<string>(StringComparer.Ordinal)).Add(keys[i]);
            }
        }

        if (missing is not null)
        {
            foreach (var (key, found) in await _store.FindLinksAsync(tx, missing))
            {
                _links[key] = found;
            }
        }

        var results = new HitResult[hits.Count];
        var clicks = new List<Click>(hits.Count);
        var rollups = new Dictionary<(DateOnly Day, int LinkId, int ProjectKey, EventStatus Status), (int PartnerId, long Count)>();
        for (var i = 0; i < hits.Count; i++)
        {
            var hit = hits[i].Request;
            if (!_links.TryGetValue(keys[i], out var link))
            {
                results[i] = new HitResult(HitOutcome.UnknownCode);
                continue;
            }

            var reason = link.PartnerStatus != PartnerStatus.Active ? DiscardReasons.PartnerInactive
                : link.ProjectStatus == ProjectStatus.Archived ? DiscardReasons.ProjectArchived
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
            results[i] = new HitResult(
                reason is null ? HitOutcome.Recorded : HitOutcome.Discarded,
                click.TrackingId,
                link.Code,
                link.TargetUrl ?? link.LandingUrl,
                reason);
        }

        await _store.InsertAsync(tx, clicks);

        // Rollup rows in key order: instances upserting the same rows lock them in the same order, so never deadlock.
        await _store.AddToRollupsAsync(tx, rollups.OrderBy(r => r.Key).Select(r => new ClickDaily
        {
            Day = r.Key.Day,
            LinkId = r.Key.LinkId,
            ProjectKey = r.Key.ProjectKey,
            Status = r.Key.Status,
            PartnerId = r.Value.PartnerId,
            Count = r.Value.Count,
        }));
        await _store.AddToProjectRollupsAsync(tx, rollups
            .GroupBy(r => (r.Key.Day, r.Key.ProjectKey, r.Key.Status))
            .OrderBy(g => g.Key)
            .Select(g => new ClickDailyProject { Day = g.Key.Day, ProjectKey = g.Key.ProjectKey, Status = g.Key.Status, Count = g.Sum(r => r.Value.Count) }));
        await tx.CommitAsync();

        // Taken after our own commit: only someone else's write can change it before the next batch.
        _stamp = stamp is null ? null : await _store.ChangeStampAsync(null);
        return results;
    }

    private async Task CloseStoreAsync()
    {
        _links.Clear();
        _stamp = null;
        if (_store is { } store)
        {
            _store = null;
            await store.DisposeAsync();
        }
    }

    private static string? Truncate(string? value, int max) =>
        value is null || value.Length <= max ? value : value[..max];
}
