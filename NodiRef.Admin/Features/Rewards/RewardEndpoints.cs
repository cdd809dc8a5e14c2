using System.Text.Json.Serialization;

namespace NodiRef.Admin.Features.Rewards;

public sealed record ActionDto(int Id, int RuleSetId, string ActionType, RewardType RewardType, decimal RewardAmount, decimal? MaxCap, string Currency, DateTime CreatedAt, DateTime UpdatedAt, long Version)
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
    long Version)
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
    long Version)
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

public sealed record RewardMoveRequest(string? Note, long? Version);

/// <summary>
/// REST mapping of the rewards ledger (<c>/api/rewards</c>: list, read, approve, pay, reverse) and of the
/// rules that produce it (<c>/api/rewards/rule-sets</c>, <c>/api/rewards/actions</c>).
/// </summary>
public static class RewardEndpoints
{
    public static readonly ListSpec RewardSpec = new(Filters: [.. ApiFilters.EventFilters, "currency"], Sorts: [nameof(Reward.CreatedAt)], Includes: [nameof(RewardDto.History)]);
    public static readonly ListSpec RuleSetSpec = new(
        Filters: ["is_active", "scope", "name"],
        Sorts: [nameof(RewardRuleSet.Name), nameof(RewardRuleSet.CreatedAt), nameof(RewardRuleSet.UpdatedAt), nameof(RewardRuleSet.StartsAt)],
        Includes: [nameof(RuleSetDto.Actions)]);
    public static readonly ListSpec ActionSpec = new(Filters: ["rule_set_id", "action_type"], Sorts: [nameof(RewardAction.Id), nameof(RewardAction.CreatedAt), nameof(RewardAction.ActionType)], Includes: []);

