using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace NodiRef.Admin.Features.Rewards;

public sealed record ActionDto(int Id, int RuleSetId, string ActionType, RewardType RewardType, decimal RewardAmount, decimal? MaxCap, string Currency, DateTime CreatedAt, DateTime UpdatedAt, long Version) : IVersionedDto
{
    public static ActionDto From(ActionRow a) => new(a.Id, a.RuleSetId, a.ActionType, a.RewardType, a.RewardAmount, a.MaxCap, a.Currency, a.CreatedAt, a.UpdatedAt, a.Version);
}

public sealed record RuleSetDto(
    int Id,
    string Name,
    string? Description,
    DateTime? StartsAt,
    DateTime? EndsAt,
    RewardScope Scope,
    int? ScopeId,
    bool IsActive,
    int ActionCount,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    long Version) : IVersionedDto
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ActionDto>? Actions { get; init; }

    public static RuleSetDto From(RuleSetRow s, IReadOnlyList<ActionRow>? actions = null) =>
        new(s.Id, s.Name, s.Description, s.StartsAt, s.EndsAt, s.Scope, s.ScopeId, s.IsActive, s.ActionCount, s.CreatedAt, s.UpdatedAt, s.Version)
        {
            Actions = actions?.Where(a => a.RuleSetId == s.Id).Select(ActionDto.From).ToList(),
        };
}

public sealed record RewardHistoryDto(RewardStatus? FromStatus, RewardStatus ToStatus, string Actor, string? Note, DateTime At);

public sealed record RewardDto(
    long Id,
    DateTime CreatedAt,
    int PartnerId,
    int? ProjectId,
    Guid ConversionId,
    int RuleSetId,
    int ActionId,
    decimal Amount,
    string Currency,
    RewardStatus Status,
    long? ReversesRewardId,
    string? Note,
    DateTime? ApprovedAt,
    DateTime? PaidAt,
    long Version) : IVersionedDto
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<RewardHistoryDto>? History { get; init; }

    public static RewardDto From(RewardRow r) =>
        new(r.Id, r.CreatedAt, r.PartnerId, r.ProjectId, r.ConversionId, r.RuleSetId, r.ActionId, r.Amount, r.Currency, r.Status, r.ReversesRewardId, r.Note, r.ApprovedAt, r.PaidAt, r.Version);
}

public sealed record CreateRuleSetRequest(string? Name, string? Description, DateTime? StartsAt, DateTime? EndsAt, RewardScope? Scope, int? ScopeId, bool? IsActive);

public sealed record UpdateRuleSetRequest(
    Optional<string?> Name,
    Optional<string?> Description,
    Optional<DateTime?> StartsAt,
    Optional<DateTime?> EndsAt,
    Optional<RewardScope?> Scope,
    Optional<int?> ScopeId,
    Optional<bool?> IsActive,
    long? Version);

public sealed record CreateActionRequest(int? RuleSetId, string? ActionType, RewardType? RewardType, decimal? RewardAmount, decimal? MaxCap, string? Currency);

public sealed record UpdateActionRequest(
    Optional<string?> ActionType,
    Optional<RewardType?> RewardType,
    Optional<decimal?> RewardAmount,
    Optional<decimal?> MaxCap,
    Optional<string?> Currency,
    long? Version);

public sealed record RewardMoveRequest(string? Note, long? Version) : IVersionedRequest;

/// <summary>GET /api/rewards: the event filters and the currency; include=history.</summary>
[ListIncludes(nameof(RewardDto.History))]
public sealed record RewardFilters : EventFilters<RewardStatus>, IListFilters<RewardQuery>
{
    [FromQuery(Name = "filter[currency]")] public string? Currency { get; init; }

    public RewardQuery ToQuery(Validation errors)
    {
        errors.Check(Currency is null || Domain.Currency.Normalize(Currency) is not null, "filter[currency]", "filter[currency] must be an ISO 4217 code such as USD.");
        return Read(errors, (project, partner, status, from, to) => new RewardQuery(project, partner, status, Currency, from, to));
    }
}

