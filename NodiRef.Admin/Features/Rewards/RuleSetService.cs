namespace NodiRef.Admin.Features.Rewards;

/// <summary>The one way to read and change reward rule sets and their actions.</summary>
public sealed class RuleSetService(AppDbFactory dbFactory, CurrentUser currentUser, TimeProvider clock)
{
    public async Task<Result<Page<RuleSetRow>>> ListAsync(RuleSetQuery query, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadRuleSets) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.RewardRuleSets.AsNoTracking();
        if (query.IsActive is { } active)
        {
            q = q.Where(s => s.IsActive == active);
        }

        if (query.Scope is { } scope)
        {
            q = q.Where(s => s.Scope == scope);
        }

        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim().ToLowerInvariant();
            q = q.Where(s => s.Name.ToLower().Contains(term));
        }

        var desc = query.Sort?.Descending ?? false;
        var ordered = (query.Sort?.Field ?? nameof(RewardRuleSet.Name)) switch
        {
            nameof(RewardRuleSet.CreatedAt) => desc ? q.OrderByDescending(s => s.CreatedAt) : q.OrderBy(s => s.CreatedAt),
            nameof(RewardRuleSet.UpdatedAt) => desc ? q.OrderByDescending(s => s.UpdatedAt) : q.OrderBy(s => s.UpdatedAt),
            nameof(RewardRuleSet.StartsAt) => desc ? q.OrderByDescending(s => s.StartsAt) : q.OrderBy(s => s.StartsAt),
            _ => desc ? q.OrderByDescending(s => s.Name) : q.OrderBy(s => s.Name),
        };
        var total = await q.CountAsync(ct);
        var sets = await ordered.ThenBy(s => s.Id).Skip(query.Skip).Take(query.Take).ToListAsync(ct);
        return Result<Page<RuleSetRow>>.Ok(new Page<RuleSetRow>(await ToRowsAsync(db, sets, ct), total));
    }

    public async Task<Result<RuleSetRow>> GetAsync(int id, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadRuleSets) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var set = await db.RewardRuleSets.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        return set is null ? NotFound<RuleSetRow>(id) : Result<RuleSetRow>.Ok((await ToRowsAsync(db, [set], ct))[0]);
    }

    public async Task<Result<RuleSetRow>> CreateAsync(RuleSetInput input, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.EditRuleSets) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var invalid = await ValidateAsync(db, input, null, ct);
        if (invalid is not null)
        {
            return invalid;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var set = new RewardRuleSet { CreatedAt = now };
        Apply(set, input, now);
        db.RewardRuleSets.Add(set);
        return await Edit.SaveAsync(db, SetRules, set, ct);
    }

    public async Task<Result<RuleSetRow>> UpdateAsync(int id, RuleSetInput input, long version, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.EditRuleSets) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Edit.UpdateAsync(db, SetRules, id, version, async (set, _) =>
        {
            if (await ValidateAsync(db, input, id, ct) is { } invalid)
            {
                return invalid;
            }

            Apply(set, input, clock.GetUtcNow().UtcDateTime);
            return null;
        }, ct);
    }

    /// <summary>Deletes a rule set and its actions, only if it never produced a reward; otherwise deactivate it.</summary>
    public async Task<Result<RuleSetRow>> DeleteAsync(int id, long? version, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.EditRuleSets) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var set = await db.RewardRuleSets.Include(s => s.Actions).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (set is null)
        {
            return NotFound<RuleSetRow>(id);
        }

        if (version is { } v && v != set.Version)
        {
            return await Edit.StaleAsync(db, SetRules, id, ct);
        }

        if (await db.Rewards.AsNoTracking().AnyAsync(r => r.RuleSetId == id, ct))
        {
            return Result<RuleSetRow>.Conflict("This rule set has produced rewards, which keep pointing at it: deactivate it instead of deleting it.");
        }

        var row = (await ToRowsAsync(db, [set], ct))[0];
        db.RewardActions.RemoveRange(set.Actions);
        db.RewardRuleSets.Remove(set);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Result<RuleSetRow>.Conflict("This rule set was changed by someone else in the meantime. Reload it and decide again.");
        }

        return Result<RuleSetRow>.Ok(row);
    }

    public async Task<Result<Page<ActionRow>>> ListActionsAsync(ActionQuery query, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadRuleSets) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.RewardActions.AsNoTracking();
        if (query.RuleSetId is { } setId)
        {
            q = q.Where(a => a.RuleSetId == setId);
        }

        if (!string.IsNullOrWhiteSpace(query.ActionType))
        {
            q = q.Where(a => a.ActionType == query.ActionType);
        }

        var desc = query.Sort?.Descending ?? false;
        var ordered = (query.Sort?.Field ?? nameof(RewardAction.Id)) switch
        {
            nameof(RewardAction.CreatedAt) => desc ? q.OrderByDescending(a => a.CreatedAt) : q.OrderBy(a => a.CreatedAt),
            nameof(RewardAction.ActionType) => desc ? q.OrderByDescending(a => a.ActionType) : q.OrderBy(a => a.ActionType),
            _ => desc ? q.OrderByDescending(a => a.Id) : q.OrderBy(a => a.Id),
        };
        var total = await q.CountAsync(ct);
        var actions = await ordered.ThenBy(a => a.Id).Skip(query.Skip).Take(query.Take).Include(a => a.RuleSet).ToListAsync(ct);
        return Result<Page<ActionRow>>.Ok(new Page<ActionRow>(actions.Select(ToActionRow).ToList(), total));
    }

    public async Task<Result<ActionRow>> GetActionAsync(int id, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadRuleSets) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await ReadActionAsync(db, id, ct);
        return row is null ? Result<ActionRow>.NotFound($"Reward action {id} does not exist.") : Result<ActionRow>.Ok(row);
    }

    public async Task<Result<ActionRow>> CreateActionAsync(ActionInput input, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.EditRuleSets) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var invalid = await ValidateActionAsync(db, input, ct);
        if (invalid is not null)
        {
            return invalid;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var action = new RewardAction { CreatedAt = now };
        Apply(action, input, now);
        db.RewardActions.Add(action);
        await TouchAsync(db, action.RuleSetId, now, ct);
        return await Edit.SaveAsync(db, ActionRules, action, ct);
    }

    /// <summary>Changes an action; rewards it produced keep their amounts (the ledger is never rewritten).</summary>
    public async Task<Result<ActionRow>> UpdateActionAsync(int id, ActionInput input, long version, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.EditRuleSets) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Edit.UpdateAsync(db, ActionRules, id, version, async (action, _) =>
        {
            if (await ValidateActionAsync(db, input, ct) is { } invalid)
            {
                return invalid;
            }

            var now = clock.GetUtcNow().UtcDateTime;
            Apply(action, input, now);
            await TouchAsync(db, action.RuleSetId, now, ct);
            return null;
        }, ct);
    }

    public async Task<Result<ActionRow>> DeleteActionAsync(int id, long? version, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.EditRuleSets) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var action = await db.RewardActions.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (action is null)
        {
            return Result<ActionRow>.NotFound($"Reward action {id} does not exist.");
        }

        if (version is { } v && v != action.Version)
        {
            return await Edit.StaleAsync(db, ActionRules, id, ct);
        }

        if (await db.Rewards.AsNoTracking().AnyAsync(r => r.ActionId == id, ct))
        {
            return Result<ActionRow>.Conflict("This action has produced rewards, which keep pointing at it: deactivate its rule set, or set up a new rule set, instead of deleting it.");
        }

        var row = (await ReadActionAsync(db, id, ct))!;
        db.RewardActions.Remove(action);
        await TouchAsync(db, action.RuleSetId, clock.GetUtcNow().UtcDateTime, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Result<ActionRow>.Conflict("This action was changed by someone else in the meantime. Reload it and decide again.");
        }

        return Result<ActionRow>.Ok(row);
    }

    private static async Task TouchAsync(AppDbContext db, int ruleSetId, DateTime now, CancellationToken ct)
    {
        var set = await db.RewardRuleSets.FirstOrDefaultAsync(s => s.Id == ruleSetId, ct);
        if (set is not null)
        {
            set.UpdatedAt = now;
        }
    }

    private static void Apply(RewardRuleSet set, RuleSetInput input, DateTime now)
    {
        set.Name = input.Name!.Trim();
        set.Description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim();
        set.StartsAt = AsUtc(input.StartsAt);
        set.EndsAt = AsUtc(input.EndsAt);
        set.Scope = input.Scope;
        set.ScopeId = input.Scope == RewardScope.All ? null : input.ScopeId;
        set.IsActive = input.IsActive;
        set.UpdatedAt = now;
    }

    /// <summary>Window times are UTC: one sent without a zone is taken as UTC, never as the server's local time.</summary>
    private static DateTime? AsUtc(DateTime? value) => value switch
    {
        null => null,
        { Kind: DateTimeKind.Unspecified } v => DateTime.SpecifyKind(v, DateTimeKind.Utc),
        { } v => v.ToUniversalTime(),
    };

    private static void Apply(RewardAction action, ActionInput input, DateTime now)
    {
        action.RuleSetId = input.RuleSetId!.Value;
        action.ActionType = input.ActionType!.Trim().ToLowerInvariant();
        action.RewardType = input.RewardType;
        action.RewardAmountUnits = MoneyUnits.ToUnits(input.RewardAmount!.Value);
        action.MaxCapUnits = input.MaxCap is { } cap ? MoneyUnits.ToUnits(cap) : null;
        action.Currency = Currency.Normalize(input.Currency)!;
        action.UpdatedAt = now;
    }

    private static async Task<Result<RuleSetRow>?> ValidateAsync(AppDbContext db, RuleSetInput input, int? id, CancellationToken ct)
    {
        var v = new Validation()
            .Required(input.Name, nameof(RuleSetInput.Name), "Name", RewardRuleSet.NameMaxLength)
            .Optional(input.Description, nameof(RuleSetInput.Description), "Description", RewardRuleSet.DescriptionMaxLength, multiLine: true)
            .Check(Enum.IsDefined(input.Scope), nameof(RuleSetInput.Scope), "Scope must be all, project, partner or link.")
            .Check(input.StartsAt is null || input.EndsAt is null || input.EndsAt > input.StartsAt, nameof(RuleSetInput.EndsAt), "The window must end after it starts.");
        if (input.Scope == RewardScope.All)
        {
            v.Check(input.ScopeId is null, nameof(RuleSetInput.ScopeId), "A rule set for all projects has no scope_id.");
        }
        else if (Enum.IsDefined(input.Scope))
        {
            var what = input.Scope.ToString().ToLowerInvariant();
            if (input.ScopeId is not { } scopeId)
            {
                v.Add(nameof(RuleSetInput.ScopeId), $"Choose the {what} this rule set applies to (scope_id).");
            }
            else
            {
                var exists = input.Scope switch
                {
                    RewardScope.Project => await db.Projects.AsNoTracking().AnyAsync(p => p.Id == scopeId, ct),
                    RewardScope.Partner => await db.Partners.AsNoTracking().AnyAsync(p => p.Id == scopeId, ct),
                    _ => await db.ReferralLinks.AsNoTracking().AnyAsync(l => l.Id == scopeId, ct),
                };
                v.Check(exists, nameof(RuleSetInput.ScopeId), $"There is no {what} {scopeId}.");
            }
        }

        if (!string.IsNullOrWhiteSpace(input.Name))
        {
            var name = input.Name.Trim();
            if (await db.RewardRuleSets.AsNoTracking().AnyAsync(s => s.Name == name && s.Id != id, ct))
            {
                v.Conflict(nameof(RuleSetInput.Name), $"A rule set named \"{name}\" already exists.");
            }
        }

        return v.IsValid ? null : v.ToResult<RuleSetRow>();
    }

    private static async Task<Result<ActionRow>?> ValidateActionAsync(AppDbContext db, ActionInput input, CancellationToken ct)
    {
        var type = input.ActionType?.Trim().ToLowerInvariant();
        var v = new Validation()
            .Check(input.RuleSetId is not null, nameof(ActionInput.RuleSetId), "rule_set_id is required: the rule set this action belongs to.")
            .Check(!string.IsNullOrEmpty(type), nameof(ActionInput.ActionType), $"Action type is required: one of {string.Join(", ", ConversionTypes.Rewardable)}.")
            .Check(string.IsNullOrEmpty(type) || ConversionTypes.Rewardable.Contains(type), nameof(ActionInput.ActionType), $"Action type must be one of {string.Join(", ", ConversionTypes.Rewardable)}.")
            .Check(Enum.IsDefined(input.RewardType), nameof(ActionInput.RewardType), "Reward type must be fixed or percentage.")
            .Check(input.RewardAmount is not null, nameof(ActionInput.RewardAmount), "Reward amount is required.")
            .Check(input.RewardAmount is null || input.RewardAmount > 0, nameof(ActionInput.RewardAmount), "Reward amount must be more than 0.")
            .Check(input.RewardAmount is null || input.RewardType != RewardType.Percentage || input.RewardAmount <= 100, nameof(ActionInput.RewardAmount), "A percentage is at most 100.")
            .Check(input.RewardAmount is null || input.RewardAmount <= MoneyUnits.MaxAmount, nameof(ActionInput.RewardAmount), $"Reward amount must be at most {MoneyUnits.MaxAmount:0}.")
            .Check(input.RewardAmount is null || decimal.Round(input.RewardAmount.Value, 4) == input.RewardAmount, nameof(ActionInput.RewardAmount), "Reward amount has at most 4 decimal places.")
            .Check(input.MaxCap is null || input.MaxCap > 0, nameof(ActionInput.MaxCap), "The cap must be more than 0 (leave it empty for no cap).")
            .Check(input.MaxCap is null || input.MaxCap <= MoneyUnits.MaxAmount, nameof(ActionInput.MaxCap), $"The cap must be at most {MoneyUnits.MaxAmount:0}.")
            .Check(!string.IsNullOrWhiteSpace(input.Currency), nameof(ActionInput.Currency), "Currency is required: an ISO 4217 code such as USD or EUR.")
            .Check(string.IsNullOrWhiteSpace(input.Currency) || Currency.Normalize(input.Currency) is not null, nameof(ActionInput.Currency), $"Unknown currency \"{input.Currency}\": use an ISO 4217 code such as USD or EUR.");
        if (input.RuleSetId is { } setId && !await db.RewardRuleSets.AsNoTracking().AnyAsync(s => s.Id == setId, ct))
        {
            v.Add(nameof(ActionInput.RuleSetId), $"There is no rule set {setId}.");
        }

        return v.IsValid ? null : v.ToResult<ActionRow>();
    }

    private static string NameTaken(string name) => $"A rule set named \"{name}\" already exists.";

    private static readonly EditRules<RewardRuleSet, RuleSetRow> SetRules = new()
    {
        Noun = "Rule set",
        Read = async (db, set, ct) => (await ToRowsAsync(db, [set], ct))[0],
        Duplicate = (set, _) => Task.FromResult(Result<RuleSetRow>.Conflict(NameTaken(set.Name), errors: new Dictionary<string, string> { [nameof(RuleSetInput.Name)] = NameTaken(set.Name) })),
    };

    private static readonly EditRules<RewardAction, ActionRow> ActionRules = new()
    {
        Noun = "Reward action",
        Read = async (db, action, ct) => (await ReadActionAsync(db, action.Id, ct))!,
    };

    private static Result<T> NotFound<T>(int id) => Result<T>.NotFound($"Rule set {id} does not exist.");

    private static async Task<List<RuleSetRow>> ToRowsAsync(AppDbContext db, IReadOnlyList<RewardRuleSet> sets, CancellationToken ct)
    {
        var ids = sets.Select(s => s.Id).ToList();
        var counts = await db.RewardActions.AsNoTracking().Where(a => ids.Contains(a.RuleSetId))
            .GroupBy(a => a.RuleSetId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var names = new Dictionary<(RewardScope, int), string>();
        foreach (var group in sets.Where(s => s.ScopeId != null).GroupBy(s => s.Scope))
        {
            var scopeIds = group.Select(s => s.ScopeId!.Value).Distinct().ToList();
            var found = group.Key switch
            {
                RewardScope.Project => await db.Projects.AsNoTracking().Where(p => scopeIds.Contains(p.Id)).Select(p => new { p.Id, Name = p.Name }).ToListAsync(ct),
                RewardScope.Partner => await db.Partners.AsNoTracking().Where(p => scopeIds.Contains(p.Id)).Select(p => new { p.Id, Name = p.Name }).ToListAsync(ct),
                _ => await db.ReferralLinks.AsNoTracking().Where(l => scopeIds.Contains(l.Id)).Select(l => new { l.Id, Name = l.Code }).ToListAsync(ct),
            };
            foreach (var f in found)
            {
                names[(group.Key, f.Id)] = f.Name;
            }
        }

        return sets.Select(s => new RuleSetRow(
            s.Id, s.Name, s.Description, s.StartsAt, s.EndsAt, s.Scope, s.ScopeId,
            s.ScopeId is { } sid ? names.GetValueOrDefault((s.Scope, sid)) : null,
            s.IsActive, counts.GetValueOrDefault(s.Id), s.CreatedAt, s.UpdatedAt, s.Version)).ToList();
    }

    private static async Task<ActionRow?> ReadActionAsync(AppDbContext db, int id, CancellationToken ct)
    {
        var action = await db.RewardActions.AsNoTracking().Include(a => a.RuleSet).FirstOrDefaultAsync(a => a.Id == id, ct);
        return action is null ? null : ToActionRow(action);
    }

    private static ActionRow ToActionRow(RewardAction a) =>
        new(a.Id, a.RuleSetId, a.RuleSet?.Name ?? "", a.ActionType, a.RewardType, a.RewardAmount, a.MaxCap, a.Currency, a.CreatedAt, a.UpdatedAt, a.Version);
}
