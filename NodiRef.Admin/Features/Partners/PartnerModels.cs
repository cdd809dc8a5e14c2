namespace NodiRef.Admin.Features.Partners;

/// <summary>A project as a row names it (a partner's projects, a link's project).</summary>
public sealed record ProjectRef(int Id, string Name);

/// <summary>A partner as a picker shows it (<see cref="PartnerPicker"/>): its name, and its external ID when it has one.</summary>
public sealed record PartnerRef(int Id, string Label)
{
    public static PartnerRef Of(PartnerRow partner) =>
        new(partner.Id, partner.ExternalId is null ? partner.Name : $"{partner.Name} ({partner.ExternalId})");
}

/// <summary>A partner as the grid and the API show it.</summary>
public sealed record PartnerRow(
    int Id,
    string Name,
    string? ExternalId,
    PartnerStatus Status,
    ProjectRef? DefaultProject,
    IReadOnlyList<ProjectRef> Projects,
    int LinkCount,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    long Version);

/// <summary>A partner with what decides whether it may be deleted.</summary>
public sealed record PartnerDetails(PartnerRow Partner, long ClickCount)
{
    public bool WasUsed => ClickCount > 0;

    public string? DeleteBlockedReason => WasUsed
        ? $"This partner has {ClickCount:N0} click(s) on record (discarded ones included); its history must be kept, so it can only be deactivated."
        : null;
}

public sealed record PartnerQuery(
    string? Search = null,
    PartnerStatus? Status = null,
    int? ProjectId = null,
    string? ExternalId = null,
    string? Name = null) : PageRequest;

public sealed record CreatePartnerInput(
    string? Name,
    string? ExternalId = null,
    PartnerStatus Status = PartnerStatus.Active,
    int? ProjectId = null);

public sealed record UpdatePartnerInput(
    string? Name,
    string? ExternalId,
    PartnerStatus Status,
    int? DefaultProjectId);
