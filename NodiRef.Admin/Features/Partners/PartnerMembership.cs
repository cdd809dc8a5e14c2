namespace NodiRef.Admin.Features.Partners;

/// <summary>Recomputes which projects a partner belongs to: those of its links, plus its default project.</summary>
internal static class PartnerMembership
{
    /// <summary>Call inside the transaction that changed the partner's links or default project.</summary>
    public static async Task RefreshAsync(AppDbContext db, int partnerId, CancellationToken ct)
    {
        var wanted = await db.ReferralLinks.Where(l => l.PartnerId == partnerId && l.ProjectId != null).Select(l => l.ProjectId!.Value)
            .Union(db.Partners.Where(p => p.Id == partnerId && p.DefaultProjectId != null).Select(p => p.DefaultProjectId!.Value))
            .ToListAsync(ct);
        var current = await db.PartnerProjects.Where(m => m.PartnerId == partnerId).Select(m => m.ProjectId).ToListAsync(ct);

        var stale = current.Except(wanted).ToList();
        if (stale.Count > 0)
        {
            await db.PartnerProjects.Where(m => m.PartnerId == partnerId && stale.Contains(m.ProjectId)).ExecuteDeleteAsync(ct);
        }

        var missing = wanted.Except(current).ToList();
        if (missing.Count > 0)
        {
            db.PartnerProjects.AddRange(missing.Select(projectId => new PartnerProject { PartnerId = partnerId, ProjectId = projectId }));
            await db.SaveChangesAsync(ct);
        }
    }
}
