using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using NodiRef.Admin.Hosting;

namespace NodiRef.Admin.Features.Webhooks;

/// <summary>Wakes the dispatcher when this instance wrote events or asked for a redelivery (other instances' are found by polling).</summary>
public sealed class WebhookSignal(TimeProvider clock) : WakeSignal(clock);

/// <summary>
/// Sends the outbox (<see cref="WebhookEvent"/>) to the endpoints. Each pass fans the new events out to the enabled
/// endpoints that want them (one <see cref="WebhookDelivery"/> each, claimed event by event so two instances never fan
/// out the same one), then sends the due deliveries, several at once, each under a lease so only one instance sends it
/// at a time (a dead instance's lease runs out and another takes over: at least once, with the same <c>webhook-id</c>).
/// A failure is retried after the next wait of <see cref="WebhookOptions.Retries"/> with jitter; an endpoint failing
/// for <see cref="WebhookOptions.DisableAfter"/> is disabled.
/// </summary>
public sealed class WebhookDispatcher : BackgroundService
{
    public static readonly AuditActor Actor = AuditActor.System("webhook dispatcher");
    private const int FanOutBatch = 500;

    private readonly IDbContextFactory<AppDbContext> _dbFactory;
    private readonly WebhookSigning _signing;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _clock;
    private readonly WebhookSignal _signal;
    private readonly DatabaseReadiness _readiness;
    private readonly ILogger<WebhookDispatcher> _logger;
    private readonly HttpClient _http;
    private readonly Auditor _auditor;