    public static void MapRewardEndpoints(this RouteGroupBuilder api)
    {
        var rewards = api.MapGroup("/rewards").WithTags("Rewards");
        rewards.MapGet("/", ListAsync).WithName("ListRewards")
            .WithSummary("List ledger entries, newest first: filter by partner_id, project_id, status (pending, approved, paid, reversed), currency, date_from, date_to")
            .WithListQuery(RewardSpec).Produces<ApiList<RewardDto>>().ProducesValidationProblem();
        rewards.MapGet("/{id:long}", GetAsync).WithName("GetReward").WithSummary("Get a ledger entry; include=history for its status changes")
            .Produces<ApiOne<RewardDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        rewards.MapPost("/{id:long}/approve", (long id, RewardMoveRequest body, HttpContext http, RewardService service, CancellationToken ct) =>
                MoveAsync(http, body.Version, (v, c) => service.ApproveAsync(id, body.Note, v, c), ct))
            .WithName("ApproveReward").WithSummary("Approve a pending reward: it becomes due for payout")
            .AsLedgerMove();
        rewards.MapPost("/{id:long}/pay", (long id, RewardMoveRequest body, HttpContext http, RewardService service, CancellationToken ct) =>
                MoveAsync(http, body.Version, (v, c) => service.PayAsync(id, body.Note, v, c), ct))
            .WithName("PayReward").WithSummary("Mark an approved reward as paid")
            .AsLedgerMove();
        rewards.MapPost("/{id:long}/reverse", (long id, RewardMoveRequest body, HttpContext http, RewardService service, CancellationToken ct) =>
                MoveAsync(http, body.Version, (v, c) => service.ReverseAsync(id, body.Note, v, c), ct))
            .WithName("ReverseReward").WithSummary("Reverse what is left of a reward with a negative entry (note required); answers the new entry")
            .AsLedgerMove();

        var sets = rewards.MapGroup("/rule-sets").WithTags("Reward rule sets");
        sets.MapGet("/", ListSetsAsync).WithName("ListRuleSets").WithSummary("List reward rule sets; include=actions")
            .WithListQuery(RuleSetSpec).Produces<ApiList<RuleSetDto>>().ProducesValidationProblem();
        sets.MapGet("/{id:int}", GetSetAsync).WithName("GetRuleSet").WithSummary("Get a reward rule set; include=actions")
            .Produces<ApiOne<RuleSetDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        sets.MapPost("/", CreateSetAsync).WithName("CreateRuleSet")
            .WithSummary("Create a rule set: name, description, starts_at/ends_at (optional window), scope (all, project, partner, link) with scope_id, is_active")
            .WithIdempotencyKey().Produces<ApiOne<RuleSetDto>>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        sets.MapPatch("/{id:int}", UpdateSetAsync).WithName("UpdateRuleSet").WithSummary("Change a rule set (If-Match or version)")
            .WithIdempotencyKey().Produces<ApiOne<RuleSetDto>>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        sets.MapDelete("/{id:int}", DeleteSetAsync).WithName("DeleteRuleSet").WithSummary("Delete a rule set that never produced a reward (else 409: deactivate it)")
            .WithIdempotencyKey().Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        var actions = rewards.MapGroup("/actions").WithTags("Reward actions");
        actions.MapGet("/", ListActionsAsync).WithName("ListRewardActions").WithSummary("List reward actions: filter by rule_set_id, action_type")
            .WithListQuery(ActionSpec).Produces<ApiList<ActionDto>>().ProducesValidationProblem();
        actions.MapGet("/{id:int}", GetActionAsync).WithName("GetRewardAction").WithSummary("Get a reward action")
            .Produces<ApiOne<ActionDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        actions.MapPost("/", CreateActionAsync).WithName("CreateRewardAction")
            .WithSummary("Add an action to a rule set: action_type (purchase, subscription), reward_type (fixed, percentage), reward_amount, max_cap, currency")
            .WithIdempotencyKey().Produces<ApiOne<ActionDto>>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        actions.MapPatch("/{id:int}", UpdateActionAsync).WithName("UpdateRewardAction").WithSummary("Change a reward action (If-Match or version); earned rewards keep their amounts")
            .WithIdempotencyKey().Produces<ApiOne<ActionDto>>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        actions.MapDelete("/{id:int}", DeleteActionAsync).WithName("DeleteRewardAction").WithSummary("Delete an action that never produced a reward")
            .WithIdempotencyKey().Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static RouteHandlerBuilder AsLedgerMove(this RouteHandlerBuilder route) =>
        route.WithIdempotencyKey().Produces<ApiOne<RewardDto>>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

    private static Task<IResult> ListAsync(HttpContext http, RewardService service, CancellationToken ct) =>
        ApiLists.HandleAsync(http, RewardSpec, (query, v) =>
        {
            var (partnerId, projectId, status, from, to) = ApiFilters.Events<RewardStatus>(query, v);
            var currency = query.Filter("currency");
            v.Check(currency is null || Currency.Normalize(currency) is not null, "filter[currency]", "filter[currency] must be an ISO 4217 code such as USD.");
            return new RewardQuery(projectId, partnerId, status, currency, from, to);
        }, service.ListAsync, async (query, rows, ct) =>
        {
            var items = new List<RewardDto>();
            foreach (var row in rows)
            {
                items.Add(await WithHistoryAsync(RewardDto.From(row), query, service, ct));
            }

            return (IReadOnlyList<RewardDto>)items;
        }, ct);

    private static async Task<IResult> GetAsync(long id, HttpContext http, RewardService service, CancellationToken ct)
    {
        var parsed = ListQuery.Parse(http.Request.Query, RewardSpec with { Filters = [], Sorts = [] });
        if (!parsed.Succeeded)
        {
            return ApiResponses.Refused(parsed);
        }

        var result = await service.GetAsync(id, ct);
        return result.Succeeded
            ? ApiResponses.One(await WithHistoryAsync(RewardDto.From(result.Value!), parsed.Value!, service, ct), http, result.Value!.Version)
            : ApiResponses.Problem(result);
    }

    private static async Task<RewardDto> WithHistoryAsync(RewardDto dto, ListQuery query, RewardService service, CancellationToken ct)
    {
        if (!query.Has(nameof(RewardDto.History)))
        {
            return dto;
        }

        var history = await service.HistoryAsync(dto.Id, ct);
        return dto with { History = history.Value?.Select(h => new RewardHistoryDto(h.FromStatus, h.ToStatus, h.Actor, h.Note, h.At)).ToList() ?? [] };
    }

    private static async Task<IResult> MoveAsync(HttpContext http, long? bodyVersion, Func<long?, CancellationToken, Task<Result<RewardRow>>> move, CancellationToken ct)
    {
        var expected = ApiResponses.ExpectedVersion(http, bodyVersion);
        if (!expected.Succeeded)
        {
            return ApiResponses.Refused(expected);
        }

        var result = await move(expected.Value, ct);
        return result.Succeeded ? ApiResponses.One(RewardDto.From(result.Value!), http, result.Value!.Version) : ApiResponses.Problem(result);
    }

    private static Task<IResult> ListSetsAsync(HttpContext http, RuleSetService service, CancellationToken ct) =>
        ApiLists.HandleAsync(http, RuleSetSpec, (query, v) =>
        {
            var scope = ApiFilters.Enum<RewardScope>(query, "scope", v);
            bool? active = query.Filter("is_active") switch
            {
                null => null,
                "true" or "1" => true,
                "false" or "0" => false,
                _ => null,
            };
            v.Check(query.Filter("is_active") is null || active is not null, "filter[is_active]", "filter[is_active] must be true or false.");
            return new RuleSetQuery(active, scope, query.Filter("name"));
        }, service.ListAsync, async (query, sets, ct) =>
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

    private static async Task<IResult> GetSetAsync(int id, HttpContext http, RuleSetService service, CancellationToken ct)
    {
        var parsed = ListQuery.Parse(http.Request.Query, RuleSetSpec with { Filters = [], Sorts = [] });
        if (!parsed.Succeeded)
        {
            return ApiResponses.Refused(parsed);
        }

        var result = await service.GetAsync(id, ct);
        if (!result.Succeeded)
        {
            return ApiResponses.Problem(result);
        }

        var actions = parsed.Value!.Has(nameof(RuleSetDto.Actions)) ? await ActionsOfAsync(service, [id], ct) : null;
        return ApiResponses.One(RuleSetDto.From(result.Value!, actions), http, result.Value!.Version);
    }

    private static async Task<IResult> CreateSetAsync(CreateRuleSetRequest body, HttpContext http, RuleSetService service, CancellationToken ct)
    {
        var result = await service.CreateAsync(new RuleSetInput(body.Name, body.Description, body.StartsAt, body.EndsAt, body.Scope ?? RewardScope.All, body.ScopeId, body.IsActive ?? true), ct);
        return result.Succeeded
            ? ApiResponses.Created(RuleSetDto.From(result.Value!), $"{ApiRoutes.Prefix}/rewards/rule-sets/{result.Value!.Id}", http, result.Value.Version)
            : ApiResponses.Problem(result);
    }

    private static Task<IResult> UpdateSetAsync(int id, UpdateRuleSetRequest body, HttpContext http, RuleSetService service, CancellationToken ct) =>
        ApiEdits.PatchAsync(http, body.Version, ct => service.GetAsync(id, ct), (s, version, ct) =>
        {
            var scope = body.Scope.IsSet ? body.Scope.Value ?? RewardScope.All : s.Scope;
            var input = new RuleSetInput(
                body.Name.Or(s.Name), body.Description.Or(s.Description), body.StartsAt.Or(s.StartsAt), body.EndsAt.Or(s.EndsAt),
                scope, body.ScopeId.IsSet ? body.ScopeId.Value : scope == RewardScope.All ? null : s.ScopeId, body.IsActive.Or(s.IsActive) ?? s.IsActive);
            return service.UpdateAsync(id, input, version, ct);
        }, s => RuleSetDto.From(s), s => s.Version, ct);

    private static Task<IResult> DeleteSetAsync(int id, HttpContext http, RuleSetService service, CancellationToken ct) =>
        ApiEdits.DeleteAsync(http, (version, ct) => service.DeleteAsync(id, version, ct), ct);

    private static Task<IResult> ListActionsAsync(HttpContext http, RuleSetService service, CancellationToken ct) =>
        ApiLists.HandleAsync(http, ActionSpec,
            (query, v) => new ActionQuery(ApiFilters.Int(query, "rule_set_id", v), query.Filter("action_type")?.Trim().ToLowerInvariant()),
            service.ListActionsAsync, ActionDto.From, ct);

    private static async Task<IResult> GetActionAsync(int id, HttpContext http, RuleSetService service, CancellationToken ct)
    {
        var result = await service.GetActionAsync(id, ct);
        return result.Succeeded ? ApiResponses.One(ActionDto.From(result.Value!), http, result.Value!.Version) : ApiResponses.Problem(result);
    }

    private static async Task<IResult> CreateActionAsync(CreateActionRequest body, HttpContext http, RuleSetService service, CancellationToken ct)
    {
        if (body.RewardType is null)
        {
            return ApiResponses.Invalid(nameof(ActionInput.RewardType), "reward_type is required: fixed or percentage.");
        }

        var result = await service.CreateActionAsync(new ActionInput(body.RuleSetId, body.ActionType, body.RewardType.Value, body.RewardAmount, body.MaxCap, body.Currency), ct);
        return result.Succeeded
            ? ApiResponses.Created(ActionDto.From(result.Value!), $"{ApiRoutes.Prefix}/rewards/actions/{result.Value!.Id}", http, result.Value.Version)
            : ApiResponses.Problem(result);
    }

    private static Task<IResult> UpdateActionAsync(int id, UpdateActionRequest body, HttpContext http, RuleSetService service, CancellationToken ct) =>
        ApiEdits.PatchAsync(http, body.Version, ct => service.GetActionAsync(id, ct), (a, version, ct) =>
        {
            var input = new ActionInput(a.RuleSetId, body.ActionType.Or(a.ActionType), body.RewardType.Or(a.RewardType) ?? a.RewardType,
                body.RewardAmount.Or(a.RewardAmount), body.MaxCap.Or(a.MaxCap), body.Currency.Or(a.Currency));
            return service.UpdateActionAsync(id, input, version, ct);
        }, ActionDto.From, a => a.Version, ct);

    private static Task<IResult> DeleteActionAsync(int id, HttpContext http, RuleSetService service, CancellationToken ct) =>
        ApiEdits.DeleteAsync(http, (version, ct) => service.DeleteActionAsync(id, version, ct), ct);
}
