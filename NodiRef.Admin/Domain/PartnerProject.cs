namespace NodiRef.Admin.Domain;

/// <summary>
/// A partner's membership in a project, derived from its links and default project and kept
/// up to date by the services in the same transaction, so "partners of project X" is an index seek.
/// </summary>
public sealed class PartnerProject
{
    public int PartnerId { get; set; }
    public int ProjectId { get; set; }
}
