namespace NodiRef.Admin.Domain;

public enum RewardScope
{
    /// <summary>Every conversion of every project.</summary>
    All = 0,
    Project = 1,
    Partner = 2,
    Link = 3,
}

public enum RewardType
{
    /// <summary>A fixed amount per conversion.</summary>
    Fixed = 0,

    /// <summary>A percentage of the conversion's amount.</summary>
    Percentage = 1,
}

/// <summary>A set of reward rules with an optional window and a scope (all, one project, one partner or one link).</summary>
public sealed class RewardRuleSet : IVersioned
{
    public const int NameMaxLength = 120;
    public const int DescriptionMaxLength = 1_000;

    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string? Description { get; set; }

    /// <summary>Conversions recorded at or after this instant qualify (UTC); none means since ever.</summary>
    public DateTime? StartsAt { get; set; }

    /// <summary>Conversions recorded before this instant qualify (UTC); none means open-ended.</summary>
    public DateTime? EndsAt { get; set; }

    public RewardScope Scope { get; set; }

    /// <summary>The project, partner or link of the scope (none for <see cref="RewardScope.All"/>).</summary>
    public int? ScopeId { get; set; }

    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public long Version { get; set; }

    public List<RewardAction> Actions { get; set; } = [];
}

/// <summary>A rule inside a set: for conversions of one event type, pay a fixed amount or a percentage, optionally capped.</summary>
public sealed class RewardAction : IVersioned
{
    public int Id { get; set; }
    public int RuleSetId { get; set; }
    public RewardRuleSet? RuleSet { get; set; }

    /// <summary>The conversion event type it applies to (purchase, subscription).</summary>
    public string ActionType { get; set; } = ConversionTypes.Purchase;

    public RewardType RewardType { get; set; }

    /// <summary>Fixed: an amount in <see cref="Currency"/>; percentage: percent of the conversion amount.</summary>
    public long RewardAmountUnits { get; set; }

    /// <summary>The most one reward can be, in <see cref="Currency"/>.</summary>
    public long? MaxCapUnits { get; set; }

    public string Currency { get; set; } = "USD";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public long Version { get; set; }

    public decimal RewardAmount => MoneyUnits.FromUnits(RewardAmountUnits);
    public decimal? MaxCap => MaxCapUnits is { } cap ? MoneyUnits.FromUnits(cap) : null;
}

public enum RewardStatus
{
    /// <summary>Earned, waiting for approval.</summary>
    Pending = 0,

    /// <summary>Approved: due for payout.</summary>
    Approved = 1,

    Paid = 2,

    /// <summary>Cancelled by a reversal entry before it was paid; neither counts.</summary>
    Reversed = 3,
}

/// <summary>
/// One entry of the append-only rewards ledger: what a partner earned from one conversion under one
/// action, or (negative) a reversal of an earlier entry. Amounts are never edited; statuses move
/// forward (pending -> approved -> paid) and every move is kept in <see cref="RewardEvent"/>.
/// </summary>
public sealed class Reward : IVersioned, IPartnerEvent
{
    public const int NoteMaxLength = 1_000;

    public long Id { get; set; }
    public long ConversionId { get; set; }
    public int PartnerId { get; set; }
    public int LinkId { get; set; }
    public int? ProjectId { get; set; }

    /// <summary>The rule set and action that produced it (kept even if they change later).</summary>
    public int RuleSetId { get; set; }

    public int ActionId { get; set; }
    public long AmountUnits { get; set; }
    public string Currency { get; set; } = "USD";
    public RewardStatus Status { get; set; }

    /// <summary>For a reversal entry: the entry it reverses.</summary>
    public long? ReversesRewardId { get; set; }

    public string? Note { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ApprovedAt { get; set; }
    public DateTime? PaidAt { get; set; }
    public long Version { get; set; }

    public decimal Amount => MoneyUnits.FromUnits(AmountUnits);
}

/// <summary>The history of a ledger entry: who moved it from which status to which, when and why.</summary>
public sealed class RewardEvent
{
    public long Id { get; set; }
    public long RewardId { get; set; }
    public RewardStatus? FromStatus { get; set; }
    public RewardStatus ToStatus { get; set; }
    public string Actor { get; set; } = "";
    public string? Note { get; set; }
    public DateTime At { get; set; }
}
