using NodiRef.Admin.Features.Rewards;

namespace NodiRef.Admin.Features.Conversions;

/// <summary>Records conversions (the public API's convert), lists them, and lets people accept, reject or refund them.</summary>
public sealed class ConversionService(
    AppDbFactory dbFactory,
    CurrentUser currentUser,
    ConversionSignal signal,
    TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<ConversionOptions> options)
{
    /// <summary>
    /// Records a conversion as pending and wakes the processor. With an idempotency key, the same
    /// conversion sent again answers the first one's receipt; the same key with another body is refused.
    /// </summary>
    public async Task<Result<ConversionReceipt>> RecordAsync(ConversionInput input, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.SendTracking) is { } denied)
        {
            return denied;
        }

        var tokenId = await currentUser.TokenIdAsync();
        var maxAmount = options.Value.EffectiveMaxAmount;
        var eventType = input.EventType?.Trim().ToLowerInvariant();
        var p = input.Payload;
        var key = string.IsNullOrWhiteSpace(input.EventKey) ? null : input.EventKey.Trim();
        var v = new Validation()
            .Check(!string.IsNullOrEmpty(eventType), nameof(ConversionInput.EventType), $"event_type is required: one of {string.Join(", ", ConversionTypes.All)}.")
            .Check(string.IsNullOrEmpty(eventType) || ConversionTypes.All.Contains(eventType), nameof(ConversionInput.EventType), $"Unknown event_type \"{input.EventType}\": use one of {string.Join(", ", ConversionTypes.All)}.")
            .Check(p is not null, nameof(ConversionInput.Payload), "payload is required: an object with the conversion's details (amount, currency, ...).")
            .Optional(key, nameof(ConversionInput.EventKey), "The idempotency key (Idempotency-Key or event_id)", Conversion.EventKeyMaxLength);
        var currency = Currency.Normalize(p?.Currency);
        if (p is not null)
        {
            var refund = eventType == ConversionTypes.Refund;
            v.Optional(p.Category, ConversionPayload.Path(nameof(p.Category)), "category", Conversion.TextMaxLength)
                .Optional(p.Source, ConversionPayload.Path(nameof(p.Source)), "source", Conversion.TextMaxLength)
                .Optional(p.Plan, ConversionPayload.Path(nameof(p.Plan)), "plan", Conversion.TextMaxLength)
                .Optional(p.SubscriptionId, ConversionPayload.Path(nameof(p.SubscriptionId)), "subscription_id", Conversion.TextMaxLength)
                .Check(p.Meta is null || p.Meta.Length <= Conversion.MetaMaxLength, ConversionPayload.Path(nameof(p.Meta)), $"meta must be at most {Conversion.MetaMaxLength} characters of JSON.")
                .Check(p.Quantity is null or >= 1, ConversionPayload.Path(nameof(p.Quantity)), "quantity must be a whole number from 1.")
                .Check(p.Currency is null || currency is not null, ConversionPayload.Path(nameof(p.Currency)), $"Unknown currency \"{p.Currency}\": use an ISO 4217 code such as USD or EUR.")
                .Check(refund || p.Amount is not null, ConversionPayload.Path(nameof(p.Amount)), "amount is required (0 or more).")
                .Check(p.Amount is null || p.Amount >= 0, ConversionPayload.Path(nameof(p.Amount)), "amount must be 0 or more.")
                .Check(p.Amount is null || p.Amount <= maxAmount, ConversionPayload.Path(nameof(p.Amount)), $"amount must be at most {maxAmount:0.####} (the setting Conversions:MaxAmount).")
                .Check(p.Amount is null || p.Amount.Value.Scale <= 4 || decimal.Round(p.Amount.Value, 4) == p.Amount.Value, ConversionPayload.Path(nameof(p.Amount)), "amount has at most 4 decimal places.")
                .Check(refund || p.Currency is not null, ConversionPayload.Path(nameof(p.Currency)), "currency is required: an ISO 4217 code such as USD or EUR.");
            if (eventType == ConversionTypes.Purchase)
            {
                v.Required(p.ProductId, ConversionPayload.Path(nameof(p.ProductId)), "product_id", Conversion.TextMaxLength);
            }
            else
            {
                v.Optional(p.ProductId, ConversionPayload.Path(nameof(p.ProductId)), "product_id", Conversion.TextMaxLength);
            }

            if (refund)
            {
                v.Check(p.ConversionId is not null || !string.IsNullOrWhiteSpace(p.OriginalEventId), ConversionPayload.Path(nameof(p.ConversionId)),
                        "A refund names the conversion it reverses: conversion_id (or original_event_id, the key it was sent with).")
                    .Check(p.Amount is null || p.Amount > 0, ConversionPayload.Path(nameof(p.Amount)), "A refund's amount must be more than 0 (leave it out to refund all that is left).");
            }
        }

        if (eventType != ConversionTypes.Refund)
        {
            v.Check(input.ReferralId is not null || !string.IsNullOrWhiteSpace(input.ExternalId), nameof(ConversionInput.ReferralId),
                "referral_id (from POST /v1/referral) or external_id (the user's id you sent with the referral) is required.");
        }

        if (!v.IsValid)
        {
            return v.ToResult<ConversionReceipt>();
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (key is not null && await ReplayAsync(db, tokenId, key, input.RequestHash, ct) is { } replay)
        {
            return replay;
        }

        var conversion = new Conversion
        {
            PublicId = Guid.CreateVersion7(),
            EventKey = key,
            TokenId = tokenId,
            RequestHash = key is null ? null : input.RequestHash,
            EventType = eventType!,
            ProductId = Clean(p!.ProductId),
            Category = Clean(p.Category),
            Quantity = p.Quantity ?? 1,
            Plan = Clean(p.Plan),
            SubscriptionId = Clean(p.SubscriptionId),
            Source = Clean(p.Source),
            Meta = p.Meta,
            IpAddress = input.Client.IpAddress,
            UserAgent = input.Client.UserAgent,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            Status = ConversionStatus.Pending,
        };

        if (eventType == ConversionTypes.Refund)
        {
            var refund = await PrepareRefundAsync(db, conversion, p, currency, tokenId, ct);
            if (refund is not null)
            {
                return refund;
            }
        }
        else
        {
            var referral = await FindReferralAsync(db, input, ct);
            if (!referral.Succeeded)
            {
                return referral.As<ConversionReceipt>();
            }

            var r = referral.Value!;
            conversion.ReferralId = r.Id;
            conversion.PartnerId = r.PartnerId;
            conversion.LinkId = r.LinkId;
            conversion.ProjectId = r.ProjectId;
            conversion.AmountUnits = MoneyUnits.ToUnits(p.Amount!.Value);
            conversion.Currency = currency!;
        }

        db.Conversions.Add(conversion);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (key is not null && DbErrors.IsUniqueViolation(e))
        {
            // The same key arrived twice at once: the first one stored answers both.
            await using var fresh = await dbFactory.CreateDbContextAsync(ct);
            return await ReplayAsync(fresh, tokenId, key, input.RequestHash, ct) ?? throw new InvalidOperationException("A conversion key clashed but cannot be read back.", e);
        }

        signal.Notify();
        return Result<ConversionReceipt>.Ok(new ConversionReceipt(conversion, Replayed: false));
    }

    /// <summary>The conversion this sender (token) already recorded with <paramref name="key"/>: keys are per token.</summary>
    private static async Task<Result<ConversionReceipt>?> ReplayAsync(AppDbContext db, int? tokenId, string key, string requestHash, CancellationToken ct)
    {
        var existing = await db.Conversions.AsNoTracking().FirstOrDefaultAsync(c => c.TokenId == tokenId && c.EventKey == key, ct);
        if (existing is null)
        {
            return null;
        }

        return existing.RequestHash == requestHash
            ? Result<ConversionReceipt>.Ok(new ConversionReceipt(existing, Replayed: true))
            : Result<ConversionReceipt>.Unprocessable($"The idempotency key \"{key}\" was already used for a different conversion. Use a new key for a new conversion.");
    }

    private static async Task<Result<Referral>> FindReferralAsync(AppDbContext db, ConversionInput input, CancellationToken ct)
    {
        if (input.ReferralId is { } publicId)
        {
            var byId = await db.Referrals.AsNoTracking().FirstOrDefaultAsync(r => r.PublicId == publicId, ct);
            return byId is null
                ? Result<Referral>.NotFound($"Unknown referral_id \"{publicId}\": no referral has it.")
                : Result<Referral>.Ok(byId);
        }

        var externalId = input.ExternalId!.Trim();
        var matches = await db.Referrals.AsNoTracking()
            .Where(r => r.ExternalId == externalId && (input.ProjectId == null || r.ProjectKey == input.ProjectId))
            .Take(2)
            .ToListAsync(ct);
        return matches.Count switch
        {
            0 => Result<Referral>.NotFound($"Unknown referral: no referral has external_id \"{externalId}\"{(input.ProjectId is null ? "" : $" in project {input.ProjectId}")}."),
            1 => Result<Referral>.Ok(matches[0]),
            _ => Result<Referral>.Invalid(nameof(ConversionInput.ProjectId), $"Several projects have a referral with external_id \"{externalId}\": send project_id too, or the referral_id."),
        };
    }

    private static async Task<Result<ConversionReceipt>?> PrepareRefundAsync(AppDbContext db, Conversion refund, ConversionPayload p, string? currency, int? tokenId, CancellationToken ct)
    {
        // original_event_id is the key the same sender used: another token's keys are not this one's to name.
        var originalKey = p.OriginalEventId?.Trim();
        var original = p.ConversionId is { } conversionId
            ? await db.Conversions.AsNoTracking().FirstOrDefaultAsync(c => c.PublicId == conversionId, ct)
            : await db.Conversions.AsNoTracking().FirstOrDefaultAsync(c => c.TokenId == tokenId && c.EventKey == originalKey, ct);
        if (original is null)
        {
            return Result<ConversionReceipt>.NotFound(p.ConversionId is not null
                ? $"Unknown conversion_id \"{p.ConversionId}\": nothing to refund."
                : $"No conversion was sent with the key \"{originalKey}\": nothing to refund.");
        }

        if (original.EventType == ConversionTypes.Refund)
        {
            return Result<ConversionReceipt>.Invalid(ConversionPayload.Path(nameof(p.ConversionId)), "That conversion is itself a refund; refund the original conversion.");
        }

        if (currency is not null && currency != original.Currency)
        {
            return Result<ConversionReceipt>.Invalid(ConversionPayload.Path(nameof(p.Currency)), $"The conversion was in {original.Currency}; a refund of it is in {original.Currency} too.");
        }

        var refunded = await RefundedUnitsAsync(db, original.Id, ct);
        var left = original.AmountUnits - refunded;
        var units = p.Amount is { } amount ? MoneyUnits.ToUnits(amount) : left;
        if (left <= 0 && original.AmountUnits > 0)
        {
            return Result<ConversionReceipt>.Conflict("This conversion has been refunded in full already.",
                errors: new Dictionary<string, string> { [ConversionPayload.Path(nameof(p.Amount))] = "Nothing is left to refund." });
        }

        if (units > left)
        {
            return Result<ConversionReceipt>.Conflict($"Only {MoneyUnits.FromUnits(left):0.####} {original.Currency} of this conversion is left to refund.",
                errors: new Dictionary<string, string> { [ConversionPayload.Path(nameof(p.Amount))] = $"At most {MoneyUnits.FromUnits(left):0.####} {original.Currency} is left to refund." });
        }

        refund.ReversesConversionId = original.Id;
        refund.ReferralId = original.ReferralId;
        refund.PartnerId = original.PartnerId;
        refund.LinkId = original.LinkId;
        refund.ProjectId = original.ProjectId;
        refund.AmountUnits = units;
        refund.Currency = original.Currency;
        refund.ProductId ??= original.ProductId;
        return null;
    }

    private static Task<long> RefundedUnitsAsync(AppDbContext db, long originalId, CancellationToken ct) =>
        db.Conversions.AsNoTracking()
            .Where(c => c.ReversesConversionId == originalId && c.Status != ConversionStatus.Rejected)
            .SumAsync(c => c.AmountUnits, ct);

    /// <summary>Newest first, with partner, project, link and referral.</summary>
    public async Task<Result<Page<ConversionRow>>> ListAsync(ConversionQuery query, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadConversions) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = PartnerEvents.Filter(db.Conversions.AsNoTracking(), query.ProjectId, query.PartnerId, query.From, query.To);
        if (query.Status is { } status)
        {
            q = q.Where(c => c.Status == status);
        }

        if (!string.IsNullOrEmpty(query.EventType))
        {
            q = q.Where(c => c.EventType == query.EventType);
        }

        var total = await q.CountAsync(ct);
        var desc = query.Sort?.Descending ?? true;
        var page = await (desc ? q.OrderByDescending(c => c.Id) : q.OrderBy(c => c.Id)).Skip(query.Skip).Take(query.Take).ToListAsync(ct);
        var rows = await ToRowsAsync(db, page, ct);
        return Result<Page<ConversionRow>>.Ok(new Page<ConversionRow>(rows, total));
    }

    /// <summary>One conversion by its public id.</summary>
    public async Task<Result<ConversionRow>> GetAsync(Guid publicId, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadConversions) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var conversion = await db.Conversions.AsNoTracking().FirstOrDefaultAsync(c => c.PublicId == publicId, ct);
        return conversion is null
            ? Result<ConversionRow>.NotFound($"No conversion has the id \"{publicId}\".")
            : Result<ConversionRow>.Ok((await ToRowsAsync(db, [conversion], ct))[0]);
    }

    internal static async Task<List<ConversionRow>> ToRowsAsync(AppDbContext db, IReadOnlyList<Conversion> page, CancellationToken ct)
    {
        var referralIds = page.Select(c => c.ReferralId).Distinct().ToList();
        var originalIds = page.Where(c => c.ReversesConversionId != null).Select(c => c.ReversesConversionId!.Value).Distinct().ToList();
        var names = await PartnerEvents.NamesAsync(db, page, ct);
        var referrals = await db.Referrals.AsNoTracking().Where(r => referralIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => new { r.PublicId, r.ExternalId }, ct);
        var originals = await db.Conversions.AsNoTracking().Where(c => originalIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.PublicId, ct);
        return page.Select(c => new ConversionRow(
            c.Id, c.PublicId, c.CreatedAt, c.EventType, c.Amount, c.Currency, c.ProductId, c.Plan,
            c.PartnerId, names.Partner(c.PartnerId), c.ProjectId, names.Project(c.ProjectId),
            names.Link(c.LinkId), referrals[c.ReferralId].PublicId, referrals[c.ReferralId].ExternalId,
            c.Status, c.Reason, c.ReviewNote, c.ReviewedBy, c.ProcessedAt,
            c.ReversesConversionId is { } oid ? originals[oid] : null, c.IpAddress, c.UserAgent, c.Version)).ToList();
    }

    /// <summary>A person accepts a pending or suspicious conversion: its rewards are computed now.</summary>
    public Task<Result<ConversionRow>> AcceptAsync(Guid publicId, string? note, long? expectedVersion, CancellationToken ct = default) =>
        ReviewAsync(publicId, ConversionStatus.Accepted, note, expectedVersion, ct);

    /// <summary>A person rejects a pending or suspicious conversion, saying why: no reward.</summary>
    public Task<Result<ConversionRow>> RejectAsync(Guid publicId, string? note, long? expectedVersion, CancellationToken ct = default) =>
        ReviewAsync(publicId, ConversionStatus.Rejected, note, expectedVersion, ct);

    private async Task<Result<ConversionRow>> ReviewAsync(Guid publicId, ConversionStatus decision, string? note, long? expectedVersion, CancellationToken ct)
    {
        if (await currentUser.DeniedAsync(Permissions.ReviewConversions) is { } denied)
        {
            return denied;
        }

        note = Clean(note);
        var v = new Validation()
            .Optional(note, nameof(Conversion.ReviewNote), "The note", Conversion.NoteMaxLength, multiLine: true)
            .Check(decision != ConversionStatus.Rejected || note is not null, nameof(Conversion.ReviewNote), "Say why it is rejected: the partner and your colleagues will see this note.");
        if (!v.IsValid)
        {
            return v.ToResult<ConversionRow>();
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var conversion = await db.Conversions.FirstOrDefaultAsync(c => c.PublicId == publicId, ct);
        if (conversion is null)
        {
            return Result<ConversionRow>.NotFound($"No conversion has the id \"{publicId}\".");
        }

        if (conversion.EventType == ConversionTypes.Refund)
        {
            return Result<ConversionRow>.Conflict("A refund is not reviewed: it reverses its conversion's rewards when it arrives.");
        }

        if (expectedVersion is { } expected && expected != conversion.Version)
        {
            return Result<ConversionRow>.Conflict("Someone else changed this conversion since you opened it. Look at its current state and decide again.",
                (await ToRowsAsync(db, [conversion], ct))[0]);
        }

        if (conversion.Status is not (ConversionStatus.Pending or ConversionStatus.Suspicious))
        {
            return Result<ConversionRow>.Conflict($"This conversion is {conversion.Status.ToString().ToLowerInvariant()} already: only pending or suspicious conversions are reviewed.",
                (await ToRowsAsync(db, [conversion], ct))[0]);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var actor = await currentUser.NameAsync();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        conversion.Status = decision;
        conversion.ProcessedAt ??= now;
        conversion.ReviewedAt = now;
        conversion.ReviewedBy = actor;
        conversion.ReviewNote = note;
        try
        {
            await db.SaveChangesAsync(ct);
            if (decision == ConversionStatus.Accepted)
            {
                await RewardLedger.AcceptAsync(db, conversion, actor, now, ct);
            }

            await tx.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            await tx.RollbackAsync(ct);
            return Result<ConversionRow>.Conflict("Someone else decided on this conversion at the same moment. Look at its current state.");
        }

        return Result<ConversionRow>.Ok((await ToRowsAsync(db, [conversion], ct))[0]);
    }

    /// <summary>
    /// A person records a refund of a conversion (all that is left, or <paramref name="amount"/>):
    /// a refund conversion is appended and its rewards are reversed at once.
    /// </summary>
    public async Task<Result<ConversionRow>> RefundAsync(Guid publicId, decimal? amount, string? note, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReviewConversions) is { } denied)
        {
            return denied;
        }

        note = Clean(note);
        var v = new Validation()
            .Optional(note, nameof(Conversion.ReviewNote), "The note", Conversion.NoteMaxLength, multiLine: true)
            .Check(amount is null || amount > 0, ConversionPayload.Path(nameof(ConversionPayload.Amount)), "A refund's amount must be more than 0 (leave it out to refund all that is left).")
            .Check(amount is null || amount <= options.Value.EffectiveMaxAmount, ConversionPayload.Path(nameof(ConversionPayload.Amount)), $"amount must be at most {options.Value.EffectiveMaxAmount:0.####} (the setting Conversions:MaxAmount).");
        if (!v.IsValid)
        {
            return v.ToResult<ConversionRow>();
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var refund = new Conversion
        {
            PublicId = Guid.CreateVersion7(),
            EventType = ConversionTypes.Refund,
            CreatedAt = now,
            Status = ConversionStatus.Pending,
            ReviewedBy = await currentUser.NameAsync(),
            ReviewedAt = now,
            ReviewNote = note,
        };
        var problem = await PrepareRefundAsync(db, refund, new ConversionPayload(Amount: amount, ConversionId: publicId), null, tokenId: null, ct);
        if (problem is not null)
        {
            return problem.As<ConversionRow>();
        }

        if (await db.Conversions.AsNoTracking().AnyAsync(c => c.Id == refund.ReversesConversionId && c.Status == ConversionStatus.Pending, ct))
        {
            return Result<ConversionRow>.Conflict("This conversion is still being processed; refund it in a moment.");
        }

        db.Conversions.Add(refund);
        await db.SaveChangesAsync(ct);
        await ConversionProcessing.ProcessAsync(db, refund, now, ct);
        return Result<ConversionRow>.Ok((await ToRowsAsync(db, [refund], ct))[0]);
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
