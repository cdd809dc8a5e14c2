namespace NodiRef.Admin.Features.Tracking;

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
    public static readonly ListSpec Spec = new(Filters: ApiFilters.EventFilters, Sorts: [nameof(ITimestamped.CreatedAt)], Includes: []);

    public static void MapEventListEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/clicks", ListClicksAsync).WithTags("Clicks").WithName("ListClicks")
            .WithSummary("List clicks, newest first: filter by partner_id, project_id, status (recorded, discarded), date_from, date_to (UTC days)")
            .WithListQuery(Spec).Produces<ApiList<ClickDto>>().ProducesValidationProblem();
        api.MapGet("/referrals", ListReferralsAsync).WithTags("Referrals").WithName("ListReferrals")
            .WithSummary("List referrals, newest first: filter by partner_id, project_id, status (recorded, discarded), date_from, date_to (UTC days)")
            .WithListQuery(Spec).Produces<ApiList<ReferralDto>>().ProducesValidationProblem();
    }

    private static Task<IResult> ListClicksAsync(HttpContext http, ClickService service, CancellationToken ct) =>
        ApiLists.HandleAsync(http, Spec, (query, v) =>
        {
            var (partnerId, projectId, status, from, to) = ApiFilters.Events<EventStatus>(query, v);
            return new ClickQuery(projectId, partnerId, status, from, to);
        }, service.ListAsync, ClickDto.From, ct);

    private static Task<IResult> ListReferralsAsync(HttpContext http, ReferralService service, CancellationToken ct) =>
        ApiLists.HandleAsync(http, Spec, (query, v) =>
        {
            var (partnerId, projectId, status, from, to) = ApiFilters.Events<EventStatus>(query, v);
            return new ReferralQuery(projectId, partnerId, status, from, to);
        }, service.ListAsync, ReferralDto.From, ct);
}
