using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using NodiRef.Admin.Features.Conversions;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.Rewards;
using NodiRef.Admin.Features.Tracking;

namespace NodiRef.Admin.Features.Webhooks;

/// <summary>The event types a webhook endpoint can ask for.</summary>
public static class WebhookEventTypes
{
    public const string PartnerCreated = "partner.created";
    public const string PartnerUpdated = "partner.updated";
    public const string ReferralCreated = "referral.created";
    public const string ConversionAccepted = "conversion.accepted";
    public const string ConversionSuspicious = "conversion.suspicious";
    public const string ConversionRejected = "conversion.rejected";
    public const string ConversionRefunded = "conversion.refunded";
    public const string RewardCreated = "reward.created";
    public const string RewardApproved = "reward.approved";
    public const string RewardPaid = "reward.paid";
    public const string RewardReversed = "reward.reversed";

    /// <summary>Sent by "send test event" to one endpoint only, whatever it asked for.</summary>
    public const string Test = "webhook.test";

    public static readonly IReadOnlyList<string> All =
    [
        PartnerCreated, PartnerUpdated, ReferralCreated, ConversionAccepted, ConversionSuspicious, ConversionRejected, ConversionRefunded,
        RewardCreated, RewardApproved, RewardPaid, RewardReversed,
    ];

    /// <summary>What an endpoint's <see cref="WebhookEndpoint.EventTypes"/> holds, as a set; empty: every type.</summary>
    public static IReadOnlySet<string> Parse(string eventTypes) =>
        new HashSet<string>(eventTypes.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);

    public static bool Wants(string eventTypes, string type) => eventTypes.Length == 0 || Parse(eventTypes).Contains(type);
}

/// <summary>
/// The webhooks' transactional outbox, written once: <see cref="AppDbContext"/> asks it on every save which tracked
/// changes are events (a partner created, a conversion accepted, a reward paid…) and, once the rows are saved, writes
/// one <see cref="WebhookEvent"/> per event in the same transaction, its body holding the API's own JSON of the object
/// as saved. Only the types some enabled endpoint wants are written. So no service can forget an event, a change
/// that rolls back sends nothing, and a committed one is never lost (the dispatcher sends it, after a restart too).
/// </summary>
public sealed class WebhookEvents
{
    private readonly List<(string Type, object Entity)> _events = [];

    private WebhookEvents()
    {
    }

    /// <summary>The events among the tracked changes, read before they are saved; null when there are none.</summary>
    public static WebhookEvents? Collect(ChangeTracker tracker)
    {
        WebhookEvents? events = null;
        foreach (var entry in tracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified) || TypeOf(entry) is not { } type)
            {
                continue;
            }

            events ??= new WebhookEvents();
            events._events.Add((type, entry.Entity));
        }

        return events;
    }

    /// <summary>The outbox rows for the events some enabled endpoint wants, with their bodies, once the rows are saved.</summary>
    public async Task<List<WebhookEvent>> RowsAsync(AppDbContext db, DateTime at, CancellationToken ct)
    {
        var wanted = await db.WebhookEndpoints.AsNoTracking().Where(e => e.IsEnabled).Select(e => e.EventTypes).ToListAsync(ct);
        var events = _events.Where(e => wanted.Any(types => WebhookEventTypes.Wants(types, e.Type))).ToList();
        if (events.Count == 0)
        {
            return [];
        }

        // Each kind of object read once for all its events, as the API answers it.
        var data = new Dictionary<object, object>(ReferenceEqualityComparer.Instance);
        void Add<TEntity, TRow>(List<TEntity> entities, IEnumerable<TRow> rows, Func<TRow, object> dto)
            where TEntity : class
        {
            foreach (var (entity, row) in entities.Zip(rows))
            {
                data[entity] = dto(row);
            }
        }

        List<T> Of<T>() => [.. events.Select(e => e.Entity).OfType<T>().Distinct()];
        if (Of<Partner>() is { Count: > 0 } partners)
        {
            Add(partners, await PartnerService.ToRowsAsync(db, partners, ct), r => PartnerDto.From(r));
        }

        if (Of<Referral>() is { Count: > 0 } referrals)
        {
            Add(referrals, await ReferralService.ToRowsAsync(db, referrals, ct), ReferralDto.From);
        }

        if (Of<Conversion>() is { Count: > 0 } conversions)
        {
            Add(conversions, await ConversionService.ToRowsAsync(db, conversions, ct), ConversionDto.From);
        }

        if (Of<Reward>() is { Count: > 0 } rewards)
        {
            Add(rewards, await RewardService.ToRowsAsync(db, rewards, ct), RewardDto.From);
        }

        return [.. events.Select(e => Row(e.Type, at, data[e.Entity]))];
    }

    /// <summary>An outbox row: a new message id, and the body <c>{"id","type","timestamp","data"}</c> in the API's JSON.</summary>
    public static WebhookEvent Row(string type, DateTime at, object data, int? onlyEndpointId = null)
    {
        var id = "msg_" + Guid.CreateVersion7().ToString("N");
        var body = JsonSerializer.Serialize(new WebhookBody(id, type, at, data), ApiJson.Options);
        return new WebhookEvent { MessageId = id, Type = type, OccurredAt = at, Payload = body, OnlyEndpointId = onlyEndpointId };
    }

    private sealed record WebhookBody(string Id, string Type, DateTime Timestamp, object Data);

    /// <summary>The event a tracked change is, if any.</summary>
    private static string? TypeOf(EntityEntry entry) => entry.Entity switch
    {
        Partner when entry.State == EntityState.Added => WebhookEventTypes.PartnerCreated,
        Partner when Changed(entry, nameof(Partner.Name), nameof(Partner.ExternalId), nameof(Partner.Status), nameof(Partner.DefaultProjectId)) => WebhookEventTypes.PartnerUpdated,
        Referral when entry.State == EntityState.Added => WebhookEventTypes.ReferralCreated,
        Conversion c when entry.State == EntityState.Added || Changed(entry, nameof(Conversion.Status)) => c.Status switch
        {
            ConversionStatus.Accepted => c.EventType == ConversionTypes.Refund ? WebhookEventTypes.ConversionRefunded : WebhookEventTypes.ConversionAccepted,
            ConversionStatus.Suspicious => WebhookEventTypes.ConversionSuspicious,
            ConversionStatus.Rejected => WebhookEventTypes.ConversionRejected,
            _ => null,
        },
        Reward r when entry.State == EntityState.Added => r.ReversesRewardId is null ? WebhookEventTypes.RewardCreated : WebhookEventTypes.RewardReversed,
        Reward r when Changed(entry, nameof(Reward.Status)) => r.Status switch
        {
            RewardStatus.Approved => WebhookEventTypes.RewardApproved,
            RewardStatus.Paid => WebhookEventTypes.RewardPaid,
            RewardStatus.Reversed => WebhookEventTypes.RewardReversed,
            _ => null,
        },
        _ => null,
    };

    private static bool Changed(EntityEntry entry, params string[] properties) =>
        entry.State == EntityState.Modified && properties.Any(p => entry.Property(p) is { IsModified: true } prop && !Equals(prop.OriginalValue, prop.CurrentValue));
}
