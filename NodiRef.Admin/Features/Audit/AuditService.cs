namespace NodiRef.Admin.Features.Audit;

/// <summary>One audit entry as the log and the history tabs show it.</summary>
public sealed record AuditEventRow(
    long Id,
    DateTime At,
    AuditActorKind ActorKind,
    string? ActorId,
    string Actor,
    string EntityType,
    string EntityId,
    string? EntityLabel,
    AuditAction Action,
    string? ParentType,
    string? ParentId,
    IReadOnlyList<AuditChange> Changes);

/// <summary>
/// The audit log's filters: the kind of row (and one row), who, what was done, and a UTC day range. Newest first unless
/// sorted by At ascending. <paramref name="WithChildren"/>: one row's entries and those of the rows that belong to it
/// (a partner's links, a rule set's actions).
/// </summary>
public sealed record AuditQuery(
    string? EntityType = null,
    string? EntityId = null,
    string? Actor = null,
    AuditAction? Action = null,
    DateOnly? From = null,
    DateOnly? To = null,
    bool WithChildren = false) : PageRequest;

/// <summary>Reads the audit trail (written by <see cref="AuditTrail"/> on every save): the whole log for admins, one row's history for editors.</summary>
public sealed class AuditService(AppDbFactory dbFactory, CurrentUser currentUser)
{
    /// <summary>The names of the kinds of rows the audit trail records, as entries name them.</summary>
    public static IReadOnlyList<string> EntityTypes { get; } = [.. AuditTrail.Audited.Values.Select(t => t.Name).Order(StringComparer.Ordinal)];

    /// <summary>The log, filtered; an unknown kind of row or a range that ends before it starts is a field error.</summary>
    public async Task<Result<Page<AuditEventRow>>> ListAsync(AuditQuery query, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadAuditLog) is { } denied)
        {
            return denied;
        }

        var v = new Validation()
            .Check(query.EntityType is null || EntityTypes.Contains(query.EntityType, StringComparer.Ordinal), nameof(AuditQuery.EntityType),
                $"Entity type must be one of: {string.Join(", ", EntityTypes)}.")
            .Check(query.EntityId is null || query.EntityId.Length <= AuditEvent.IdMaxLength, nameof(AuditQuery.EntityId), $"Entity id is at most {AuditEvent.IdMaxLength} characters.")
            .Check(query.Actor is null || query.Actor.Length <= AuditEvent.NameMaxLength, nameof(AuditQuery.Actor), $"Actor is at most {AuditEvent.NameMaxLength} characters.")
            .Check(query.From is not { } from || query.To is not { } to || to >= from, nameof(AuditQuery.To), "The range must not end before it starts.");
        if (!v.IsValid)
        {
            return v.ToResult<Page<AuditEventRow>>();
        }

        return Result<Page<AuditEventRow>>.Ok(await PageAsync(query, ct));
    }

    /// <summary>One row's entries and its children's (a partner's and its links', a rule set's and its actions'), newest first: its History.</summary>
    public async Task<Result<Page<AuditEventRow>>> HistoryAsync(string entityType, string entityId, PageRequest page, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadHistory) is { } denied)
        {
            return denied;
        }

        return Result<Page<AuditEventRow>>.Ok(await PageAsync(new AuditQuery(entityType, entityId, WithChildren: true) { PageIndex = page.PageIndex, PageSize = page.PageSize, Sort = page.Sort }, ct));
    }

    /// <summary>Who appears in the log, for the actor filter's suggestions: names starting with <paramref name="prefix"/>, at most 50.</summary>
    public async Task<Result<IReadOnlyList<string>>> ActorsAsync(string? prefix, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadAuditLog) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.AuditEvents.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(prefix))
        {
            var start = prefix.Trim();
            q = q.Where(e => e.ActorName.StartsWith(start));
        }

        return Result<IReadOnlyList<string>>.Ok(await q.Select(e => e.ActorName).Distinct().OrderBy(n => n).Take(50).ToListAsync(ct));
    }

    private async Task<Page<AuditEventRow>> PageAsync(AuditQuery query, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.AuditEvents.AsNoTracking();
        if (query is { WithChildren: true, EntityType: { } parentType, EntityId: { Length: > 0 } parentId })
        {
            q = q.Where(e => (e.EntityType == parentType && e.EntityId == parentId) || (e.ParentType == parentType && e.ParentId == parentId));
        }
        else
        {
            if (query.EntityType is { } type)
            {
                q = q.Where(e => e.EntityType == type);
            }

            if (!string.IsNullOrEmpty(query.EntityId))
            {
                q = q.Where(e => e.EntityId == query.EntityId);
            }
        }

        if (!string.IsNullOrWhiteSpace(query.Actor))
        {
            var actor = query.Actor.Trim();
            q = q.Where(e => e.ActorName == actor || e.ActorId == actor);
        }

        if (query.Action is { } action)
        {
            q = q.Where(e => e.Action == action);
        }

        if (query.From is { } from)
        {
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            q = q.Where(e => e.At >= start);
        }

        if (query.To is { } to)
        {
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            q = q.Where(e => e.At < end);
        }

        var total = await q.CountAsync(ct);
        var desc = query.Sort?.Descending ?? true;
        var page = await (desc ? q.OrderByDescending(e => e.Id) : q.OrderBy(e => e.Id)).Skip(query.Skip).Take(query.Take).ToListAsync(ct);
        return new Page<AuditEventRow>([.. page.Select(ToRow)], total);
    }

    private static AuditEventRow ToRow(AuditEvent e) =>
        new(e.Id, e.At, e.ActorKind, e.ActorId, e.ActorName, e.EntityType, e.EntityId, e.EntityLabel, e.Action, e.ParentType, e.ParentId, AuditTrail.ChangesOf(e));
}
