namespace NodiRef.Admin.Domain;

/// <summary>An event with a creation time, for date-range filters.</summary>
public interface ITimestamped
{
    DateTime CreatedAt { get; }
}
