using NodiRef.Admin.Components.Shared;

namespace NodiRef.Admin.Features.Rewards;

/// <summary>How rule sets and actions read in the back-office.</summary>
public static class RuleSetDisplay
{
    public static string Scope(RuleSetRow set) => set.Scope switch
    {
        RewardScope.All => "All projects",
        RewardScope.Project => $"Project {set.ScopeName ?? $"#{set.ScopeId} (deleted)"}",
        RewardScope.Partner => $"Partner {set.ScopeName ?? $"#{set.ScopeId} (deleted)"}",
        _ => $"Link {set.ScopeName ?? $"#{set.ScopeId} (deleted)"}",
    };

    public static string ScopeKind(RewardScope scope) => scope switch
    {
        RewardScope.All => "All projects",
        RewardScope.Project => "One project",
        RewardScope.Partner => "One partner",
        _ => "One referral link",
    };

    /// <summary>The window in which conversions qualify; its end is exclusive.</summary>
    public static string Window(DateTime? startsAt, DateTime? endsAt) => (startsAt, endsAt) switch
    {
        (null, null) => "Always",
        ({ } s, null) => $"From {Display.DateTime(s)}",
        (null, { } e) => $"Until {Display.DateTime(e)}",
        ({ } s, { } e) => $"{Display.DateTime(s)} – {Display.DateTime(e)}",
    };

    public static string Reward(ActionRow action) => action.RewardType == RewardType.Percentage
        ? $"{Display.Percent(action.RewardAmount)} of the amount"
        : Display.Money(action.RewardAmount, action.Currency);

    public static string Cap(ActionRow action) => action.MaxCap is { } cap ? Display.Money(cap, action.Currency) : "No cap";
}
