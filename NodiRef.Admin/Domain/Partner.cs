namespace NodiRef.Admin.Domain;

public enum PartnerStatus
{
    Active = 0,
    Inactive = 1,
}

/// <summary>Someone who refers others and earns rewards for it.</summary>
public sealed class Partner : IVersioned
{
    public const int NameMaxLength = 200;
    public const int ExternalIdMaxLength = 200;

    public int Id { get; set; }
    private string _name = "";

    /// <summary>Setting the name keeps <see cref="NameSearch"/> in step, so no write path can forget it.</summary>
    public string Name
    {
        get => _name;
        set
        {
            _name = value;
            NameSearch = ToSearchKey(value);
        }
    }

    /// <summary>Lower-cased name, indexed for prefix search; follows <see cref="Name"/> (EF reads both from their columns).</summary>
    public string NameSearch { get; private set; } = "";

    /// <summary>The partner's id in the customer's own system; unique when set.</summary>
    public string? ExternalId { get; set; }

    public PartnerStatus Status { get; set; }
    public int? DefaultProjectId { get; set; }
    public Project? DefaultProject { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public long Version { get; set; }

    public List<ReferralLink> Links { get; set; } = [];

    public static string ToSearchKey(string value) => value.Trim().ToLowerInvariant();
}
