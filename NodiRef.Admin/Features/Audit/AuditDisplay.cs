using MudBlazor;
using NodiRef.Admin.Components.Shared;

namespace NodiRef.Admin.Features.Audit;

/// <summary>How the audit log names and links what it shows: kinds of rows in words, the page of a row, the look of an action.</summary>
public static class AuditDisplay
{
    private static readonly Dictionary<string, string> Nouns = new(StringComparer.Ordinal)
    {
        ["Project"] = "Project",
        ["Partner"] = "Partner",
        ["ReferralLink"] = "Referral link",
        ["Referral"] = "Referral",
        ["Conversion"] = "Conversion",
        ["RuleSet"] = "Rule set",
        ["RuleSetAction"] = "Rule set action",
        ["Reward"] = "Reward",
        ["ApiToken"] = "API token",
        ["User"] = "User",
        ["UserRole"] = "User role",
        ["WebhookEndpoint"] = "Webhook endpoint",
    };

    /// <summary>"Referral link" for "ReferralLink".</summary>
    public static string Noun(string entityType) => Nouns.GetValueOrDefault(entityType, entityType);

    /// <summary>The page that shows the row, when it has one (and still exists: a deleted row's link answers "does not exist").</summary>
    public static string? Href(string entityType, string entityId) => entityType switch
    {
        "Partner" => $"partners/{entityId}",
        "RuleSet" => $"rewards/rule-sets/{entityId}",
        _ => null,
    };

    public static StatusLook Look(AuditAction action) => action switch
    {
        AuditAction.Created => new StatusLook(Color.Success, Icons.Material.Filled.AddCircleOutline, "Created"),
        AuditAction.Updated => new StatusLook(Color.Info, Icons.Material.Filled.Edit, "Changed"),
        _ => new StatusLook(Color.Error, Icons.Material.Filled.DeleteOutline, "Deleted"),
    };

    public static string Verb(AuditAction action) => action switch
    {
        AuditAction.Created => "Created",
        AuditAction.Updated => "Changed",
        _ => "Deleted",
    };

    public static string ActorIcon(AuditActorKind kind) => kind switch
    {
        AuditActorKind.User => Icons.Material.Filled.Person,
        AuditActorKind.Token => Icons.Material.Filled.VpnKey,
        AuditActorKind.System => Icons.Material.Filled.Settings,
        _ => Icons.Material.Filled.Public,
    };

    /// <summary>A value as a cell shows it: empty as a dash, long text cut with an ellipsis (the full text is the cell's title).</summary>
    public static string Value(string? value, int max = 80) =>
        value is null ? "—" : value.Length <= max ? value : string.Concat(value.AsSpan(0, max - 1), "…");
}
