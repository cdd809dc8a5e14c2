namespace NodiRef.Admin.Features.Common;

/// <summary>
/// One kind of operation's permission: the roles that have it and what a refusal says. Every service
/// operation opens with <see cref="CurrentUser.DeniedAsync"/> on one of <see cref="Permissions"/>; pages ask
/// <see cref="CurrentUser.HasAsync"/> with the same value to show or hide a button, so both say the same.
/// </summary>
public sealed record Permission(string Name, string[] Roles, string Denied);

/// <summary>
/// Every permission of the product, declared once. Roles are checked against what a person has now (see
/// <see cref="CurrentUser.IsInAnyRoleAsync"/>). A new area adds its permissions here, and a test calls every
/// public operation of every service as nobody and expects each one to be refused.
/// </summary>
public static class Permissions
{
    private static readonly string[] Readers = [Roles.Admin, Roles.Operator, Roles.Viewer];
    private static readonly string[] Editors = [Roles.Admin, Roles.Operator];
    private static readonly string[] Admins = [Roles.Admin];

    public static readonly Permission ReadOverview = new("overview.read", Readers, "You are not allowed to see the program's overview.");

    public static readonly Permission ReadProjects = new("projects.read", Readers, "You are not allowed to see projects.");
    public static readonly Permission EditProjects = new("projects.edit", Editors, "Only admins and operators can create, edit, archive or restore projects.");

    public static readonly Permission ReadPartners = new("partners.read", Readers, "You are not allowed to see partners.");
    public static readonly Permission EditPartners = new("partners.edit", Editors, "Only admins and operators can change partners.");

    public static readonly Permission ReadLinks = new("links.read", Readers, "You are not allowed to see referral links.");
    public static readonly Permission EditLinks = new("links.edit", Editors, "Only admins and operators can change referral links.");
    public static readonly Permission MoveLinks = new("links.move", Admins, "Only admins can change the project of an existing link.");

    public static readonly Permission ReadClicks = new("clicks.read", Readers, "You are not allowed to see clicks.");
    public static readonly Permission ReadReferrals = new("referrals.read", Readers, "You are not allowed to see referrals.");

    public static readonly Permission SendTracking = new("tracking.send", [.. Roles.TrackingSenders],
        "Conversions, refunds and identifies are sent from your backend with an API token of the Tracking role (or Operator or Admin).");

    public static readonly Permission ReadConversions = new("conversions.read", Readers, "You are not allowed to see conversions.");
    public static readonly Permission ReviewConversions = new("conversions.review", Editors, "Only admins and operators can review or refund conversions.");

    public static readonly Permission ReadRewards = new("rewards.read", Readers, "You are not allowed to see rewards.");
    public static readonly Permission EditRewards = new("rewards.edit", Editors, "Only admins and operators can approve, pay or reverse rewards.");

    public static readonly Permission ReadRuleSets = new("rule_sets.read", Readers, "You are not allowed to see reward rules.");
    public static readonly Permission EditRuleSets = new("rule_sets.edit", Editors, "Only admins and operators can change reward rules.");

    public static readonly Permission ManageUsers = new("users.manage", Admins, "Only admins can manage users.");
    public static readonly Permission ReadAuditLog = new("audit.read", Admins, "Only admins can read the audit log.");
    public static readonly Permission ReadHistory = new("history.read", Editors, "Only admins and operators can see the history of changes.");
    public static readonly Permission ManageWebhooks = new("webhooks.manage", Admins, "Only admins can manage webhooks.");
    public static readonly Permission ManageTokens = new("api_tokens.manage", Admins, "Only admins can manage API tokens.");
}

/// <summary>A refused operation: converts to the failed <see cref="Result{T}"/> of whatever the operation returns.</summary>
public sealed record Denied(string Message);
