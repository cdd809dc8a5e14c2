using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace NodiRef.Admin.Data;

/// <summary>One changed field of an audit entry; a secret's change is named, its values never.</summary>
public sealed record AuditChange(
    [property: JsonPropertyName("field")] string Field,
    [property: JsonPropertyName("before")] string? Before,
    [property: JsonPropertyName("after")] string? After,
    [property: JsonPropertyName("secret"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Secret = false);

/// <summary>How the audit trail treats one kind of row: the name it goes by, fields it leaves out, fields it never shows.</summary>
public sealed record AuditedType(string Name, IReadOnlySet<string> Ignored, IReadOnlySet<string> Secrets, string? IdProperty = null, string? LabelProperty = null,
    (string Type, string Property)? Parent = null);

/// <summary>
/// The audit trail's one home. <see cref="AppDbContext"/> asks it on every save which tracked rows of an audited type
/// are added, changed or deleted, and writes an <see cref="AuditEvent"/> for each in the save's own transaction, under
/// the context's <see cref="Auditor"/> (a save of audited rows without one fails). So no service can forget it and
/// a change that rolls back leaves no entry. Every entity type of the model is either audited here or listed as not
/// audited with the reason (<see cref="NotAudited"/>), and a test checks that the two lists cover the model.
/// </summary>
public sealed class AuditTrail
{
    /// <summary>Fields no entry shows: the concurrency token and the edit stamp (the entry has its own time).</summary>
    private static readonly string[] AlwaysIgnored = [nameof(IVersioned.Version), "UpdatedAt"];

    public static readonly IReadOnlyDictionary<Type, AuditedType> Audited = new Dictionary<Type, AuditedType>
    {
        [typeof(Project)] = Type("Project", label: nameof(Project.Name)),
        [typeof(Partner)] = Type("Partner", ignored: [nameof(Partner.NameSearch)], label: nameof(Partner.Name)),
        [typeof(ReferralLink)] = Type("ReferralLink", ignored: [nameof(ReferralLink.CodeKey)], label: nameof(ReferralLink.Code), parent: ("Partner", nameof(ReferralLink.PartnerId))),
        [typeof(Referral)] = Type("Referral"),
        [typeof(Conversion)] = Type("Conversion", ignored: [nameof(Conversion.RequestHash)]),
        [typeof(RewardRuleSet)] = Type("RuleSet", label: nameof(RewardRuleSet.Name)),
        [typeof(RewardAction)] = Type("RuleSetAction", parent: ("RuleSet", nameof(RewardAction.RuleSetId))),
        [typeof(Reward)] = Type("Reward"),
        [typeof(ApiToken)] = Type("ApiToken", ignored: [nameof(ApiToken.LastUsedAt)], secrets: [nameof(ApiToken.Hash)], label: nameof(ApiToken.Name)),
        [typeof(ApplicationUser)] = Type(
            "User",
            ignored: [nameof(ApplicationUser.ConcurrencyStamp), nameof(ApplicationUser.SecurityStamp), nameof(ApplicationUser.AccessFailedCount),
                nameof(ApplicationUser.NormalizedEmail), nameof(ApplicationUser.NormalizedUserName)],
            secrets: [nameof(ApplicationUser.PasswordHash)],
            label: nameof(ApplicationUser.Email)),
        [typeof(IdentityUserRole<string>)] = Type("UserRole", idProperty: nameof(IdentityUserRole<string>.UserId)),
        [typeof(WebhookEndpoint)] = Type(
            "WebhookEndpoint",
            ignored: [nameof(WebhookEndpoint.ConsecutiveFailures), nameof(WebhookEndpoint.FailingSince)],
            secrets: [nameof(WebhookEndpoint.Secret), nameof(WebhookEndpoint.PreviousSecret)],
            label: nameof(WebhookEndpoint.Url)),
    };

    /// <summary>The model's other entity types, each with why its rows are not audited one by one.</summary>
    public static readonly IReadOnlyDictionary<Type, string> NotAudited = new Dictionary<Type, string>
    {
        [typeof(AuditEvent)] = "the audit trail itself",
        [typeof(Click)] = "the hit path: clicks are counted, not audited one by one",
        [typeof(ClickDaily)] = "a rollup of the click log",
        [typeof(ClickDailyProject)] = "a rollup of the click log",
        [typeof(ClickRollupState)] = "the click rollups' mark",
        [typeof(ReferralDaily)] = "a rollup kept with the referrals it counts",
        [typeof(ConversionDaily)] = "a rollup kept with the conversions it counts",
        [typeof(RewardDaily)] = "a rollup kept with the rewards it counts",
        [typeof(ReferralDailyProject)] = "a rollup kept with the referrals it counts",
        [typeof(ConversionDailyProject)] = "a rollup kept with the conversions it counts",
        [typeof(RewardDailyProject)] = "a rollup kept with the rewards it counts",
        [typeof(RewardEvent)] = "the reward ledger's own history, written with each (audited) change of its reward",
        [typeof(PartnerProject)] = "derived from the partner's default project and links, which are audited",
        [typeof(PartnerSession)] = "tracking data (a partner's own sessions, from identify calls), kept like clicks",
        [typeof(IdempotencyRecord)] = "the API's replay cache",
        [typeof(WebhookEvent)] = "the webhooks' outbox: each event is the record of an audited change",
        [typeof(WebhookDelivery)] = "the webhooks' delivery state",
        [typeof(WebhookAttempt)] = "the webhooks' delivery log",
        [typeof(Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey)] = "the key ring, managed by Data Protection",
        [typeof(IdentityRole)] = "the fixed set of roles, created at start-up",
        [typeof(IdentityRoleClaim<string>)] = "not used",
        [typeof(IdentityUserClaim<string>)] = "not used",
        [typeof(IdentityUserLogin<string>)] = "not used (no external sign-in)",
        [typeof(IdentityUserToken<string>)] = "not used",
    };

    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly List<Pending> _pending = [];

    private AuditTrail()
    {
    }

    private sealed record Pending(EntityEntry Entry, AuditedType Type, AuditAction Action, string? Id, List<AuditChange>? Changes, string? Label);

    /// <summary>
    /// The audited changes among the tracked entities, read before they are saved (what a change or a delete had
    /// before is gone after); null when there are none.
    /// </summary>
    public static AuditTrail? Collect(ChangeTracker tracker)
    {
        AuditTrail? trail = null;
        foreach (var entry in tracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)
                || !Audited.TryGetValue(entry.Metadata.ClrType, out var type))
            {
                continue;
            }

            Pending pending;
            switch (entry.State)
            {
                case EntityState.Added:
                    pending = new Pending(entry, type, AuditAction.Created, null, null, null);
                    break;
                case EntityState.Modified:
                    var changes = Modified(entry, type);
                    if (changes.Count == 0)
                    {
                        continue;
                    }

                    pending = new Pending(entry, type, AuditAction.Updated, IdOf(entry, type), changes, LabelOf(entry, type));
                    break;
                default:
                    pending = new Pending(entry, type, AuditAction.Deleted, IdOf(entry, type), Fields(entry, type, entry.OriginalValues, before: true), LabelOf(entry, type));
                    break;
            }

            trail ??= new AuditTrail();
            trail._pending.Add(pending);
        }

        return trail;
    }

    /// <summary>The entries, once the rows are saved (an added row's key is known then), for the context to insert.</summary>
    public async Task<List<AuditEvent>> EntriesAsync(AppDbContext db, AuditActor actor, DateTime at, CancellationToken ct)
    {
        var entries = new List<AuditEvent>(_pending.Count);
        foreach (var p in _pending)
        {
            var changes = p.Changes ?? Fields(p.Entry, p.Type, p.Entry.CurrentValues, before: false);
            if (p.Entry.Entity is IdentityUserRole<string> role)
            {
                // A role is named, not its row id.
                var name = await db.Roles.AsNoTracking().Where(r => r.Id == role.RoleId).Select(r => r.Name).FirstOrDefaultAsync(ct);
                changes = [p.Action == AuditAction.Deleted ? new AuditChange("Role", name, null) : new AuditChange("Role", null, name)];
            }

            entries.Add(new AuditEvent
            {
                At = at,
                ActorKind = actor.Kind,
                ActorId = actor.Id,
                ActorName = Bounded(actor.Name, AuditEvent.NameMaxLength)!,
                EntityType = p.Type.Name,
                EntityId = p.Id ?? IdOf(p.Entry, p.Type),
                EntityLabel = Bounded(p.Label ?? LabelOf(p.Entry, p.Type), AuditEvent.NameMaxLength),
                ParentType = p.Type.Parent?.Type,
                ParentId = p.Type.Parent is { } parent ? Format(p.Entry.Property(parent.Property).CurrentValue) : null,
                Action = p.Action,
                Changes = JsonSerializer.Serialize(changes, Json),
            });
        }

        return entries;
    }

    /// <summary>The changes an entry holds, read back from its JSON.</summary>
    public static IReadOnlyList<AuditChange> ChangesOf(AuditEvent e) => JsonSerializer.Deserialize<List<AuditChange>>(e.Changes, Json) ?? [];

    /// <summary>A value as audit entries write it: invariant text, times in UTC ISO 8601, enums by name.</summary>
    public static string? Format(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        decimal m => m.ToString("0.############################", CultureInfo.InvariantCulture),
        Enum e => e.ToString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>The fields of a kind of row the audit trail shows values of (not its key, the ignored ones or secrets).</summary>
    public static IEnumerable<Microsoft.EntityFrameworkCore.Metadata.IProperty> ShownProperties(Microsoft.EntityFrameworkCore.Metadata.IEntityType entityType, AuditedType type) =>
        entityType.GetProperties().Where(p => !p.IsPrimaryKey() && !p.IsShadowProperty() && !type.Ignored.Contains(p.Name) && !type.Secrets.Contains(p.Name));

    public static string IdOf(EntityEntry entry, AuditedType type) => type.IdProperty is { } name
        ? Format(entry.Property(name).CurrentValue) ?? ""
        : string.Join(':', entry.Metadata.FindPrimaryKey()!.Properties.Select(p => Format(entry.Property(p.Name).CurrentValue)));

    private static string? LabelOf(EntityEntry entry, AuditedType type) =>
        type.LabelProperty is { } name ? Format(entry.Property(name).CurrentValue) : null;

    private static List<AuditChange> Modified(EntityEntry entry, AuditedType type)
    {
        var changes = new List<AuditChange>();
        foreach (var property in entry.Properties)
        {
            var name = property.Metadata.Name;
            if (!property.IsModified || property.Metadata.IsShadowProperty() || type.Ignored.Contains(name))
            {
                continue;
            }

            var before = Format(property.OriginalValue);
            var after = Format(property.CurrentValue);
            if (before == after)
            {
                continue;
            }

            changes.Add(type.Secrets.Contains(name) ? new AuditChange(name, null, null, Secret: true) : new AuditChange(name, before, after));
        }

        return changes;
    }

    /// <summary>An added row's fields (after) or a deleted row's (before); empty values left out, secrets only named.</summary>
    private static List<AuditChange> Fields(EntityEntry entry, AuditedType type, PropertyValues values, bool before)
    {
        var changes = new List<AuditChange>();
        foreach (var property in entry.Metadata.GetProperties())
        {
            if (property.IsPrimaryKey() || property.IsShadowProperty() || type.Ignored.Contains(property.Name) || (type.IdProperty == property.Name && !before))
            {
                continue;
            }

            var value = Format(values[property]);
            if (value is null)
            {
                continue;
            }

            changes.Add(type.Secrets.Contains(property.Name)
                ? new AuditChange(property.Name, null, null, Secret: true)
                : before ? new AuditChange(property.Name, value, null) : new AuditChange(property.Name, null, value));
        }

        return changes;
    }

    private static string? Bounded(string? text, int max) => text is null || text.Length <= max ? text : text[..max];

    private static AuditedType Type(string name, string[]? ignored = null, string[]? secrets = null, string? idProperty = null, string? label = null, (string, string)? parent = null) =>
        new(name, new HashSet<string>([.. AlwaysIgnored, .. ignored ?? []], StringComparer.Ordinal), new HashSet<string>(secrets ?? [], StringComparer.Ordinal), idProperty, label, parent);
}
