using NodiRef.Admin.Features.Partners;

namespace NodiRef.Admin.Features.ReferralLinks;

/// <summary>A referral link as the grids and the API show it.</summary>
public sealed record LinkRow(
    int Id,
    string Code,
    int PartnerId,
    string PartnerName,
    string? PartnerExternalId,
    ProjectRef? Project,
    string? TargetUrl,
    string? Metadata,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    long Version);

/// <summary>A referral link as a picker shows it: by its code.</summary>
public sealed record LinkRef(int Id, string Code);

public sealed record LinkQuery(
    int? PartnerId = null,
    int? ProjectId = null,
    string? Code = null,
    string? Search = null) : PageRequest;

/// <summary>A new link. No code: one is generated. No project: the partner's default project applies.</summary>
public sealed record CreateLinkInput(
    int PartnerId,
    string? Code = null,
    int? ProjectId = null,
    string? TargetUrl = null,
    string? Metadata = null,
    bool UseDefaultProject = true);

public sealed record UpdateLinkInput(int? ProjectId, string? TargetUrl, string? Metadata);
