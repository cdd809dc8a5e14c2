using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace NodiRef.Admin.Features.Audit;

/// <summary>GET /api/audit-events: the kind of row and its id, the actor, the action and a UTC day range.</summary>
[ListSorts(nameof(AuditEvent.At))]
public sealed record AuditEventFilters : IListFilters<AuditQuery>
{
    [FromQuery(Name = "filter[entity_type]")] public string? EntityType { get; init; }

    [FromQuery(Name = "filter[entity_id]")] public string? EntityId { get; init; }

    [FromQuery(Name = "filter[actor]")] public string? Actor { get; init; }

    [FromQuery(Name = "filter[action]")] public Filter<AuditAction>? Action { get; init; }

    [FromQuery(Name = "filter[date_from]")] public Filter<DateOnly>? DateFrom { get; init; }

    [FromQuery(Name = "filter[date_to]")] public Filter<DateOnly>? DateTo { get; init; }

    public AuditQuery ToQuery(Validation errors)
    {
        string? type = null;
        if (!string.IsNullOrEmpty(EntityType))
        {
            type = AuditService.EntityTypes.FirstOrDefault(t => ApiNames.Of(t) == EntityType);
            errors.Check(type is not null, "filter[entity_type]",
                $"filter[entity_type] must be one of: {string.Join(", ", AuditService.EntityTypes.Select(ApiNames.Of))}.");
        }

        errors.Check(DateFrom?.Value is not { } from || DateTo?.Value is not { } to || to >= from, "filter[date_to]", "filter[date_to] must be on or after filter[date_from].");
        return new AuditQuery(type, EntityId, Actor, Action?.Value, DateFrom?.Value, DateTo?.Value);
    }
}

/// <summary>One changed field: its API name, and the values before and after as text (a secret's only named).</summary>
public sealed record AuditChangeDto(string Field, string? Before, string? After, bool Secret);

/// <summary>One audit entry: when, who (kind: user, token, system, anonymous), which row, what was done, and the changed fields.</summary>
public sealed record AuditEventDto(
    long Id,
    DateTime At,
    AuditActorKind ActorKind,
    string? ActorId,
    string Actor,
    string EntityType,
    string EntityId,
    string? EntityLabel,
    AuditAction Action,
    IReadOnlyList<AuditChangeDto> Changes)
{
    public static AuditEventDto From(AuditEventRow e) =>
        new(e.Id, e.At, e.ActorKind, e.ActorId, e.Actor, ApiNames.Of(e.EntityType), e.EntityId, e.EntityLabel, e.Action,
            [.. e.Changes.Select(c => new AuditChangeDto(ApiNames.Of(c.Field), c.Before, c.After, c.Secret))]);
}

/// <summary>The audit trail, read-only: <c>/api/audit-events</c> (admin tokens).</summary>
public static class AuditEndpoints
{
    public static void MapAuditEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/audit-events", ListAsync).WithTags("Audit").WithName("ListAuditEvents")
            .WithSummary("List audit entries, newest first: filter by entity_type and entity_id, actor (name or id), action (created, updated, deleted), date_from, date_to (UTC days)")
            .ProducesValidationProblem();
    }

    private static Task<Results<Ok<ApiList<AuditEventDto>>, ProblemHttpResult>> ListAsync([AsParameters] AuditEventFilters filters, HttpContext http, AuditService service, CancellationToken ct) =>
        ApiLists.ListAsync(http, filters, service.ListAsync, AuditEventDto.From, ct);
}
