namespace NodiRef.Admin.Domain;

/// <summary>A visitor who signed up after a click: one per tracking id, with the partner, link and project of that click.</summary>
public sealed class Referral : IPartnerEvent
{
    public const int ExternalIdMaxLength = 200;

    public long Id { get; set; }

    /// <summary>The id the API hands out (<c>referral_id</c>).</summary>
    public Guid PublicId { get; set; }

    public Guid TrackingId { get; set; }
    public long ClickId { get; set; }
    public int LinkId { get; set; }
    public int PartnerId { get; set; }
    public int? ProjectId { get; set; }

    /// <summary>The project, or 0 without one: with the external id it forms a unique key.</summary>
    public int ProjectKey { get; set; }

    /// <summary>The referred user's id in the customer's system.</summary>
    public string? ExternalId { get; set; }

    public string? IpAddress { get; set; }
    public string? UserAgent { get; set; }
    public DateTime CreatedAt { get; set; }
    public EventStatus Status { get; set; }
    public string? DiscardReason { get; set; }
}

/// <summary>A partner's own browser session, reported by the landing page, so self-referrals can be caught.</summary>
public sealed class PartnerSession
{
    public long Id { get; set; }
    public int PartnerId { get; set; }
    public string? IpAddress { get; set; }
    public string? UserAgent { get; set; }
    public DateTime CreatedAt { get; set; }
}
