namespace NodiRef.Admin.Features.Rewards;

/// <summary>One reward a conversion earns under one action, before it is written.</summary>
public sealed record RewardLine(int RuleSetId, int ActionId, decimal Amount, string Currency);

/// <summary>
/// The reward engine and the ledger's writing rules. Entries are appended, never edited in amount
/// or deleted: a correction is a new negative entry that points at the one it reverses.
/// </summary>
public static class RewardLedger
{
    /// <summary>
    /// The rewards a conversion earns: every action of its event type in an active rule set whose
    /// window holds the conversion's time and whose scope holds its project, partner or link.
    /// Fixed amounts are paid in the action's currency; a percentage is of the conversion's amount and
    /// applies only when the currencies match (no exchange rates are guessed). Caps bound each reward.
    /// </summary>
    public static IReadOnlyList<RewardLine> Compute(Conversion conversion, IEnumerable<RewardRuleSet> ruleSets)
    {
        var lines = new List<RewardLine>();
        foreach (var set in ruleSets.Where(s => Applies(s, conversion)).OrderBy(s => s.Id))
        {
            foreach (var action in set.Actions.Where(a => a.ActionType == conversion.EventType).OrderBy(a => a.Id))
            {
                decimal amount;
                if (action.RewardType == RewardType.Fixed)
                {
                    amount = action.RewardAmount;
                }
                else if (action.Currency == conversion.Currency)
                {
                    amount = Currency.Round(conversion.Amount * action.RewardAmount / 100m, action.Currency);
                }
                else
                {
                    continue;
                }

                if (action.MaxCap is { } cap && amount > cap)
                {
                    amount = cap;
                }

                if (amount > 0)
                {
                    lines.Add(new RewardLine(set.Id, action.Id, amount, action.Currency));
                }
            }
        }

        return lines;
    }

    public static bool Applies(RewardRuleSet set, Conversion c) =>
        set.IsActive
        && (set.StartsAt is null || c.CreatedAt >= set.StartsAt)
        && (set.EndsAt is null || c.CreatedAt < set.EndsAt)
        && set.Scope switch
        {
            RewardScope.All => true,
            RewardScope.Project => c.ProjectId == set.ScopeId,
            RewardScope.Partner => c.PartnerId == set.ScopeId,
            RewardScope.Link => c.LinkId == set.ScopeId,
            _ => false,
        };

    /// <summary>The rule sets that could apply to a conversion, with their actions of its type.</summary>
    public static Task<List<RewardRuleSet>> CandidatesAsync(AppDbContext db, Conversion c, CancellationToken ct) =>
        db.RewardRuleSets.AsNoTracking()
            .Where(s => s.IsActive && (s.Scope == RewardScope.All
                || (s.Scope == RewardScope.Project && s.ScopeId == c.ProjectId)
                || (s.Scope == RewardScope.Partner && s.ScopeId == c.PartnerId)
                || (s.Scope == RewardScope.Link && s.ScopeId == c.LinkId)))
            .Include(s => s.Actions.Where(a => a.ActionType == c.EventType))
            .ToListAsync(ct);

    /// <summary>Adds the rewards an accepted conversion earns, then reverses what earlier refunds of it took back.</summary>
    public static async Task<IReadOnlyList<Reward>> AcceptAsync(AppDbContext db, Conversion conversion, string actor, DateTime now, CancellationToken ct)
    {
        var lines = Compute(conversion, await CandidatesAsync(db, conversion, ct));
        var rewards = lines.Select(l => new Reward
        {
            ConversionId = conversion.Id,
            PartnerId = conversion.PartnerId,
            LinkId = conversion.LinkId,
            ProjectId = conversion.ProjectId,
            RuleSetId = l.RuleSetId,
            ActionId = l.ActionId,
            AmountUnits = MoneyUnits.ToUnits(l.Amount),
            Currency = l.Currency,
            Status = RewardStatus.Pending,
            CreatedAt = now,
        }).ToList();
        db.Rewards.AddRange(rewards);
        await db.SaveChangesAsync(ct);
        foreach (var reward in rewards)
        {
            db.RewardEvents.Add(new RewardEvent { RewardId = reward.Id, ToStatus = RewardStatus.Pending, Actor = actor, Note = "Earned", At = now });
        }

        await db.SaveChangesAsync(ct);

        // A refund that arrived while this conversion waited for review still takes its share back.
        var refunded = await db.Conversions.AsNoTracking()
            .Where(r => r.ReversesConversionId == conversion.Id && r.Status == ConversionStatus.Accepted)
            .SumAsync(r => r.AmountUnits, ct);
        if (refunded > 0)
        {
            await ReverseForRefundAsync(db, conversion, refunded, actor, now, ct);
        }

        return rewards;
    }

