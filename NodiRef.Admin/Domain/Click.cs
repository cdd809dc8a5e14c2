namespace NodiRef.Admin.Domain;

public enum EventStatus
{
    Recorded = 0,
    Discarded = 1,
}

/// <summary>One opening of a referral link, with the partner and project it had at that moment.</summary>
public sealed class Click
{
    public long Id { get; set; }
    public Guid TrackingId { get; set; }
    public int LinkId { get; set; }
    public int PartnerId { get; set; }
    public int? ProjectId { get; set; }
    public string? IpAddress { get; set; }
    public string? UserAgent { get; set; }
    public string? Referrer { get; set; }
    public DateTime CreatedAt { get; set; }
    public EventStatus Status { get; set; }
    public string? DiscardReason { get; set; }
}
