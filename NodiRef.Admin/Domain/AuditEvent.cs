namespace NodiRef.Admin.Domain;

public enum AuditAction
{
    Created = 0,
    Updated = 1,
    Deleted = 2,
}

/// <summary>Who made a change: a person, an API token, the system (a worker or the command line), or an anonymous caller of a public endpoint.</summary>
public enum AuditActorKind
{
    User = 0,
    Token = 1,
    System = 2,
    Anonymous = 3,
}

/// <summary>
/// One change to one row, written in the transaction of the change itself (see <c>Data/AuditTrail.cs</c>): when,
/// who, which row, what was done, and each changed field before and after. Append-only; only the retention
/// setting removes entries.
/// </summary>
public sealed class AuditEvent
{
    public const int NameMaxLength = 200;
    public const int IdMaxLength = 64;

    public long Id { get; set; }
    public DateTime At { get; set; }
    public AuditActorKind ActorKind { get; set; }

    /// <summary>The user's id, or the token's; null for the system and anonymous callers.</summary>
    public string? ActorId { get; set; }

    /// <summary>How the actor was named at the time: a person's email, "API token X (nr_…)", "system: conversion processor".</summary>
    public string ActorName { get; set; } = "";

    /// <summary>The kind of row, as the audit log names it: "Partner", "ReferralLink", "Reward".</summary>
    public string EntityType { get; set; } = "";
    public string EntityId { get; set; } = "";

    /// <summary>How the row was called when it changed (a partner's name, a link's code), so the log reads without lookups.</summary>
    public string? EntityLabel { get; set; }
    public AuditAction Action { get; set; }

    /// <summary>The row this one belongs to, whose history shows it too: a link's partner, an action's rule set.</summary>
    public string? ParentType { get; set; }
    public string? ParentId { get; set; }

    /// <summary>The changed fields as JSON: <c>[{"field":"Name","before":"Ada","after":"Ada L."}]</c>; values as text, secrets never.</summary>
    public string Changes { get; set; } = "[]";
}

/// <summary>Who is acting, as an audit entry names them.</summary>
public sealed record AuditActor(AuditActorKind Kind, string? Id, string Name)
{
    public static AuditActor System(string worker) => new(AuditActorKind.System, null, $"system: {worker}");

    public static readonly AuditActor Anonymous = new(AuditActorKind.Anonymous, null, "anonymous");
}

/// <summary>
/// What a context records its audited changes with: who is acting (asked once per save) and the clock. Services get
/// contexts from <c>AppDbFactory</c>, which sets one from the scope's current user; workers and tools set their own.
/// </summary>
public sealed class Auditor(Func<Task<AuditActor>> actor, TimeProvider clock)
{
    public TimeProvider Clock { get; } = clock;

    public Task<AuditActor> ActorAsync() => actor();

    public static Auditor Fixed(AuditActor actor, TimeProvider clock) => new(() => Task.FromResult(actor), clock);
}
