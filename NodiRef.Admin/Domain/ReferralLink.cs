namespace NodiRef.Admin.Domain;

/// <summary>A partner's shareable code, optionally tied to a project.</summary>
public sealed class ReferralLink : IVersioned
{
    public const int TargetUrlMaxLength = 2048;
    public const int MetadataMaxLength = 16 * 1024;

    public int Id { get; set; }

    /// <summary>The code as typed.</summary>
    public string Code { get; set; } = "";

    /// <summary>Upper-cased code: uniqueness is case-insensitive.</summary>
    public string CodeKey { get; set; } = "";

    public int PartnerId { get; set; }
    public Partner? Partner { get; set; }
    public int? ProjectId { get; set; }
    public Project? Project { get; set; }
    public string? TargetUrl { get; set; }

    /// <summary>A JSON object of the customer's own tracking data.</summary>
    public string? Metadata { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public long Version { get; set; }
}