/// <summary>GET /api/rewards/rule-sets: its filters, sort fields and includes.</summary>
[ListSorts(nameof(RewardRuleSet.Name), nameof(RewardRuleSet.CreatedAt), nameof(RewardRuleSet.UpdatedAt), nameof(RewardRuleSet.StartsAt))]
[ListIncludes(nameof(RuleSetDto.Actions))]
public sealed record RuleSetFilters : IListFilters<RuleSetQuery>
{
    [FromQuery(Name = "filter[is_active]")] public Filter<bool>? IsActive { get; init; }

    [FromQuery(Name = "filter[scope]")] public Filter<RewardScope>? Scope { get; init; }

    [FromQuery(Name = "filter[name]")] public string? Name { get; init; }

    public RuleSetQuery ToQuery(Validation errors) => new(IsActive?.Value, Scope?.Value, Name);
}

/// <summary>GET /api/rewards/actions: its filters and sort fields.</summary>
[ListSorts(nameof(RewardAction.Id), nameof(RewardAction.CreatedAt), nameof(RewardAction.ActionType))]
public sealed record ActionFilters : IListFilters<ActionQuery>
{
    [FromQuery(Name = "filter[rule_set_id]")] public Filter<int>? RuleSetId { get; init; }

    [FromQuery(Name = "filter[action_type]")] public string? ActionType { get; init; }

    public ActionQuery ToQuery(Validation errors) => new(RuleSetId?.Value, ActionType?.Trim().ToLowerInvariant());
}

/// <summary>
/// REST mapping of the rewards ledger (<c>/api/rewards</c>: list, read, approve, pay, reverse) and of the
/// rules that produce it (<c>/api/rewards/rule-sets</c>, <c>/api/rewards/actions</c>).
/// </summary>
public static class RewardEndpoints
{
    public static void MapRewardEndpoints(this RouteGroupBuilder api)
    {
        var rewards = api.MapGroup("/rewards").WithTags("Rewards");
        rewards.MapGet("/", ListAsync).WithName("ListRewards")
            .WithSummary("List ledger entries, newest first: filter by partner_id, project_id, status (pending, approved, paid, reversed), currency, date_from, date_to")
            .ProducesValidationProblem();
        rewards.MapGet("/{id:long}", GetAsync).WithName("GetReward").WithSummary("Get a ledger entry; include=history for its status changes")
            .ProducesProblem(StatusCodes.Status404NotFound);
        rewards.MapChange("/{id:long}/approve", "ApproveReward", "Approve a pending reward: it becomes due for payout",
            (RewardService service, long id, RewardMoveRequest body, long? version, CancellationToken ct) => service.ApproveAsync(id, body.Note, version, ct), RewardDto.From);
        rewards.MapChange("/{id:long}/pay", "PayReward", "Mark an approved reward as paid",
            (RewardService service, long id, RewardMoveRequest body, long? version, CancellationToken ct) => service.PayAsync(id, body.Note, version, ct), RewardDto.From);
        rewards.MapChange("/{id:long}/reverse", "ReverseReward", "Reverse what is left of a reward with a negative entry (note required); answers the new entry",
            (RewardService service, long id, RewardMoveRequest body, long? version, CancellationToken ct) => service.ReverseAsync(id, body.Note, version, ct), RewardDto.From);

        var sets = rewards.MapGroup("/rule-sets").WithTags("Reward rule sets");
        sets.MapGet("/", ListSetsAsync).WithName("ListRuleSets").WithSummary("List reward rule sets; include=actions").ProducesValidationProblem();
        sets.MapGet("/{id:int}", GetSetAsync).WithName("GetRuleSet").WithSummary("Get a reward rule set; include=actions")
            .ProducesProblem(StatusCodes.Status404NotFound);
        sets.MapPost("/", CreateSetAsync).WithName("CreateRuleSet")
            .WithSummary("Create a rule set: name, description, starts_at/ends_at (optional window), scope (all, project, partner, link) with scope_id, is_active")
            .WithIdempotencyKey().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        sets.MapPatch("/{id:int}", UpdateSetAsync).WithName("UpdateRuleSet").WithSummary("Change a rule set (If-Match or version)").AsChange();
        sets.MapDelete("/{id:int}", DeleteSetAsync).WithName("DeleteRuleSet").WithSummary("Delete a rule set that never produced a reward (else 409: deactivate it)")
            .AsChange();

        var actions = rewards.MapGroup("/actions").WithTags("Reward actions");
        actions.MapGet("/", ListActionsAsync).WithName("ListRewardActions").WithSummary("List reward actions: filter by rule_set_id, action_type")
            .ProducesValidationProblem();
        actions.MapGet("/{id:int}", GetActionAsync).WithName("GetRewardAction").WithSummary("Get a reward action")
            .ProducesProblem(StatusCodes.Status404NotFound);
        actions.MapPost("/", CreateActionAsync).WithName("CreateRewardAction")
            .WithSummary("Add an action to a rule set: action_type (purchase, subscription), reward_type (fixed, percentage), reward_amount, max_cap, currency")
            .WithIdempotencyKey().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        actions.MapPatch("/{id:int}", UpdateActionAsync).WithName("UpdateRewardAction").WithSummary("Change a reward action (If-Match or version); earned rewards keep their amounts")
            .AsChange();
        actions.MapDelete("/{id:int}", DeleteActionAsync).WithName("DeleteRewardAction").WithSummary("Delete an action that never produced a reward")
            .AsChange();
    }