    public WebhookDispatcher(IDbContextFactory<AppDbContext> dbFactory, WebhookSigning signing, OutboundAddresses addresses, IOptions<WebhookOptions> options,
        TimeProvider clock, WebhookSignal signal, DatabaseReadiness readiness, ILogger<WebhookDispatcher> logger)
    {
        (_dbFactory, _signing, _options, _clock, _signal, _readiness, _logger) = (dbFactory, signing, options.Value, clock, signal, readiness, logger);
        _http = new HttpClient(addresses.Handler(), disposeHandler: true) { Timeout = _options.Timeout };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("NodiRef-Webhooks/1.0");
        _auditor = Auditor.Fixed(Actor, clock);
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _signal.RunAsync(_readiness, _options.PollInterval, RunOnceAsync, _logger, "Sending webhooks failed; retrying at the next pass.", stoppingToken);

    /// <summary>One pass: fan out the new events, then send what is due. Answers how much was done (0: nothing to do now).</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct = default) => await FanOutAsync(ct) + await SendDueAsync(ct);

    /// <summary>Turns the events not fanned out yet into deliveries for the enabled endpoints that want them.</summary>
    public async Task<int> FanOutAsync(CancellationToken ct = default)
    {
        await using var db = await OpenAsync(ct);
        var waiting = await db.WebhookEvents.AsNoTracking().Where(e => e.FannedOutAt == null).OrderBy(e => e.Id).Take(FanOutBatch)
            .Select(e => new { e.Id, e.Type, e.OnlyEndpointId }).ToListAsync(ct);
        if (waiting.Count == 0)
        {
            return 0;
        }

        var endpoints = await db.WebhookEndpoints.AsNoTracking().Where(e => e.IsEnabled).Select(e => new { e.Id, e.EventTypes }).ToListAsync(ct);
        var now = Now();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var claimed = 0;
        foreach (var e in waiting)
        {
            // Claimed one by one: when two instances fan out at once, each event goes to whichever marks it first.
            if (await db.WebhookEvents.Where(x => x.Id == e.Id && x.FannedOutAt == null).ExecuteUpdateAsync(u => u.SetProperty(x => x.FannedOutAt, now), ct) != 1)
            {
                continue;
            }

            claimed++;
            var targets = e.OnlyEndpointId is { } only
                ? endpoints.Where(x => x.Id == only)
                : endpoints.Where(x => WebhookEventTypes.Wants(x.EventTypes, e.Type));
            db.WebhookDeliveries.AddRange(targets.Select(x => new WebhookDelivery
            {
                EventId = e.Id, EndpointId = x.Id, Status = WebhookDeliveryStatus.Pending, NextAttemptAt = now, CreatedAt = now,
            }));
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return claimed;
    }

    /// <summary>Sends the deliveries that are due and not held by another instance; answers how many were attempted.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct = default)
    {
        var now = Now();
        List<long> due;
        await using (var db = await OpenAsync(ct))
        {
            due = await db.WebhookDeliveries.AsNoTracking()
                .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LeasedUntil == null || d.LeasedUntil < now))
                .OrderBy(d => d.NextAttemptAt).Select(d => d.Id).Take(_options.Concurrency * 4).ToListAsync(ct);
        }

        if (due.Count == 0)
        {
            return 0;
        }

        // The lease: only the instance whose update took a delivery sends it, until the lease runs out.
        var leasedUntil = now + _options.Lease;
        var mine = new List<long>(due.Count);
        await using (var db = await OpenAsync(ct))
        {
            foreach (var id in due)
            {
                if (await db.WebhookDeliveries
                    .Where(d => d.Id == id && d.Status == WebhookDeliveryStatus.Pending && (d.LeasedUntil == null || d.LeasedUntil < now))
                    .ExecuteUpdateAsync(u => u.SetProperty(d => d.LeasedUntil, leasedUntil), ct) == 1)
                {
                    mine.Add(id);
                }
            }
        }

        if (mine.Count == 0)
        {
            return 0;
        }

        List<Work> work;
        await using (var db = await OpenAsync(ct))
        {
            work = await (from d in db.WebhookDeliveries.AsNoTracking()
                          join e in db.WebhookEvents.AsNoTracking() on d.EventId equals e.Id
                          join x in db.WebhookEndpoints.AsNoTracking() on d.EndpointId equals x.Id
                          where mine.Contains(d.Id)
                          select new Work(d.Id, x, e.MessageId, e.Payload)).ToListAsync(ct);
        }

        var results = new ConcurrentBag<Outcome>();
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = _options.Concurrency, CancellationToken = ct },
            async (w, token) => results.Add(w.Endpoint.IsEnabled ? await SendAsync(w, token) : new Outcome(w.DeliveryId, w.Endpoint.Id, null, Skipped: true)));
        await RecordAsync([.. results], ct);
        return work.Count;
    }

    private sealed record Work(long DeliveryId, WebhookEndpoint Endpoint, string MessageId, string Payload);

    private sealed record Outcome(long DeliveryId, int EndpointId, WebhookAttempt? Attempt, bool Skipped = false);

    private async Task<Outcome> SendAsync(Work w, CancellationToken ct)
    {
        var at = _clock.GetUtcNow();
        var attempt = new WebhookAttempt { DeliveryId = w.DeliveryId, EndpointId = w.Endpoint.Id, At = UtcDateTimeConverter.ToMicroseconds(at.UtcDateTime) };
        var watch = Stopwatch.StartNew();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, w.Endpoint.Url) { Content = new StringContent(w.Payload, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Add("webhook-id", w.MessageId);
            request.Headers.Add("webhook-timestamp", at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", _signing.Sign(w.Endpoint, w.MessageId, at, w.Payload, at.UtcDateTime));
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            attempt.StatusCode = (int)response.StatusCode;
            attempt.Succeeded = response.IsSuccessStatusCode;
            attempt.Response = await StartOfAsync(response, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException && !ct.IsCancellationRequested)
        {
            attempt.Response = Bounded(e is TaskCanceledException ? $"No answer within {_options.Timeout.TotalSeconds:0} s." : e.Message);
        }

        attempt.LatencyMs = (int)Math.Min(int.MaxValue, watch.ElapsedMilliseconds);
        return new Outcome(w.DeliveryId, w.Endpoint.Id, attempt);
    }

    /// <summary>The attempts, the deliveries' next step and the endpoints' health, in one transaction; the leases end.</summary>
    private async Task RecordAsync(IReadOnlyList<Outcome> outcomes, CancellationToken ct)
    {
        var now = Now();
        await using var db = await OpenAsync(ct);
        var ids = outcomes.Select(o => o.DeliveryId).ToList();
        var deliveries = await db.WebhookDeliveries.Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, ct);
        var endpointIds = outcomes.Select(o => o.EndpointId).Distinct().ToList();
        var endpoints = await db.WebhookEndpoints.Where(e => endpointIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, ct);
        foreach (var o in outcomes.OrderBy(o => o.Attempt?.At))
        {
            // The endpoint was deleted while its delivery was out: nothing left to record.
            if (!deliveries.TryGetValue(o.DeliveryId, out var delivery) || !endpoints.TryGetValue(o.EndpointId, out var endpoint))
            {
                continue;
            }

            delivery.LeasedUntil = null;
            if (o.Skipped || o.Attempt is null)
            {
                delivery.Status = WebhookDeliveryStatus.Failed;
                continue;
            }

            db.WebhookAttempts.Add(o.Attempt);
            delivery.Attempts++;
            if (o.Attempt.Succeeded)
            {
                delivery.Status = WebhookDeliveryStatus.Succeeded;
                delivery.DeliveredAt = o.Attempt.At;
                endpoint.ConsecutiveFailures = 0;
                endpoint.FailingSince = null;
                continue;
            }

            if (delivery.Attempts > _options.Retries.Count)
            {
                delivery.Status = WebhookDeliveryStatus.Failed;
            }
            else
            {
                delivery.NextAttemptAt = now + Jittered(_options.Retries[delivery.Attempts - 1]);
            }

            endpoint.ConsecutiveFailures++;
            endpoint.FailingSince ??= o.Attempt.At;
            if (endpoint.IsEnabled && now - endpoint.FailingSince >= _options.DisableAfter)
            {
                endpoint.IsEnabled = false;
                endpoint.DisabledAt = now;
                endpoint.DisabledReason = $"Every attempt failed since {endpoint.FailingSince:yyyy-MM-dd HH:mm} UTC.";
                _logger.LogWarning("Disabled webhook endpoint {Id} ({Url}): failing since {Since}.", endpoint.Id, endpoint.Url, endpoint.FailingSince);
            }

            if (!endpoint.IsEnabled)
            {
                delivery.Status = WebhookDeliveryStatus.Failed;
            }
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);

        // A disabled endpoint's other waiting deliveries fail with it (a redelivery sends them once it is enabled again).
        foreach (var disabled in endpoints.Values.Where(e => !e.IsEnabled).Select(e => e.Id))
        {
            await db.WebhookDeliveries.Where(d => d.EndpointId == disabled && d.Status == WebhookDeliveryStatus.Pending && (d.LeasedUntil == null || d.LeasedUntil < now))
                .ExecuteUpdateAsync(u => u.SetProperty(d => d.Status, WebhookDeliveryStatus.Failed), ct);
        }

        await tx.CommitAsync(ct);
    }

    private static TimeSpan Jittered(TimeSpan delay) => delay * (0.8 + (Random.Shared.NextDouble() * 0.4));

    private static async Task<string?> StartOfAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var buffer = new char[WebhookAttempt.ResponseMaxLength];
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        var read = await reader.ReadBlockAsync(buffer, ct);
        return read == 0 ? null : new string(buffer, 0, read);
    }

    private static string Bounded(string text) => text.Length <= WebhookAttempt.ResponseMaxLength ? text : text[..WebhookAttempt.ResponseMaxLength];

    private DateTime Now() => UtcDateTimeConverter.ToMicroseconds(_clock.GetUtcNow().UtcDateTime);

    private async Task<AppDbContext> OpenAsync(CancellationToken ct)
    {
        var db = await _dbFactory.CreateDbContextAsync(ct);
        db.Auditor = _auditor;
        return db;
    }
}
