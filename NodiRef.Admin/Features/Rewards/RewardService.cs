namespace NodiRef.Admin.Features.Rewards;

public sealed record RewardRow(
    long Id,
    DateTime CreatedAt,
    int PartnerId,
    string PartnerName,
    int? ProjectId,
    string? ProjectName,
    Guid ConversionId,
    string ConversionType,
    int RuleSetId,
    string RuleSetName,
    int ActionId,
    decimal Amount,
    string Currency,
    RewardStatus Status,
    long? ReversesRewardId,
    string? Note,
    DateTime? ApprovedAt,
    DateTime? PaidAt,
    long Version);

public sealed record RewardHistoryRow(RewardStatus? FromStatus, RewardStatus ToStatus, string Actor, string? Note, DateTime At);

public sealed record RewardQuery(
    int? ProjectId = null,
    int? PartnerId = null,
    RewardStatus? Status = null,
    string? Currency = null,
    DateOnly? From = null,
    DateOnly? To = null) : PageRequest;

/// <summary>Money of one currency in each ledger state (reversed entries count nowhere).</summary>
public sealed record RewardBalance(string Currency, decimal Pending, decimal Due, decimal Paid);

/// <summary>What a partner brought in: counts exclude discarded events; rewards per currency.</summary>
public sealed record PartnerActivityTotals(long Referrals, long Conversions, long ConversionsInReview, IReadOnlyList<RewardBalance> Rewards);

/// <summary>Reads the rewards ledger and moves entries through approval, payment and reversal.</summary>
public sealed class RewardService(AppDbFactory dbFactory, CurrentUser currentUser, TimeProvider clock)
{
    public async Task<Result<Page<RewardRow>>> ListAsync(RewardQuery query, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadRewards) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = PartnerEvents.Filter(db.Rewards.AsNoTracking(), query.ProjectId, query.PartnerId, query.From, query.To);
        if (query.Status is { } status)
        {
            q = q.Where(r => r.Status == status);
        }

        if (Currency.Normalize(query.Currency) is { } currency)
        {
            q = q.Where(r => r.Currency == currency);
        }

