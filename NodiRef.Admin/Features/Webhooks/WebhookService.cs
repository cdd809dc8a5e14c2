using Microsoft.Extensions.Options;

namespace NodiRef.Admin.Features.Webhooks;

/// <summary>An endpoint as the Webhooks page and the API show it (never its secret).</summary>
public sealed record WebhookEndpointRow(
    int Id,
    string Url,
    string? Description,
    IReadOnlyList<string> EventTypes,
    bool IsEnabled,
    bool IsFailing,
    int ConsecutiveFailures,
    DateTime? FailingSince,
    DateTime? DisabledAt,
    string? DisabledReason,
    DateTime? PreviousSecretUntil,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    long Version);

/// <summary>What an endpoint is made or changed with. No event types: every type.</summary>
public sealed record WebhookEndpointInput(string? Url, string? Description, IReadOnlyList<string>? EventTypes, bool IsEnabled = true);

/// <summary>An endpoint with its signing secret, shown this once (on creation and rotation).</summary>
public sealed record WebhookEndpointWithSecret(WebhookEndpointRow Endpoint, string Secret);

/// <summary>One event to one endpoint, with its last attempt.</summary>
public sealed record WebhookDeliveryRow(
    long Id,
    int EndpointId,
    string MessageId,
    string EventType,
    DateTime OccurredAt,
    WebhookDeliveryStatus Status,
    int Attempts,
    DateTime? NextAttemptAt,
    DateTime? DeliveredAt,
    int? LastStatusCode,
    int? LastLatencyMs,
    string? LastResponse);

public sealed record WebhookAttemptRow(long Id, DateTime At, int? StatusCode, int LatencyMs, bool Succeeded, string? Response);

public sealed record WebhookDeliveryQuery(int EndpointId, WebhookDeliveryStatus? Status = null) : PageRequest;

