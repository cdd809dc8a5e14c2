using NodiRef.Admin.Features.Conversions;
using NodiRef.Admin.Features.Tracking;

namespace NodiRef.Admin.Features.Overview;

/// <summary>The steps of a new install, each done when the data says so.</summary>
/// <param name="ProjectId">The first active project (the snippet and the test conversion use it), if any.</param>
/// <param name="LinkCode">A link of that project (else any link), if any.</param>
public sealed record GettingStarted(
    bool HasProject,
    bool HasPartner,
    bool HasTrackingToken,
    bool HasConversion,
    bool HasAcceptedConversion,
    int? ProjectId,
    string? LinkCode)
{
    public bool IsDone => HasProject && HasPartner && HasTrackingToken && HasConversion && HasAcceptedConversion;
}

/// <summary>What a test conversion sent: the referral it went through and the conversion.</summary>
public sealed record TestConversion(string LinkCode, Guid ReferralId, Guid ConversionId);

/// <summary>
/// The empty install's checklist (create a project, a partner, a tracking token for the snippet, send a test
/// conversion, see it accepted), and the test conversion itself: a hit on a real link, its referral and a purchase
/// of 0.00, through the same tracking services the public API calls, so it proves the whole path end to end.
/// </summary>
public sealed class GettingStartedService(
    AppDbFactory dbFactory,
    CurrentUser currentUser,
    TimeProvider clock,
    ClickWriter clicks,
    ReferralService referrals,
    ConversionService conversions)
{
    /// <summary>The product id of test conversions.</summary>
    public const string TestProductId = "nodiref-test";

    public const string TestUserAgent = "NodiRef dashboard (test conversion)";

    public async Task<Result<GettingStarted>> GetAsync(CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadOverview) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var projectId = await db.Projects.AsNoTracking().Where(p => p.Status == ProjectStatus.Active).OrderBy(p => p.Id).Select(p => (int?)p.Id).FirstOrDefaultAsync(ct);
        var code = await LinkAsync(db, projectId, ct);
        return Result<GettingStarted>.Ok(new GettingStarted(
            await db.Projects.AnyAsync(ct),
            await db.Partners.AnyAsync(ct),
            await db.ApiTokens.AnyAsync(t => t.Role == Roles.Tracking && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now), ct),
            await db.Conversions.AnyAsync(ct),
            await db.Conversions.AnyAsync(c => c.Status == ConversionStatus.Accepted, ct),
            projectId,
            code));
    }

    /// <summary>
    /// A click on a link of the first active project (else any link), a referral from it and a purchase of 0.00 USD
    /// (product <see cref="TestProductId"/>): it shows in every list like a real one. Needs the right to send tracking.
    /// </summary>
    public async Task<Result<TestConversion>> SendTestConversionAsync(CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.SendTracking) is { } denied)
        {
            return denied;
        }

        string? code;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var projectId = await db.Projects.AsNoTracking().Where(p => p.Status == ProjectStatus.Active).OrderBy(p => p.Id).Select(p => (int?)p.Id).FirstOrDefaultAsync(ct);
            code = await LinkAsync(db, projectId, ct);
        }

        if (code is null)
        {
            return Result<TestConversion>.Invalid("Link", "Create a partner with a referral link first: the test conversion goes through one.");
        }

        var client = new ClientInfo("127.0.0.1", TestUserAgent);
        var hit = await clicks.RecordAsync(new HitRequest(code, client.IpAddress, client.UserAgent, null, clock.GetUtcNow().UtcDateTime));
        if (hit.Outcome is HitOutcome.UnknownCode or HitOutcome.Overloaded)
        {
            return Result<TestConversion>.Conflict(hit.Outcome == HitOutcome.Overloaded
                ? "The tracking engine is busy: try again in a moment."
                : $"The link {code} is gone: reload the page and try again.");
        }

        var referral = await referrals.CreateAsync(new ReferralInput(hit.TrackingId, null, client), ct);
        if (!referral.Succeeded)
        {
            return referral.As<TestConversion>();
        }

        var key = "nodiref-test-" + Guid.CreateVersion7().ToString("N");
        var payload = new ConversionPayload(ProductId: TestProductId, Amount: 0m, Currency: "USD", Source: "dashboard test");
        var conversion = await conversions.RecordAsync(new ConversionInput(referral.Value!.PublicId, null, null, ConversionTypes.Purchase, payload, key, key, client), ct);
        return conversion.Succeeded
            ? Result<TestConversion>.Ok(new TestConversion(code, referral.Value.PublicId, conversion.Value!.Conversion.PublicId))
            : conversion.As<TestConversion>();
    }

    /// <summary>
    /// The first link (of the project, when there is one) whose partner is active. Read as the first few links by id
    /// with their partner's status: a join filtered on the partner's status would walk all partners first on SQLite.
    /// </summary>
    private static async Task<string?> LinkAsync(AppDbContext db, int? projectId, CancellationToken ct)
    {
        var links = projectId is { } project ? db.ReferralLinks.AsNoTracking().Where(l => l.ProjectId == project) : db.ReferralLinks.AsNoTracking();
        var first = await links.OrderBy(l => l.Id).Take(50)
            .Select(l => new { l.Code, Active = db.Partners.Where(p => p.Id == l.PartnerId).Select(p => p.Status).First() == PartnerStatus.Active })
            .ToListAsync(ct);
        return first.FirstOrDefault(l => l.Active)?.Code ?? (projectId is null ? null : await LinkAsync(db, null, ct));
    }
}