    /// <summary>
    /// Takes back the share of a conversion's rewards that a refund of <paramref name="refundUnits"/>
    /// returns (all of it for a full refund), as negative entries.
    /// </summary>
    public static async Task ReverseForRefundAsync(AppDbContext db, Conversion original, long refundUnits, string actor, DateTime now, CancellationToken ct)
    {
        var entries = await db.Rewards.Where(r => r.ConversionId == original.Id && r.ReversesRewardId == null && r.Status != RewardStatus.Reversed).ToListAsync(ct);
        foreach (var entry in entries)
        {
            var remaining = await RemainingUnitsAsync(db, entry, ct);
            var share = original.AmountUnits == 0 || refundUnits >= original.AmountUnits
                ? remaining
                : Math.Min(remaining, MoneyUnits.ToUnits(Currency.Round(entry.Amount * refundUnits / original.AmountUnits, entry.Currency)));
            if (share > 0)
            {
                await AppendReversalAsync(db, entry, share, actor, $"Refund of conversion {original.PublicId}", now, ct);
            }
        }
    }

    /// <summary>What of an entry has not been reversed yet.</summary>
    public static async Task<long> RemainingUnitsAsync(AppDbContext db, Reward entry, CancellationToken ct) =>
        entry.AmountUnits + await db.Rewards.Where(r => r.ReversesRewardId == entry.Id).SumAsync(r => r.AmountUnits, ct);

    /// <summary>
    /// Appends a negative entry of <paramref name="units"/> against <paramref name="entry"/>. An unpaid entry
    /// reversed in full leaves the totals with its reversals (both become reversed); a partial reversal of an
    /// unpaid entry follows the entry through approval and payment; a paid entry stays paid and its
    /// reversal is due back (approved, netted from the next payout).
    /// </summary>
    public static async Task<Reward> AppendReversalAsync(AppDbContext db, Reward entry, long units, string actor, string? note, DateTime now, CancellationToken ct)
    {
        var remaining = await RemainingUnitsAsync(db, entry, ct);
        var full = units >= remaining;
        var status = entry.Status == RewardStatus.Paid ? RewardStatus.Approved : full ? RewardStatus.Reversed : entry.Status;
        var reversal = new Reward
        {
            ConversionId = entry.ConversionId,
            PartnerId = entry.PartnerId,
            LinkId = entry.LinkId,
            ProjectId = entry.ProjectId,
            RuleSetId = entry.RuleSetId,
            ActionId = entry.ActionId,
            AmountUnits = -Math.Min(units, remaining),
            Currency = entry.Currency,
            Status = status,
            ReversesRewardId = entry.Id,
            Note = note,
            CreatedAt = now,
            ApprovedAt = status == RewardStatus.Approved ? now : null,
        };
        db.Rewards.Add(reversal);
        if (full && entry.Status != RewardStatus.Paid)
        {
            var earlier = await db.Rewards.Where(r => r.ReversesRewardId == entry.Id && r.Status != RewardStatus.Reversed).ToListAsync(ct);
            foreach (var r in earlier.Append(entry))
            {
                db.RewardEvents.Add(new RewardEvent { RewardId = r.Id, FromStatus = r.Status, ToStatus = RewardStatus.Reversed, Actor = actor, Note = note, At = now });
                r.Status = RewardStatus.Reversed;
            }
        }

        await db.SaveChangesAsync(ct);
        db.RewardEvents.Add(new RewardEvent { RewardId = reversal.Id, ToStatus = status, Actor = actor, Note = note ?? $"Reverses reward {entry.Id}", At = now });
        await db.SaveChangesAsync(ct);
        return reversal;
    }
}
