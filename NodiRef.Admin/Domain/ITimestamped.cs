namespace NodiRef.Admin.Domain;

/// <summary>An event with a creation time, for date-range filters.</summary>
public interface ITimestamped
{
    DateTime CreatedAt { get; }
}

/// <summary>An event recorded for a partner's link, with the project it had at that moment.</summary>
public interface IPartnerEvent : ITimestamped
{
    int PartnerId { get; }
    int LinkId { get; }
    int? ProjectId { get; }
}