/// <summary>Webhook endpoints, their secrets, test events, the delivery log and redelivery (admins only).</summary>
public sealed class WebhookService(
    AppDbFactory dbFactory,
    CurrentUser currentUser,
    TimeProvider clock,
    WebhookSigning signing,
    OutboundAddresses addresses,
    WebhookSignal signal,
    IOptions<WebhookOptions> options)
{
    public async Task<Result<IReadOnlyList<WebhookEndpointRow>>> ListEndpointsAsync(CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ManageWebhooks) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var endpoints = await db.WebhookEndpoints.AsNoTracking().OrderBy(e => e.Id).ToListAsync(ct);
        return Result<IReadOnlyList<WebhookEndpointRow>>.Ok([.. endpoints.Select(ToRow)]);
    }

    /// <summary>The endpoints a page at a time, oldest first (the API's list).</summary>
    public async Task<Result<Page<WebhookEndpointRow>>> EndpointsPageAsync(PageRequest page, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ManageWebhooks) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var total = await db.WebhookEndpoints.CountAsync(ct);
        var endpoints = await db.WebhookEndpoints.AsNoTracking().OrderBy(e => e.Id).Skip(page.Skip).Take(page.Take).ToListAsync(ct);
        return Result<Page<WebhookEndpointRow>>.Ok(new Page<WebhookEndpointRow>([.. endpoints.Select(ToRow)], total));
    }

    public async Task<Result<WebhookEndpointRow>> GetEndpointAsync(int id, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ManageWebhooks) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct) is { } endpoint
            ? Result<WebhookEndpointRow>.Ok(ToRow(endpoint))
            : Result<WebhookEndpointRow>.NotFound(Rules.NotFound(id));
    }

    /// <summary>Creates an endpoint with a new signing secret, answered once.</summary>
    public async Task<Result<WebhookEndpointWithSecret>> CreateEndpointAsync(WebhookEndpointInput input, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ManageWebhooks) is { } denied)
        {
            return denied;
        }

        var v = await ValidateAsync(input, ct);
        if (!v.IsValid)
        {
            return v.ToResult<WebhookEndpointWithSecret>();
        }

        var (secret, stored) = signing.NewSecret();
        var now = clock.GetUtcNow().UtcDateTime;
        var endpoint = new WebhookEndpoint { Secret = stored, CreatedAt = now, UpdatedAt = now };
        Apply(endpoint, input);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.WebhookEndpoints.Add(endpoint);
        var saved = await Edit.SaveAsync(db, Rules, endpoint, ct);
        return saved.Succeeded ? Result<WebhookEndpointWithSecret>.Ok(new(saved.Value!, secret)) : saved.As<WebhookEndpointWithSecret>();
    }

    /// <summary>Changes an endpoint; enabling a disabled one starts its failure count afresh.</summary>
    public async Task<Result<WebhookEndpointRow>> UpdateEndpointAsync(int id, WebhookEndpointInput input, long? version, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ManageWebhooks) is { } denied)
        {
            return denied;
        }

        var v = await ValidateAsync(input, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Edit.UpdateAsync(db, Rules, id, version, (endpoint, errors) =>
        {
            foreach (var (field, message) in v.Errors)
            {
                errors.Add(field, message);
            }

            if (errors.IsValid)
            {
                Apply(endpoint, input);
            }

            return Task.FromResult<Result<WebhookEndpointRow>?>(null);
        }, ct);
    }

    public async Task<Result<bool>> DeleteEndpointAsync(int id, long? version, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ManageWebhooks) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var endpoint = await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == id, ct);
        if (endpoint is null)
        {
            return Result<bool>.NotFound(Rules.NotFound(id));
        }

        if (version is not null && endpoint.Version != version)
        {
            return Result<bool>.Conflict(Rules.Stale);
        }

        db.WebhookEndpoints.Remove(endpoint);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Result<bool>.Conflict(Rules.Stale);
        }

        return Result<bool>.Ok(true);
    }

    /// <summary>A new signing secret, answered once; the old one keeps signing alongside for <see cref="WebhookOptions.RotationOverlap"/>.</summary>
    public async Task<Result<WebhookEndpointWithSecret>> RotateSecretAsync(int id, long? version, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ManageWebhooks) is { } denied)
        {
            return denied;
        }

        var (secret, stored) = signing.NewSecret();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rotated = await Edit.UpdateAsync(db, Rules, id, version, (endpoint, _) =>
        {
            endpoint.PreviousSecret = endpoint.Secret;
            endpoint.PreviousSecretUntil = clock.GetUtcNow().UtcDateTime + options.Value.RotationOverlap;
            endpoint.Secret = stored;
            return Task.FromResult<Result<WebhookEndpointRow>?>(null);
        }, ct);
        return rotated.Succeeded ? Result<WebhookEndpointWithSecret>.Ok(new(rotated.Value!, secret)) : rotated.As<WebhookEndpointWithSecret>();
    }

    /// <summary>Queues a <c>webhook.test</c> event for this endpoint only; answers its delivery's message id.</summary>
    public async Task<Result<string>> SendTestAsync(int id, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ManageWebhooks) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var endpoint = await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);
        if (endpoint is null)
        {
            return Result<string>.NotFound(Rules.NotFound(id));
        }

        if (!endpoint.IsEnabled)
        {
            return Result<string>.Conflict("This endpoint is disabled: enable it to send it a test event.");
        }

        var at = UtcDateTimeConverter.ToMicroseconds(clock.GetUtcNow().UtcDateTime);
        var row = WebhookEvents.Row(WebhookEventTypes.Test, at, new { endpoint_id = endpoint.Id, message = "A test event from NodiRef." }, endpoint.Id);
        db.WebhookEvents.Add(row);
        await db.SaveChangesAsync(ct);
        signal.Notify();
        return Result<string>.Ok(row.MessageId);
    }

    /// <summary>An endpoint's deliveries, newest first, with each one's last attempt.</summary>
    public async Task<Result<Page<WebhookDeliveryRow>>> DeliveriesAsync(WebhookDeliveryQuery query, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ManageWebhooks) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == query.EndpointId);
        if (query.Status is { } status)
        {
            q = q.Where(d => d.Status == status);
        }

        var total = await q.CountAsync(ct);
        var desc = query.Sort?.Descending ?? true;
        var rows = await (from d in (desc ? q.OrderByDescending(d => d.Id) : q.OrderBy(d => d.Id)).Skip(query.Skip).Take(query.Take)
                          join e in db.WebhookEvents on d.EventId equals e.Id
                          let last = db.WebhookAttempts.Where(a => a.DeliveryId == d.Id).OrderByDescending(a => a.Id).FirstOrDefault()
                          select new WebhookDeliveryRow(
                              d.Id, d.EndpointId, e.MessageId, e.Type, e.OccurredAt, d.Status, d.Attempts,
                              d.Status == WebhookDeliveryStatus.Pending ? d.NextAttemptAt : null, d.DeliveredAt,
                              last == null ? null : last.StatusCode, last == null ? null : last.LatencyMs, last == null ? null : last.Response))
            .ToListAsync(ct);
        return Result<Page<WebhookDeliveryRow>>.Ok(new Page<WebhookDeliveryRow>(desc ? [.. rows.OrderByDescending(r => r.Id)] : [.. rows.OrderBy(r => r.Id)], total));
    }

    /// <summary>Every attempt of one delivery, oldest first.</summary>
    public async Task<Result<IReadOnlyList<WebhookAttemptRow>>> AttemptsAsync(long deliveryId, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ManageWebhooks) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var attempts = await db.WebhookAttempts.AsNoTracking().Where(a => a.DeliveryId == deliveryId).OrderBy(a => a.Id)
            .Select(a => new WebhookAttemptRow(a.Id, a.At, a.StatusCode, a.LatencyMs, a.Succeeded, a.Response)).ToListAsync(ct);
        return Result<IReadOnlyList<WebhookAttemptRow>>.Ok(attempts);
    }

    /// <summary>Sends a delivery again now, with a fresh retry schedule (same message id); a delivery still pending is left as it is.</summary>
    public async Task<Result<bool>> RedeliverAsync(long deliveryId, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ManageWebhooks) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var delivery = await db.WebhookDeliveries.FirstOrDefaultAsync(d => d.Id == deliveryId, ct);
        if (delivery is null)
        {
            return Result<bool>.NotFound($"Delivery {deliveryId} does not exist.");
        }

        if (delivery.Status == WebhookDeliveryStatus.Pending)
        {
            return Result<bool>.Conflict("This delivery is still being sent.");
        }

        Requeue(delivery);
        await db.SaveChangesAsync(ct);
        signal.Notify();
        return Result<bool>.Ok(true);
    }

    /// <summary>Sends every failed delivery of an endpoint again; answers how many.</summary>
    public async Task<Result<int>> RedeliverFailedAsync(int endpointId, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ManageWebhooks) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.WebhookEndpoints.AnyAsync(e => e.Id == endpointId, ct))
        {
            return Result<int>.NotFound(Rules.NotFound(endpointId));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var count = await db.WebhookDeliveries.Where(d => d.EndpointId == endpointId && d.Status == WebhookDeliveryStatus.Failed)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.Status, WebhookDeliveryStatus.Pending).SetProperty(d => d.Attempts, 0).SetProperty(d => d.NextAttemptAt, now), ct);
        signal.Notify();
        return Result<int>.Ok(count);
    }

    private void Requeue(WebhookDelivery delivery)
    {
        delivery.Status = WebhookDeliveryStatus.Pending;
        delivery.Attempts = 0;
        delivery.NextAttemptAt = clock.GetUtcNow().UtcDateTime;
        delivery.LeasedUntil = null;
    }

    private async Task<Validation> ValidateAsync(WebhookEndpointInput input, CancellationToken ct)
    {
        var v = new Validation()
            .Required(input.Url, nameof(WebhookEndpointInput.Url), "URL", WebhookEndpoint.UrlMaxLength)
            .Optional(input.Description, nameof(WebhookEndpointInput.Description), "Description", WebhookEndpoint.DescriptionMaxLength);
        var unknown = (input.EventTypes ?? []).Where(t => !WebhookEventTypes.All.Contains(t, StringComparer.Ordinal)).ToList();
        v.Check(unknown.Count == 0, nameof(WebhookEndpointInput.EventTypes),
            $"Unknown event type {string.Join(", ", unknown)}: choose among {string.Join(", ", WebhookEventTypes.All)}.");
        if (v.IsValid && await addresses.ProblemAsync(input.Url!.Trim(), ct) is { } problem)
        {
            v.Add(nameof(WebhookEndpointInput.Url), problem);
        }

        return v;
    }

    private static void Apply(WebhookEndpoint endpoint, WebhookEndpointInput input)
    {
        endpoint.Url = input.Url!.Trim();
        endpoint.Description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim();
        endpoint.EventTypes = string.Join(' ', (input.EventTypes ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        if (input.IsEnabled && !endpoint.IsEnabled)
        {
            endpoint.ConsecutiveFailures = 0;
            endpoint.FailingSince = null;
            endpoint.DisabledAt = null;
            endpoint.DisabledReason = null;
        }

        endpoint.IsEnabled = input.IsEnabled;
    }

    private WebhookEndpointRow ToRow(WebhookEndpoint e) =>
        new(e.Id, e.Url, e.Description, [.. WebhookEventTypes.Parse(e.EventTypes).Order(StringComparer.Ordinal)], e.IsEnabled,
            e.ConsecutiveFailures >= options.Value.FailingAfter, e.ConsecutiveFailures, e.FailingSince, e.DisabledAt, e.DisabledReason,
            e.PreviousSecretUntil, e.CreatedAt, e.UpdatedAt, e.Version);

    private EditRules<WebhookEndpoint, WebhookEndpointRow> Rules => _rules ??= new()
    {
        Noun = "Webhook endpoint",
        Read = (_, endpoint, _) => Task.FromResult(ToRow(endpoint)),
        Touch = endpoint => endpoint.UpdatedAt = clock.GetUtcNow().UtcDateTime,
    };

    private EditRules<WebhookEndpoint, WebhookEndpointRow>? _rules;
}