    /// <summary>A write held to a version: ledger moves, changes and deletes of rule sets and actions.</summary>
    private static RouteHandlerBuilder AsChange(this RouteHandlerBuilder route) =>
        route.WithIdempotencyKey().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

    private static Task<Results<Ok<ApiList<RewardDto>>, ProblemHttpResult>> ListAsync([AsParameters] RewardFilters filters, HttpContext http, RewardService service, CancellationToken ct) =>
        ApiLists.ListAsync(http, filters, service.ListAsync, async (query, rows, ct) =>
        {
            var items = new List<RewardDto>();
            foreach (var row in rows)
            {
                items.Add(await WithHistoryAsync(RewardDto.From(row), query, service, ct));
            }

            return (IReadOnlyList<RewardDto>)items;
        }, ct);

    private static Task<Results<Ok<ApiOne<RewardDto>>, ProblemHttpResult>> GetAsync(long id, HttpContext http, RewardService service, CancellationToken ct) =>
        ApiLists.OneAsync(http, ListSpec.Of<RewardFilters>(), ct => service.GetAsync(id, ct), (row, query, ct) => WithHistoryAsync(RewardDto.From(row), query, service, ct), ct);

    private static async Task<RewardDto> WithHistoryAsync(RewardDto dto, ListQuery query, RewardService service, CancellationToken ct)
    {
        if (!query.Has(nameof(RewardDto.History)))
        {
            return dto;
        }

        var history = await service.HistoryAsync(dto.Id, ct);
        return dto with { History = history.Value?.Select(h => new RewardHistoryDto(h.FromStatus, h.ToStatus, h.Actor, h.Note, h.At)).ToList() ?? [] };
    }

    private static Task<Results<Ok<ApiList<RuleSetDto>>, ProblemHttpResult>> ListSetsAsync([AsParameters] RuleSetFilters filters, HttpContext http, RuleSetService service, CancellationToken ct) =>
        ApiLists.ListAsync(http, filters, service.ListAsync, async (query, sets, ct) =>
        {
            var actions = query.Has(nameof(RuleSetDto.Actions)) ? await ActionsOfAsync(service, sets.Select(s => s.Id), ct) : null;
            return (IReadOnlyList<RuleSetDto>)sets.Select(s => RuleSetDto.From(s, actions)).ToList();
        }, ct);

    private static async Task<IReadOnlyList<ActionRow>> ActionsOfAsync(RuleSetService service, IEnumerable<int> setIds, CancellationToken ct)
    {
        var all = new List<ActionRow>();
        foreach (var id in setIds)
        {
            var page = await service.ListActionsAsync(new ActionQuery(id) { PageSize = PageRequest.MaxPageSize }, ct);
            all.AddRange(page.Value?.Items ?? []);
        }

        return all;
    }

    private static Task<Results<Ok<ApiOne<RuleSetDto>>, ProblemHttpResult>> GetSetAsync(int id, HttpContext http, RuleSetService service, CancellationToken ct) =>
        ApiLists.OneAsync(http, ListSpec.Of<RuleSetFilters>(), ct => service.GetAsync(id, ct), async (set, query, ct) =>
            RuleSetDto.From(set, query.Has(nameof(RuleSetDto.Actions)) ? await ActionsOfAsync(service, [id], ct) : null), ct);