        var total = await q.CountAsync(ct);
        var desc = query.Sort?.Descending ?? true;
        var page = await (desc ? q.OrderByDescending(r => r.Id) : q.OrderBy(r => r.Id)).Skip(query.Skip).Take(query.Take).ToListAsync(ct);
        return Result<Page<RewardRow>>.Ok(new Page<RewardRow>(await ToRowsAsync(db, page, ct), total));
    }

    public async Task<Result<RewardRow>> GetAsync(long id, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadRewards) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var reward = await db.Rewards.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        return reward is null ? NotFound(id) : Result<RewardRow>.Ok((await ToRowsAsync(db, [reward], ct))[0]);
    }

    /// <summary>Every status change of an entry, oldest first.</summary>
    public async Task<Result<IReadOnlyList<RewardHistoryRow>>> HistoryAsync(long id, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadRewards) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.RewardEvents.AsNoTracking().Where(e => e.RewardId == id).OrderBy(e => e.Id)
            .Select(e => new RewardHistoryRow(e.FromStatus, e.ToStatus, e.Actor, e.Note, e.At)).ToListAsync(ct);
        return Result<IReadOnlyList<RewardHistoryRow>>.Ok(rows);
    }

    /// <summary>Pending -> approved: due for payout. Partial reversals of the entry move with it.</summary>
    public Task<Result<RewardRow>> ApproveAsync(long id, string? note, long? expectedVersion, CancellationToken ct = default) =>
        MoveAsync(id, RewardStatus.Pending, RewardStatus.Approved, note, expectedVersion, ct);

    /// <summary>Approved -> paid. Partial reversals of the entry move with it (the payout was net of them).</summary>
    public Task<Result<RewardRow>> PayAsync(long id, string? note, long? expectedVersion, CancellationToken ct = default) =>
        MoveAsync(id, RewardStatus.Approved, RewardStatus.Paid, note, expectedVersion, ct);

    private async Task<Result<RewardRow>> MoveAsync(long id, RewardStatus from, RewardStatus to, string? note, long? expectedVersion, CancellationToken ct)
    {
        if (await currentUser.DeniedAsync(Permissions.EditRewards) is { } denied)
        {
            return denied;
        }

        note = Clean(note);
        if (note is { Length: > Reward.NoteMaxLength })
        {
            return Result<RewardRow>.Invalid(nameof(Reward.Note), $"The note must be at most {Reward.NoteMaxLength} characters.");
        }

        if (TextRules.Problem(note, multiLine: true) is { } problem)
        {
            return Result<RewardRow>.Invalid(nameof(Reward.Note), $"The note must not contain {problem}.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var reward = await db.Rewards.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (reward is null)
        {
            return NotFound(id);
        }

        if (expectedVersion is { } v && v != reward.Version)
        {
            return await StaleAsync(db, reward, ct);
        }

        if (reward.Status != from)
        {
            var verb = to == RewardStatus.Approved ? "approved" : "paid";
            return Result<RewardRow>.Conflict($"This reward is {Name(reward.Status)}: only {Name(from)} rewards can be {verb}.", (await ToRowsAsync(db, [reward], ct))[0]);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var actor = await currentUser.NameAsync();
        var followers = await db.Rewards.Where(r => r.ReversesRewardId == id && r.Status == from).ToListAsync(ct);
        foreach (var entry in followers.Prepend(reward))
        {
            db.RewardEvents.Add(new RewardEvent { RewardId = entry.Id, FromStatus = from, ToStatus = to, Actor = actor, Note = note, At = now });
            entry.Status = to;
            if (to == RewardStatus.Approved)
            {
                entry.ApprovedAt = now;
            }
            else
            {
                entry.PaidAt = now;
            }
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return await StaleAsync(db, reward, ct);
        }

        return Result<RewardRow>.Ok((await ToRowsAsync(db, [reward], ct))[0]);
    }

    /// <summary>
    /// Reverses what is left of an entry with a new negative entry (the original is never edited in amount).
    /// A paid entry stays paid and the reversal is due back; an unpaid one is cancelled.
    /// </summary>
    public async Task<Result<RewardRow>> ReverseAsync(long id, string? note, long? expectedVersion, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.EditRewards) is { } denied)
        {
            return denied;
        }

        note = Clean(note);
        var v = new Validation()
            .Check(note is not null, nameof(Reward.Note), "Say why it is reversed: the note stays in the ledger.")
            .Optional(note, nameof(Reward.Note), "The note", Reward.NoteMaxLength, multiLine: true);
        if (!v.IsValid)
        {
            return v.ToResult<RewardRow>();
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var reward = await db.Rewards.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (reward is null)
        {
            return NotFound(id);
        }

        if (expectedVersion is { } ev && ev != reward.Version)
        {
            return await StaleAsync(db, reward, ct);
        }

        if (reward.ReversesRewardId is not null)
        {
            return Result<RewardRow>.Conflict("This entry is itself a reversal; it cannot be reversed.");
        }

        var remaining = await RewardLedger.RemainingUnitsAsync(db, reward, ct);
        if (reward.Status == RewardStatus.Reversed || remaining <= 0)
        {
            return Result<RewardRow>.Conflict("This reward has been reversed in full already.", (await ToRowsAsync(db, [reward], ct))[0]);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        Reward reversal;
        try
        {
            reversal = await RewardLedger.AppendReversalAsync(db, reward, remaining, await currentUser.NameAsync(), note, clock.GetUtcNow().UtcDateTime, ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return await StaleAsync(db, reward, ct);
        }

        return Result<RewardRow>.Ok((await ToRowsAsync(db, [reversal], ct))[0]);
    }

    /// <summary>A partner's totals: referrals and conversions that count (not discarded), and rewards per currency and state.</summary>
    public async Task<Result<PartnerActivityTotals>> TotalsForPartnerAsync(int partnerId, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadRewards) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var referrals = await db.Referrals.AsNoTracking().LongCountAsync(r => r.PartnerId == partnerId && r.Status == EventStatus.Recorded, ct);
        var conversions = await db.Conversions.AsNoTracking()
            .Where(c => c.PartnerId == partnerId && c.EventType != ConversionTypes.Refund)
            .GroupBy(c => c.Status)
            .Select(g => new { Status = g.Key, Count = g.LongCount() })
            .ToListAsync(ct);
        var money = await db.Rewards.AsNoTracking()
            .Where(r => r.PartnerId == partnerId && r.Status != RewardStatus.Reversed)
            .GroupBy(r => new { r.Currency, r.Status })
            .Select(g => new { g.Key.Currency, g.Key.Status, Whole = g.Sum(r => r.AmountUnits / MoneyUnits.SumSplit), Rest = g.Sum(r => r.AmountUnits % MoneyUnits.SumSplit) })
            .ToListAsync(ct);
        var balances = money.GroupBy(m => m.Currency).OrderBy(g => g.Key).Select(g => new RewardBalance(
            g.Key,
            MoneyUnits.FromUnits(g.Where(m => m.Status == RewardStatus.Pending).Sum(m => MoneyUnits.Combine(m.Whole, m.Rest))),
            MoneyUnits.FromUnits(g.Where(m => m.Status == RewardStatus.Approved).Sum(m => MoneyUnits.Combine(m.Whole, m.Rest))),
            MoneyUnits.FromUnits(g.Where(m => m.Status == RewardStatus.Paid).Sum(m => MoneyUnits.Combine(m.Whole, m.Rest))))).ToList();
        return Result<PartnerActivityTotals>.Ok(new PartnerActivityTotals(
            referrals,
            conversions.Where(c => c.Status == ConversionStatus.Accepted).Sum(c => c.Count),
            conversions.Where(c => c.Status is ConversionStatus.Pending or ConversionStatus.Suspicious).Sum(c => c.Count),
            balances));
    }

    private static async Task<Result<RewardRow>> StaleAsync(AppDbContext db, Reward reward, CancellationToken ct)
    {
        var fresh = await db.Rewards.AsNoTracking().FirstAsync(r => r.Id == reward.Id, ct);
        return Result<RewardRow>.Conflict("This reward was changed by someone else in the meantime. Look at its current state and decide again.",
            (await ToRowsAsync(db, [fresh], ct))[0]);
    }

    private static Result<RewardRow> NotFound(long id) => Result<RewardRow>.NotFound($"Reward {id} does not exist.");

    private static string Name(RewardStatus status) => status.ToString().ToLowerInvariant();

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    internal static async Task<List<RewardRow>> ToRowsAsync(AppDbContext db, IReadOnlyList<Reward> page, CancellationToken ct)
    {
        var conversionIds = page.Select(r => r.ConversionId).Distinct().ToList();
        var setIds = page.Select(r => r.RuleSetId).Distinct().ToList();
        var names = await PartnerEvents.NamesAsync(db, page, ct);
        var conversions = await db.Conversions.AsNoTracking().Where(c => conversionIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => new { c.PublicId, c.EventType }, ct);
        var sets = await db.RewardRuleSets.AsNoTracking().Where(s => setIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        return page.Select(r => new RewardRow(
            r.Id, r.CreatedAt, r.PartnerId, names.Partner(r.PartnerId), r.ProjectId, names.Project(r.ProjectId),
            conversions[r.ConversionId].PublicId, conversions[r.ConversionId].EventType, r.RuleSetId, sets.GetValueOrDefault(r.RuleSetId, ""), r.ActionId,
            r.Amount, r.Currency, r.Status, r.ReversesRewardId, r.Note, r.ApprovedAt, r.PaidAt, r.Version)).ToList();
    }
}
