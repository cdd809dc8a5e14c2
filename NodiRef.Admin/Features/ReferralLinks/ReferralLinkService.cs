using System.Text.Json;
using NodiRef.Admin.Features.Partners;

namespace NodiRef.Admin.Features.ReferralLinks;

/// <summary>The one way to read and change referral links.</summary>
public sealed class ReferralLinkService(AppDbFactory dbFactory, CurrentUser currentUser, TimeProvider clock, IClickCounts clickCounts)
{
    /// <summary>A page of links: filtering, sorting and paging happen in SQL.</summary>
    public async Task<Result<Page<LinkRow>>> ListAsync(LinkQuery query, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadLinks) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.ReferralLinks.AsNoTracking();
        if (query.PartnerId is { } partnerId)
        {
            q = q.Where(l => l.PartnerId == partnerId);
        }

        if (query.ProjectId is { } projectId)
        {
            q = q.Where(l => l.ProjectId == projectId);
        }

        if (!string.IsNullOrWhiteSpace(query.Code))
        {
            var key = ReferralCode.ToKey(query.Code.Trim());
            q = q.Where(l => l.CodeKey == key);
        }

        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var from = ReferralCode.ToKey(query.Search.Trim());
            var to = from + char.ConvertFromUtf32(0x10FFFF);
            q = q.Where(l => string.Compare(l.CodeKey, from) >= 0 && string.Compare(l.CodeKey, to) < 0);
        }

        var total = await q.CountAsync(ct);
        var desc = query.Sort?.Descending ?? query.Sort is null;
        q = (query.Sort?.Field ?? nameof(ReferralLink.CreatedAt)) switch
        {
            nameof(ReferralLink.Code) => desc ? q.OrderByDescending(l => l.CodeKey).ThenByDescending(l => l.Id) : q.OrderBy(l => l.CodeKey).ThenBy(l => l.Id),
            nameof(ReferralLink.Project) or nameof(ReferralLink.ProjectId) => desc ? q.OrderByDescending(l => l.Project!.Name).ThenByDescending(l => l.Id) : q.OrderBy(l => l.Project!.Name).ThenBy(l => l.Id),
            nameof(ReferralLink.Partner) or nameof(ReferralLink.PartnerId) => desc ? q.OrderByDescending(l => l.Partner!.NameSearch).ThenByDescending(l => l.Id) : q.OrderBy(l => l.Partner!.NameSearch).ThenBy(l => l.Id),
            nameof(ReferralLink.TargetUrl) => desc ? q.OrderByDescending(l => l.TargetUrl).ThenByDescending(l => l.Id) : q.OrderBy(l => l.TargetUrl).ThenBy(l => l.Id),
            nameof(ReferralLink.UpdatedAt) => desc ? q.OrderByDescending(l => l.UpdatedAt).ThenByDescending(l => l.Id) : q.OrderBy(l => l.UpdatedAt).ThenBy(l => l.Id),
            _ => desc ? q.OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.Id) : q.OrderBy(l => l.CreatedAt).ThenBy(l => l.Id),
        };

        var items = await q.Skip(query.Skip).Take(query.Take).Select(ToRow).ToListAsync(ct);
        return Result<Page<LinkRow>>.Ok(new Page<LinkRow>(items, total));
    }

    /// <summary>Every link of the given partners (at most 100 partners), for embedding in API answers.</summary>
    public async Task<Result<IReadOnlyList<LinkRow>>> ListOfPartnersAsync(IReadOnlyCollection<int> partnerIds, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadLinks) is { } denied)
        {
            return denied;
        }

        if (partnerIds.Count > 100)
        {
            return Result<IReadOnlyList<LinkRow>>.Invalid(nameof(CreateLinkInput.PartnerId), "At most 100 partners at a time.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.ReferralLinks.AsNoTracking()
            .Where(l => partnerIds.Contains(l.PartnerId))
            .OrderBy(l => l.PartnerId).ThenBy(l => l.CreatedAt).ThenBy(l => l.Id)
            .Select(ToRow)
            .ToListAsync(ct);
        return Result<IReadOnlyList<LinkRow>>.Ok(rows);
    }

    public async Task<Result<LinkRow>> GetAsync(int id, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadLinks) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.ReferralLinks.AsNoTracking().Where(l => l.Id == id).Select(ToRow).FirstOrDefaultAsync(ct);
        return row is null ? NotFound(id) : Result<LinkRow>.Ok(row);
    }

    /// <summary>Adds a link to a partner: a generated or custom code, in the partner's default project unless told otherwise.</summary>
    public async Task<Result<LinkRow>> CreateAsync(CreateLinkInput input, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.EditLinks) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var v = new Validation();
        var partner = await db.Partners.AsNoTracking()
            .Where(p => p.Id == input.PartnerId)
            .Select(p => new { p.Id, p.DefaultProjectId })
            .FirstOrDefaultAsync(ct);
        if (partner is null)
        {
            v.Add(nameof(CreateLinkInput.PartnerId), $"Partner {input.PartnerId} does not exist.");
        }

        var generated = string.IsNullOrWhiteSpace(input.Code);
        var code = generated ? ReferralCode.Generate() : input.Code!.Trim();
        if (!generated)
        {
            await CheckCodeAsync(db, v, code, ct);
        }

        var projectId = input.ProjectId ?? (input.UseDefaultProject ? partner?.DefaultProjectId : null);
        await PartnerService.CheckProjectUsableAsync(db, v, projectId, nameof(CreateLinkInput.ProjectId), ct);
        var targetUrl = CheckTargetUrl(v, input.TargetUrl);
        var metadata = CheckMetadata(v, input.Metadata);
        if (!v.IsValid)
        {
            return v.ToResult<LinkRow>();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var link = new ReferralLink
        {
            PartnerId = input.PartnerId,
            Code = code,
            CodeKey = ReferralCode.ToKey(code),
            ProjectId = projectId,
            TargetUrl = targetUrl,
            Metadata = metadata,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.ReferralLinks.Add(link);
        return await Edit.SaveAsync(db, Rules, link, ct);
    }

    /// <summary>
    /// Edits a link. Moving it to another project is for admins only and affects only future
    /// attribution: past events keep the project they had.
    /// </summary>
    public async Task<Result<LinkRow>> UpdateAsync(int id, UpdateLinkInput input, long? version, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.EditLinks) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Edit.UpdateAsync(db, Rules, id, version, async (link, v) =>
        {
            if (input.ProjectId != link.ProjectId)
            {
                if (await currentUser.DeniedAsync(Permissions.MoveLinks) is { } moveDenied)
                {
                    return moveDenied;
                }

                await PartnerService.CheckProjectUsableAsync(db, v, input.ProjectId, nameof(CreateLinkInput.ProjectId), ct);
            }

            var targetUrl = CheckTargetUrl(v, input.TargetUrl);
            var metadata = CheckMetadata(v, input.Metadata);
            if (v.IsValid)
            {
                link.ProjectId = input.ProjectId;
                link.TargetUrl = targetUrl;
                link.Metadata = metadata;
            }

            return null;
        }, ct);
    }

    /// <summary>Moves a link to another project (admins only): the partner then belongs to that project too.</summary>
    public async Task<Result<LinkRow>> ChangeProjectAsync(int id, int? projectId, long? version, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.MoveLinks) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Edit.UpdateAsync<ReferralLink, LinkRow>(db, Rules, id, version, async (link, v) =>
        {
            if (link.ProjectId != projectId)
            {
                await PartnerService.CheckProjectUsableAsync(db, v, projectId, nameof(CreateLinkInput.ProjectId), ct);
                link.ProjectId = projectId;
            }

            return null;
        }, ct);
    }

    /// <summary>Deletes a link that never recorded a click.</summary>
    public async Task<Result<bool>> DeleteAsync(int id, long? version, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.EditLinks) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var link = await db.ReferralLinks.AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, ct);
        if (link is null)
        {
            return Result<bool>.NotFound($"Referral link {id} does not exist.");
        }

        if (version is not null && link.Version != version)
        {
            return Result<bool>.Conflict("This link was changed by someone else in the meantime. Reload it and try again.");
        }

        var clicks = await clickCounts.CountAsync(db, link.PartnerId, id, ct);
        if (clicks > 0)
        {
            return Result<bool>.Conflict($"Link {link.Code} has {clicks:N0} recorded click(s); its history must be kept, so it cannot be deleted.");
        }

        var rule = await db.RewardRuleSets.AsNoTracking()
            .Where(s => s.Scope == RewardScope.Link && s.ScopeId == id)
            .Select(s => s.Name)
            .FirstOrDefaultAsync(ct);
        if (rule is not null)
        {
            return Result<bool>.Conflict($"Reward rule set \"{rule}\" applies to link {link.Code}: change its scope or delete it first.");
        }

        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // Through the context: the audit trail records the delete, and the version is checked by its concurrency token.
            db.ReferralLinks.Remove(link);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Result<bool>.Conflict("This link was changed by someone else in the meantime. Reload it and try again.");
            }

            // Clicks have no foreign keys: a click recorded after the check above (its batch held the
            // link until it committed, so the delete waited for it) shows up now; undo the delete then.
            if (await clickCounts.CountAsync(db, link.PartnerId, id, ct) > 0)
            {
                return Result<bool>.Conflict($"Link {link.Code} has recorded clicks; its history must be kept, so it cannot be deleted.");
            }

            await PartnerMembership.RefreshAsync(db, link.PartnerId, ct);
            await tx.CommitAsync(ct);
            return Result<bool>.Ok(true);
        }
        catch (Exception e) when (DbErrors.IsForeignKeyViolation(e))
        {
            // A referral arrived between the check and the delete.
            return Result<bool>.Conflict($"Link {link.Code} has recorded activity; its history must be kept, so it cannot be deleted.");
        }
    }

    /// <summary>
    /// How links are edited: the answer is the link's row read on the same context, and the partner's
    /// project memberships follow its links in the same transaction.
    /// </summary>
    private EditRules<ReferralLink, LinkRow> Rules => _rules ??= new()
    {
        Noun = "Referral link",
        Read = (db, link, ct) => db.ReferralLinks.AsNoTracking().Where(l => l.Id == link.Id).Select(ToRow).FirstAsync(ct),
        Touch = link => link.UpdatedAt = clock.GetUtcNow().UtcDateTime,
        AfterSave = (db, link, ct) => PartnerMembership.RefreshAsync(db, link.PartnerId, ct),
        Duplicate = (link, _) => Task.FromResult(CodeTaken(link.Code)),
    };

    private EditRules<ReferralLink, LinkRow>? _rules;

    private static async Task CheckCodeAsync(AppDbContext db, Validation v, string code, CancellationToken ct)
    {
        var error = ReferralCode.Validate(code);
        if (error is not null)
        {
            v.Add(nameof(CreateLinkInput.Code), error);
            return;
        }

        var key = ReferralCode.ToKey(code);
        var owner = await db.ReferralLinks.AsNoTracking().Where(l => l.CodeKey == key).Select(l => l.Code).FirstOrDefaultAsync(ct);
        if (owner is not null)
        {
            v.Conflict(nameof(CreateLinkInput.Code), CodeMessage(code, owner));
        }
    }

    private static string CodeMessage(string code, string existing) =>
        string.Equals(code, existing, StringComparison.Ordinal)
            ? $"Code \"{code}\" is already used by another link."
            : $"Code \"{code}\" is already used by another link (as \"{existing}\"; codes are unique regardless of case).";

    private static Result<LinkRow> CodeTaken(string code)
    {
        var message = $"Code \"{code}\" is already used by another link.";
        return Result<LinkRow>.Conflict(message, errors: new Dictionary<string, string> { [nameof(CreateLinkInput.Code)] = message });
    }

    private static string? CheckTargetUrl(Validation v, string? targetUrl)
    {
        if (string.IsNullOrWhiteSpace(targetUrl))
        {
            return null;
        }

        var trimmed = targetUrl.Trim();
        v.Check(trimmed.Length <= ReferralLink.TargetUrlMaxLength, nameof(CreateLinkInput.TargetUrl), $"Target URL must be at most {ReferralLink.TargetUrlMaxLength} characters.")
         .Check(WebUrl.IsValid(trimmed), nameof(CreateLinkInput.TargetUrl), "Target URL must be an absolute http:// or https:// URL.");
        return trimmed;
    }

    private static string? CheckMetadata(Validation v, string? metadata)
    {
        if (string.IsNullOrWhiteSpace(metadata))
        {
            return null;
        }

        if (metadata.Length > ReferralLink.MetadataMaxLength)
        {
            v.Add(nameof(CreateLinkInput.Metadata), $"Metadata must be at most {ReferralLink.MetadataMaxLength / 1024} KB of JSON.");
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(metadata);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                v.Add(nameof(CreateLinkInput.Metadata), "Metadata must be a JSON object, e.g. {\"campaign\": \"spring\"}.");
                return null;
            }

            var stored = JsonSerializer.Serialize(doc.RootElement, MetadataJson);
            if (stored.Length > ReferralLink.MetadataMaxLength)
            {
                v.Add(nameof(CreateLinkInput.Metadata), $"Metadata must be at most {ReferralLink.MetadataMaxLength / 1024} KB of JSON.");
                return null;
            }

            return stored;
        }
        catch (JsonException)
        {
            v.Add(nameof(CreateLinkInput.Metadata), "Metadata is not valid JSON.");
            return null;
        }
    }

    // Keep text as typed ("Zürich", not "Z\u00FCrich"); it is stored, never embedded in HTML unencoded.
    private static readonly JsonSerializerOptions MetadataJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static Result<LinkRow> NotFound(int id) => Result<LinkRow>.NotFound($"Referral link {id} does not exist.");

    private static readonly System.Linq.Expressions.Expression<Func<ReferralLink, LinkRow>> ToRow = l => new LinkRow(
        l.Id,
        l.Code,
        l.PartnerId,
        l.Partner!.Name,
        l.Partner.ExternalId,
        l.ProjectId == null ? null : new ProjectRef(l.Project!.Id, l.Project.Name),
        l.TargetUrl,
        l.Metadata,
        l.CreatedAt,
        l.UpdatedAt,
        l.Version);
}
