using NodiRef.Admin.Features.Rewards;

namespace NodiRef.Admin.Features.Conversions;

/// <summary>
/// Decides what a pending conversion becomes, in one transaction with the ledger entries it causes.
/// The conversion's version guards the decision, so two instances never process the same one twice.
/// </summary>
public static class ConversionProcessing
{
    public const string SystemActor = "system";

    /// <summary>Processes one pending conversion; false when it must wait (its original is still pending) or another instance took it.</summary>
    public static async Task<bool> ProcessAsync(AppDbContext db, Conversion conversion, DateTime now, CancellationToken ct)
    {
        if (conversion.Status != ConversionStatus.Pending)
        {
            return false;
        }

        Conversion? original = null;
        if (conversion.ReversesConversionId is { } originalId)
        {
            original = await db.Conversions.AsNoTracking().FirstAsync(c => c.Id == originalId, ct);
            if (original.Status == ConversionStatus.Pending)
            {
                return false;
            }
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            if (original is not null)
            {
                // A refund is never discarded: money that came back takes its rewards back, whatever the partner's status.
                conversion.Status = ConversionStatus.Accepted;
                conversion.ProcessedAt = now;
                await db.SaveChangesAsync(ct);
                if (original.Status == ConversionStatus.Accepted)
                {
                    await RewardLedger.ReverseForRefundAsync(db, original, conversion.AmountUnits, SystemActor, now, ct);
                }
            }
            else
            {
                var state = await db.Referrals.AsNoTracking()
                    .Where(r => r.Id == conversion.ReferralId)
                    .Select(r => new
                    {
                        ReferralIp = r.IpAddress,
                        PartnerStatus = db.Partners.Where(p => p.Id == conversion.PartnerId).Select(p => p.Status).First(),
                        ProjectStatus = db.Projects.Where(p => p.Id == conversion.ProjectId).Select(p => (ProjectStatus?)p.Status).FirstOrDefault(),
                    })
                    .FirstAsync(ct);
                var ips = new[] { conversion.IpAddress, state.ReferralIp }.Where(ip => ip is not null).Distinct().ToList();
                var selfReferral = ips.Count > 0 && await db.PartnerSessions.AsNoTracking()
                    .AnyAsync(s => s.PartnerId == conversion.PartnerId && ips.Contains(s.IpAddress), ct);

                conversion.ProcessedAt = now;
                (conversion.Status, conversion.Reason) =
                    state.PartnerStatus != PartnerStatus.Active ? (ConversionStatus.Discarded, DiscardReasons.PartnerInactive)
                    : state.ProjectStatus == ProjectStatus.Archived ? (ConversionStatus.Discarded, DiscardReasons.ProjectArchived)
                    : selfReferral ? (ConversionStatus.Suspicious, ConversionReasons.SelfReferral)
                    : (ConversionStatus.Accepted, (string?)null);
                await db.SaveChangesAsync(ct);
                if (conversion.Status == ConversionStatus.Accepted)
                {
                    await RewardLedger.AcceptAsync(db, conversion, SystemActor, now, ct);
                }
            }

            await tx.CommitAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another instance (or a person) decided first; theirs stands.
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return false;
        }
    }
}
