namespace NodiRef.Admin.Features.Rewards;

public sealed record RuleSetInput(
    string? Name,
    string? Description,
    DateTime? StartsAt,
    DateTime? EndsAt,
    RewardScope Scope,
    int? ScopeId,
    bool IsActive);

public sealed record RuleSetRow(
    int Id,
    string Name,
    string? Description,
    DateTime? StartsAt,
    DateTime? EndsAt,
    RewardScope Scope,
    int? ScopeId,
    string? ScopeName,
    bool IsActive,
    int ActionCount,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    long Version);

public sealed record RuleSetQuery(bool? IsActive = null, RewardScope? Scope = null, string? Search = null) : PageRequest;

public sealed record ActionInput(
    int? RuleSetId,
    string? ActionType,
    RewardType RewardType,
    decimal? RewardAmount,
    decimal? MaxCap,
    string? Currency);

public sealed record ActionRow(
    int Id,
    int RuleSetId,
    string RuleSetName,
    string ActionType,
    RewardType RewardType,
    decimal RewardAmount,
    decimal? MaxCap,
    string Currency,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    long Version);

public sealed record ActionQuery(int? RuleSetId = null, string? ActionType = null) : PageRequest;
