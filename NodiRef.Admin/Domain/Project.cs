namespace NodiRef.Admin.Domain;

public enum ProjectStatus
{
    Active = 0,
    Archived = 1,
}

/// <summary>The top-level container of a referral program (a product, a site, a campaign family).</summary>
public sealed class Project : IVersioned
{
    public const int NameMaxLength = 100;

    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string LandingUrl { get; set; } = "";
    public ProjectStatus Status { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public long Version { get; set; }
}
