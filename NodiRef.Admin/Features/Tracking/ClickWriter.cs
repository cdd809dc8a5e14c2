using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using NodiRef.Admin.Hosting;

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
/// The writer keeps one connection open with its statements compiled once (<see cref="ClickStore"/>, the
/// database's own: on SQLite the tuned path, whose invariants <see cref="SqliteClickStore"/> states),
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
    private readonly IClickStoreFactory _stores;
    private readonly TrackingOptions _options;
    private readonly ILogger<ClickWriter> _logger;
    private readonly DatabaseReadiness _readiness;

    // Used by the single reader only.
    private readonly Dictionary<string, TrackedLink> _links = new(StringComparer.Ordinal);
    private ClickStore? _store;
    private (long DataVersion, long ConnectionChanges)? _stamp;

    // Where the rollups trail the clicks: whether clicks may be waiting to be rolled up, and since when
    // they have been. True at start, so clicks left behind by a crash are counted at once.
    private bool _rollupDue = true;
    private long _rolledUpAt;

    public ClickWriter(IClickStoreFactory stores, IOptions<TrackingOptions> options, ILogger<ClickWriter> logger, DatabaseReadiness readiness)
    {
        _stores = stores;
        _readiness = readiness;
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
        // write what was queued; only when the loop is not running, to keep a single reader. Before the
        // database is prepared nothing can be written (the start-up gate answers hits 503 meanwhile).
        if (ExecuteTask is null || ExecuteTask.IsCompleted)
        {
            if (_readiness.IsReady)
            {
                await DrainAsync();
            }
            else
            {
                while (_queue.Reader.TryRead(out var item))
                {
                    item.Done.TrySetResult(new HitResult(HitOutcome.Overloaded));
                }
            }
        }
    }

    // Nothing touches the database (rollups left by a crash) before it is migrated.
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (await _readiness.WaitAsync(stoppingToken))
        {
            await DrainAsync();
        }
    }

    private async Task DrainAsync()
    {
        var batch = new List<(HitRequest Request, TaskCompletionSource<HitResult> Done)>(_options.MaxBatchSize);
        var reader = _queue.Reader;

        // Deliberately not cancelled by the stopping token: shutdown completes the channel instead,
        // so every queued click is still written.
        while (await WaitForHitsAsync(reader))
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
            if (RollupDueIn() <= TimeSpan.Zero)
            {
                await RollUpAsync();
            }
        }

        // A graceful stop leaves every click counted in the rollups.
        await RollUpAsync();
        await CloseStoreAsync();
    }

    /// <summary>
    /// Waits for hits; meanwhile rolls up the clicks written when their time comes. False once the
    /// queue is completed and empty.
    /// </summary>
    private async Task<bool> WaitForHitsAsync(ChannelReader<(HitRequest, TaskCompletionSource<HitResult>)> reader)
    {
        while (true)
        {
            var due = RollupDueIn();
            if (due == Timeout.InfiniteTimeSpan)
            {
                return await reader.WaitToReadAsync(CancellationToken.None);
            }

            if (due > TimeSpan.Zero)
            {
                using var timeout = new CancellationTokenSource(due);
                try
                {
                    return await reader.WaitToReadAsync(timeout.Token);
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested)
                {
                    // Idle until the rollup's time: do it now rather than with the next hit.
                }
            }

            await RollUpAsync();
        }
    }

    /// <summary>How long until the trailing rollups are due; infinite when nothing waits for them.</summary>
    private TimeSpan RollupDueIn() =>
        !_rollupDue ? Timeout.InfiniteTimeSpan : _options.RollupInterval - Stopwatch.GetElapsedTime(_rolledUpAt);

    /// <summary>
    /// Counts the clicks written since the last time into the rollups, where they trail the clicks
    /// (<see cref="ClickStore.DefersRollups"/>). A failure is logged and tried again later: readers
    /// count the clicks not rolled up yet themselves, so totals stay exact meanwhile.
    /// </summary>
    private async Task RollUpAsync()
    {
        if (!_rollupDue)
        {
            return;
        }

        try
        {
            _store ??= await _stores.OpenAsync();
            if (_store.DefersRollups)
            {
                await using var tx = await BeginAsync(_store);
                await _store.RollUpAsync(tx);
                await CommitAsync(tx);
            }

            _rollupDue = false;
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Could not add the latest clicks to the daily rollups; trying again in {Interval}.", _options.RollupInterval);
            await CloseStoreAsync();
        }

        _rolledUpAt = Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// Starts a write on the store. Partner, project and link state as of this write: a change by
    /// anyone since our last commit makes us forget every link we remembered.
    /// </summary>
    private async Task<DbTransaction> BeginAsync(ClickStore store)
    {
        var tx = await store.BeginAsync();
        try
        {
            var stamp = await store.ChangeStampAsync(tx);
            if (stamp is null || stamp != _stamp || _links.Count >= _options.LinkCacheSize)
            {
                _links.Clear();
            }

            _stamp = stamp;
            return tx;
        }
        catch
        {
            await tx.DisposeAsync();
            throw;
        }
    }

    private async Task CommitAsync(DbTransaction tx)
    {
        // Until the stamp after our own commit is known, trust nothing remembered.
        var tracked = _stamp is not null;
        _stamp = null;
        await _store!.CommitAsync(tx);

        // Taken after our own commit: only someone else's write can change it before the next batch.
        _stamp = tracked ? await _store!.ChangeStampAsync(null) : null;
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
        _store ??= await _stores.OpenAsync();
        await using var tx = await BeginAsync(_store);

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
                TrackingId = Click.NewTrackingId(hit.At),
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
            results[i] = new HitResult(
                reason is null ? HitOutcome.Recorded : HitOutcome.Discarded,
                click.TrackingId,
                link.Code,
                link.TargetUrl ?? link.LandingUrl,
                reason);
        }

        await _store.AddAsync(tx, clicks);
        await CommitAsync(tx);
        _rollupDue |= clicks.Count > 0 && _store.DefersRollups;
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
