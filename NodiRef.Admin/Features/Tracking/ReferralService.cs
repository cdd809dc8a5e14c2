namespace NodiRef.Admin.Features.Tracking;

public sealed record ReferralInput(Guid? TrackingId, string? ExternalId, ClientInfo Client);

public sealed record IdentifyInput(int? PartnerId, string? PartnerExternalId, ClientInfo Client);

public sealed record ReferralRow(
    long Id,
    Guid PublicId,
    Guid TrackingId,
    DateTime CreatedAt,
    int PartnerId,
    string PartnerName,
    int? ProjectId,
    string? ProjectName,
    int LinkId,
    string LinkCode,
    string? ExternalId,
    string? IpAddress,
    string? UserAgent,
    EventStatus Status,
    string? DiscardReason);

/// <summary>Filters of the referrals list; dates are whole UTC days, inclusive.</summary>
public sealed record ReferralQuery(
    int? ProjectId = null,
    int? PartnerId = null,
    EventStatus? Status = null,
    DateOnly? From = null,
    DateOnly? To = null) : PageRequest;

/// <summary>Turns tracking ids into referrals, and records partners' own sessions (the public API's referral and identify).</summary>
public sealed class ReferralService(AppDbFactory dbFactory, CurrentUser currentUser, TimeProvider clock)
{
    /// <summary>
    /// Records a sign-up that came through a click. The partner and project are those of the click;
    /// the status is the partner's and project's as of now: an inactive partner's referral is discarded.
    /// </summary>
    public async Task<Result<Referral>> CreateAsync(ReferralInput input, CancellationToken ct = default)
    {
        var externalId = string.IsNullOrWhiteSpace(input.ExternalId) ? null : input.ExternalId.Trim();
        var v = new Validation()
            .Check(input.TrackingId is not null && input.TrackingId != Guid.Empty, nameof(ReferralInput.TrackingId), "tracking_id is required: the id GET /v1/{code}/hit answered.")
            .Optional(externalId, nameof(ReferralInput.ExternalId), "external_id", Referral.ExternalIdMaxLength);
        if (!v.IsValid)
        {
            return v.ToResult<Referral>();
        }

        // Found by the millisecond the id carries, on the click log's time index (see Click.NewTrackingId).
        var trackingId = input.TrackingId!.Value;
        if (Click.CreatedWithin(trackingId) is not var (from, to))
        {
            return UnknownTrackingId(trackingId);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var click = await db.Clicks.AsNoTracking()
            .Where(c => c.CreatedAt >= from && c.CreatedAt < to && c.TrackingId == trackingId)
            .Select(c => new
            {
                c.Id,
                c.LinkId,
                c.PartnerId,
                c.ProjectId,
                PartnerStatus = db.Partners.Where(p => p.Id == c.PartnerId).Select(p => p.Status).First(),
                ProjectStatus = db.Projects.Where(p => p.Id == c.ProjectId).Select(p => (ProjectStatus?)p.Status).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        if (click is null)
        {
            return UnknownTrackingId(trackingId);
        }

        if (await db.Referrals.AsNoTracking().AnyAsync(r => r.TrackingId == input.TrackingId, ct))
        {
            return Result<Referral>.Conflict("This tracking_id already has its referral: one referral per tracking id.",
                errors: new Dictionary<string, string> { [nameof(ReferralInput.TrackingId)] = "This tracking_id already has its referral." });
        }

        var projectKey = click.ProjectId ?? 0;
        if (externalId is not null && await db.Referrals.AsNoTracking().AnyAsync(r => r.ProjectKey == projectKey && r.ExternalId == externalId, ct))
        {
            return v.Conflict(nameof(ReferralInput.ExternalId), $"A referral with external_id \"{externalId}\" already exists in this project.").ToResult<Referral>();
        }

        var reason = click.PartnerStatus != PartnerStatus.Active ? DiscardReasons.PartnerInactive
            : click.ProjectStatus == ProjectStatus.Archived ? DiscardReasons.ProjectArchived
            : null;
        var referral = new Referral
        {
            PublicId = Guid.CreateVersion7(),
            TrackingId = input.TrackingId!.Value,
            ClickId = click.Id,
            LinkId = click.LinkId,
            PartnerId = click.PartnerId,
            ProjectId = click.ProjectId,
            ProjectKey = projectKey,
            ExternalId = externalId,
            IpAddress = input.Client.IpAddress,
            UserAgent = input.Client.UserAgent,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            Status = reason is null ? EventStatus.Recorded : EventStatus.Discarded,
            DiscardReason = reason,
        };
        db.Referrals.Add(referral);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            return Result<Referral>.Conflict("This tracking_id or external_id already has its referral.");
        }

        return Result<Referral>.Ok(referral);
    }

    private static Result<Referral> UnknownTrackingId(Guid trackingId) =>
        Result<Referral>.NotFound($"Unknown tracking_id \"{trackingId}\": no click has it.");

    /// <summary>Records that a partner is browsing in this session (their own IP and user agent).</summary>
    public async Task<Result<PartnerSession>> IdentifyAsync(IdentifyInput input, CancellationToken ct = default)
    {
        // It marks IPs whose conversions become suspicious, and it tells which partners exist: a credential's job.
        if (await currentUser.DeniedAsync(Permissions.SendTracking) is { } denied)
        {
            return denied;
        }

        if (input.PartnerId is null && string.IsNullOrWhiteSpace(input.PartnerExternalId))
        {
            return Result<PartnerSession>.Invalid(nameof(IdentifyInput.PartnerId), "partner_id (or the partner's external_id) is required.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var externalId = input.PartnerExternalId?.Trim();
        var partnerId = await db.Partners.AsNoTracking()
            .Where(p => input.PartnerId != null ? p.Id == input.PartnerId : p.ExternalId == externalId)
            .Select(p => (int?)p.Id)
            .FirstOrDefaultAsync(ct);
        if (partnerId is null)
        {
            return Result<PartnerSession>.NotFound("No such partner.");
        }

        var session = new PartnerSession { PartnerId = partnerId.Value, IpAddress = input.Client.IpAddress, UserAgent = input.Client.UserAgent, CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.PartnerSessions.Add(session);
        await db.SaveChangesAsync(ct);
        return Result<PartnerSession>.Ok(session);
    }

    /// <summary>Newest first, with partner, project and link, for the back-office and the API.</summary>
    public async Task<Result<Page<ReferralRow>>> ListAsync(ReferralQuery query, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadReferrals) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = PartnerEvents.Filter(db.Referrals.AsNoTracking(), query.ProjectId, query.PartnerId, query.From, query.To);
        if (query.Status is { } status)
        {
            q = q.Where(r => r.Status == status);
        }

        var total = await q.CountAsync(ct);
        var desc = query.Sort?.Descending ?? true;
        var page = await (desc ? q.OrderByDescending(r => r.Id) : q.OrderBy(r => r.Id)).Skip(query.Skip).Take(query.Take).ToListAsync(ct);
        return Result<Page<ReferralRow>>.Ok(new Page<ReferralRow>(await ToRowsAsync(db, page, ct), total));
    }

    /// <summary>The rows of some referrals, with their partner, project and link names.</summary>
    internal static async Task<List<ReferralRow>> ToRowsAsync(AppDbContext db, IReadOnlyList<Referral> page, CancellationToken ct)
    {
        var names = await PartnerEvents.NamesAsync(db, page, ct);
        return [.. page.Select(r => new ReferralRow(
            r.Id, r.PublicId, r.TrackingId, r.CreatedAt, r.PartnerId, names.Partner(r.PartnerId),
            r.ProjectId, names.Project(r.ProjectId), r.LinkId, names.Link(r.LinkId),
            r.ExternalId, r.IpAddress, r.UserAgent, r.Status, r.DiscardReason))];
    }
}