    private static async Task<Results<Created<ApiOne<RuleSetDto>>, ProblemHttpResult>> CreateSetAsync(CreateRuleSetRequest body, RuleSetService service, CancellationToken ct) =>
        ApiResponses.Created(
            await service.CreateAsync(new RuleSetInput(body.Name, body.Description, body.StartsAt, body.EndsAt, body.Scope ?? RewardScope.All, body.ScopeId, body.IsActive ?? true), ct),
            s => RuleSetDto.From(s), s => $"{ApiRoutes.Prefix}/rewards/rule-sets/{s.Id}");

    private static Task<Results<Ok<ApiOne<RuleSetDto>>, ProblemHttpResult>> UpdateSetAsync(int id, UpdateRuleSetRequest body, HttpContext http, RuleSetService service, CancellationToken ct) =>
        ApiEdits.PatchAsync(http, body.Version, ct => service.GetAsync(id, ct), (s, version, ct) =>
        {
            var scope = body.Scope.IsSet ? body.Scope.Value ?? RewardScope.All : s.Scope;
            var input = new RuleSetInput(
                body.Name.Or(s.Name), body.Description.Or(s.Description), body.StartsAt.Or(s.StartsAt), body.EndsAt.Or(s.EndsAt),
                scope, body.ScopeId.IsSet ? body.ScopeId.Value : scope == RewardScope.All ? null : s.ScopeId, body.IsActive.Or(s.IsActive) ?? s.IsActive);
            return service.UpdateAsync(id, input, version, ct);
        }, s => RuleSetDto.From(s), s => s.Version, ct);

    private static Task<Results<NoContent, ProblemHttpResult>> DeleteSetAsync(int id, HttpContext http, RuleSetService service, CancellationToken ct) =>
        ApiEdits.DeleteAsync(http, (version, ct) => service.DeleteAsync(id, version, ct), ct);

    private static Task<Results<Ok<ApiList<ActionDto>>, ProblemHttpResult>> ListActionsAsync([AsParameters] ActionFilters filters, HttpContext http, RuleSetService service, CancellationToken ct) =>
        ApiLists.ListAsync(http, filters, service.ListActionsAsync, ActionDto.From, ct);

    private static async Task<Results<Ok<ApiOne<ActionDto>>, ProblemHttpResult>> GetActionAsync(int id, RuleSetService service, CancellationToken ct) =>
        ApiResponses.One(await service.GetActionAsync(id, ct), ActionDto.From);

    private static async Task<Results<Created<ApiOne<ActionDto>>, ProblemHttpResult>> CreateActionAsync(CreateActionRequest body, RuleSetService service, CancellationToken ct)
    {
        if (body.RewardType is null)
        {
            return ApiResponses.Invalid(nameof(ActionInput.RewardType), "reward_type is required: fixed or percentage.");
        }

        var input = new ActionInput(body.RuleSetId, body.ActionType, body.RewardType.Value, body.RewardAmount, body.MaxCap, body.Currency);
        return ApiResponses.Created(await service.CreateActionAsync(input, ct), ActionDto.From, a => $"{ApiRoutes.Prefix}/rewards/actions/{a.Id}");
    }

    private static Task<Results<Ok<ApiOne<ActionDto>>, ProblemHttpResult>> UpdateActionAsync(int id, UpdateActionRequest body, HttpContext http, RuleSetService service, CancellationToken ct) =>
        ApiEdits.PatchAsync(http, body.Version, ct => service.GetActionAsync(id, ct), (a, version, ct) =>
        {
            var input = new ActionInput(a.RuleSetId, body.ActionType.Or(a.ActionType), body.RewardType.Or(a.RewardType) ?? a.RewardType,
                body.RewardAmount.Or(a.RewardAmount), body.MaxCap.Or(a.MaxCap), body.Currency.Or(a.Currency));
            return service.UpdateActionAsync(id, input, version, ct);
        }, ActionDto.From, a => a.Version, ct);

    private static Task<Results<NoContent, ProblemHttpResult>> DeleteActionAsync(int id, HttpContext http, RuleSetService service, CancellationToken ct) =>
        ApiEdits.DeleteAsync(http, (version, ct) => service.DeleteActionAsync(id, version, ct), ct);
}
