using Microsoft.AspNetCore.Http.HttpResults;

namespace NodiRef.Admin.Features.Tracking;

/// <summary>GET /api/clicks: the event filters.</summary>
public sealed record ClickFilters : EventFilters<EventStatus>, IListFilters<ClickQuery>
{
    public ClickQuery ToQuery(Validation errors) => Read(errors, (project, partner, status, from, to) => new ClickQuery(project, partner, status, from, to));
}

/// <summary>GET /api/referrals: the event filters.</summary>
public sealed record ReferralFilters : EventFilters<EventStatus>, IListFilters<ReferralQuery>
{
    public ReferralQuery ToQuery(Validation errors) => Read(errors, (project, partner, status, from, to) => new ReferralQuery(project, partner, status, from, to));
}

public sealed record ClickDto(
    long Id,
    Guid TrackingId,
    DateTime CreatedAt,
    int LinkId,
    string Code,
    int PartnerId,
    int? ProjectId,
    string? IpAddress,
    string? UserAgent,
    string? Referrer,
    EventStatus Status,
    string? DiscardReason)
{
    public static ClickDto From(ClickRow c) =>
        new(c.Id, c.TrackingId, c.CreatedAt, c.LinkId, c.LinkCode, c.PartnerId, c.ProjectId, c.IpAddress, c.UserAgent, c.Referrer, c.Status, c.DiscardReason);
}

public sealed record ReferralDto(
    Guid Id,
    Guid TrackingId,
    DateTime CreatedAt,
    string? ExternalId,
    int PartnerId,
    int? ProjectId,
    int LinkId,
    string Code,
    string? IpAddress,
    string? UserAgent,
    EventStatus Status,
    string? DiscardReason)
{
    public static ReferralDto From(ReferralRow r) =>
        new(r.PublicId, r.TrackingId, r.CreatedAt, r.ExternalId, r.PartnerId, r.ProjectId, r.LinkId, r.LinkCode, r.IpAddress, r.UserAgent, r.Status, r.DiscardReason);
}

/// <summary>Read-only lists of recorded clicks and referrals: <c>/api/clicks</c>, <c>/api/referrals</c>.</summary>
public static class EventListEndpoints
{
    public static void MapEventListEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/clicks", ListClicksAsync).WithTags("Clicks").WithName("ListClicks")
            .WithSummary("List clicks, newest first: filter by partner_id, project_id, status (recorded, discarded), date_from, date_to (UTC days)")
            .ProducesValidationProblem();
        api.MapGet("/referrals", ListReferralsAsync).WithTags("Referrals").WithName("ListReferrals")
            .WithSummary("List referrals, newest first: filter by partner_id, project_id, status (recorded, discarded), date_from, date_to (UTC days)")
            .ProducesValidationProblem();
    }

    private static Task<Results<Ok<ApiList<ClickDto>>, ProblemHttpResult>> ListClicksAsync([AsParameters] ClickFilters filters, HttpContext http, ClickService service, CancellationToken ct) =>
        ApiLists.ListAsync(http, filters, service.ListAsync, ClickDto.From, ct);

    private static Task<Results<Ok<ApiList<ReferralDto>>, ProblemHttpResult>> ListReferralsAsync([AsParameters] ReferralFilters filters, HttpContext http, ReferralService service, CancellationToken ct) =>
        ApiLists.ListAsync(http, filters, service.ListAsync, ReferralDto.From, ct);
}
