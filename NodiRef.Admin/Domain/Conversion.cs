namespace NodiRef.Admin.Domain;

public enum ConversionStatus
{
    /// <summary>Recorded, waiting for the processor (within a second).</summary>
    Pending = 0,

    /// <summary>Rewards were computed.</summary>
    Accepted = 1,

    /// <summary>A person decided against it: no reward.</summary>
    Rejected = 2,

    /// <summary>Held by fraud detection until a person accepts or rejects it.</summary>
    Suspicious = 3,

    /// <summary>The partner was inactive (or the project archived) when it was processed: counts nowhere.</summary>
    Discarded = 4,
}

/// <summary>Event types of conversions; the set may grow.</summary>
public static class ConversionTypes
{
    public const string Purchase = "purchase";
    public const string Subscription = "subscription";

    /// <summary>A refund: reverses (part of) an earlier conversion and the rewards it earned.</summary>
    public const string Refund = "refund";

    /// <summary>What reward actions can apply to (a refund is never rewarded, it reverses).</summary>
    public static readonly string[] Rewardable = [Purchase, Subscription];

    public static readonly string[] All = [Purchase, Subscription, Refund];
}

/// <summary>Why a conversion was held or discarded.</summary>
public static class ConversionReasons
{
    /// <summary>The conversion or its referral came from an IP the partner's own sessions use.</summary>
    public const string SelfReferral = "self_referral";

    public static string Describe(string? reason) => reason switch
    {
        SelfReferral => "Self-referral: same IP as the partner's own session",
        _ => DiscardReasons.Describe(reason),
    };
}

/// <summary>
/// A paid action of a referred user (or a refund of one), with the partner, link and project of its
/// referral. Amounts are stored in 1/10,000 units (<see cref="MoneyUnits"/>).
/// </summary>
public sealed class Conversion : IVersioned, IPartnerEvent
{
    public const int EventKeyMaxLength = 200;
    public const int TextMaxLength = 200;
    public const int MetaMaxLength = 8_000;
    public const int NoteMaxLength = 1_000;

    public long Id { get; set; }

    /// <summary>The id the API hands out (<c>conversion_id</c>).</summary>
    public Guid PublicId { get; set; }

    /// <summary>The sender's idempotency key (header or <c>event_id</c>): the same key is recorded once.</summary>
    public string? EventKey { get; set; }

    /// <summary>The API token that sent it: idempotency keys (and a refund's <c>original_event_id</c>) are that token's own.</summary>
    public int? TokenId { get; set; }

    /// <summary>A hash of the request, so a reused key with a different conversion is refused.</summary>
    public string? RequestHash { get; set; }

    public long ReferralId { get; set; }
    public int PartnerId { get; set; }
    public int LinkId { get; set; }
    public int? ProjectId { get; set; }

    public string EventType { get; set; } = ConversionTypes.Purchase;
    public long AmountUnits { get; set; }
    public string Currency { get; set; } = "USD";
    public string? ProductId { get; set; }
    public string? Category { get; set; }
    public int Quantity { get; set; } = 1;
    public string? Plan { get; set; }
    public string? SubscriptionId { get; set; }
    public string? Source { get; set; }

    /// <summary>Free-form JSON object sent by the customer.</summary>
    public string? Meta { get; set; }

    /// <summary>For a refund: the conversion it reverses.</summary>
    public long? ReversesConversionId { get; set; }

    public string? IpAddress { get; set; }
    public string? UserAgent { get; set; }
    public DateTime CreatedAt { get; set; }
    public ConversionStatus Status { get; set; }

    /// <summary>Why it is suspicious or discarded.</summary>
    public string? Reason { get; set; }

    public DateTime? ProcessedAt { get; set; }

    /// <summary>The person who accepted or rejected it, and why.</summary>
    public string? ReviewedBy { get; set; }

    public DateTime? ReviewedAt { get; set; }
    public string? ReviewNote { get; set; }
    public long Version { get; set; }

    public decimal Amount => MoneyUnits.FromUnits(AmountUnits);
}
