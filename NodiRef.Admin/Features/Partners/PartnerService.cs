namespace NodiRef.Admin.Features.Partners;

/// <summary>The one way to read and change partners; used by the pages and the API alike.</summary>
public sealed class PartnerService(AppDbFactory dbFactory, CurrentUser currentUser, TimeProvider clock, IClickCounts clickCounts, IPartnerSearch search)
{
    /// <summary>A page of partners: filtering, sorting and paging happen in SQL.</summary>
    public async Task<Result<Page<PartnerRow>>> ListAsync(PartnerQuery query, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadPartners) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var onlyProjectFilter = query.ProjectId is not null
            && query.Status is null
            && string.IsNullOrWhiteSpace(query.Search)
            && string.IsNullOrWhiteSpace(query.ExternalId)
            && string.IsNullOrWhiteSpace(query.Name);
        // An external id is unique: the page itself tells the total, no count needed.
        var uniqueLookup = !string.IsNullOrWhiteSpace(query.ExternalId) && query.Skip == 0;
        var onlySearch = query.Search?.Trim() is { Length: > 0 } term
            && query.ProjectId is null && query.Status is null
            && string.IsNullOrWhiteSpace(query.ExternalId) && string.IsNullOrWhiteSpace(query.Name)
            ? term : null;
        var total = uniqueLookup ? 0
            : onlyProjectFilter ? await db.PartnerProjects.CountAsync(m => m.ProjectId == query.ProjectId, ct)
            : onlySearch is { Length: >= PartnerSearch.MinLength } ? await search.Matching(db, onlySearch).CountAsync(ct)
            : onlySearch is not null ? await CountPrefixMatchesAsync(db, onlySearch, ct)
            : await Filter(db, search, query, asSets: true).CountAsync(ct);

        // Pick the plan by selectivity: many matches are found fastest by walking the sort index
        // and probing each row; few matches by collecting them from their own indexes and sorting.
        var walkSortIndex = total >= ScanThreshold && query.Skip < ScanThreshold;
        var q = Filter(db, search, query, asSets: !walkSortIndex);
        var desc = query.Sort?.Descending ?? query.Sort is null;
        q = (query.Sort?.Field ?? nameof(Partner.CreatedAt)) switch
        {
            nameof(Partner.Name) => desc ? q.OrderByDescending(p => p.NameSearch).ThenByDescending(p => p.Id) : q.OrderBy(p => p.NameSearch).ThenBy(p => p.Id),
            nameof(Partner.ExternalId) => desc ? q.OrderByDescending(p => p.ExternalId).ThenByDescending(p => p.Id) : q.OrderBy(p => p.ExternalId).ThenBy(p => p.Id),
            nameof(Partner.Status) => desc ? q.OrderByDescending(p => p.Status).ThenByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id) : q.OrderBy(p => p.Status).ThenBy(p => p.CreatedAt).ThenBy(p => p.Id),
            nameof(Partner.DefaultProject) => desc ? q.OrderByDescending(p => p.DefaultProject!.Name).ThenByDescending(p => p.Id) : q.OrderBy(p => p.DefaultProject!.Name).ThenBy(p => p.Id),
            nameof(Partner.UpdatedAt) => desc ? q.OrderByDescending(p => p.UpdatedAt).ThenByDescending(p => p.Id) : q.OrderBy(p => p.UpdatedAt).ThenBy(p => p.Id),
            _ => desc ? q.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id) : q.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id),
        };

        var page = await q.Skip(query.Skip).Take(query.Take).Include(p => p.DefaultProject).ToListAsync(ct);
        var rows = await ToRowsAsync(db, page, ct);
        return Result<Page<PartnerRow>>.Ok(new Page<PartnerRow>(rows, uniqueLookup ? rows.Count : total));
    }

    public async Task<Result<PartnerDetails>> GetAsync(int id, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadPartners) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var partner = await db.Partners.AsNoTracking().Include(p => p.DefaultProject).FirstOrDefaultAsync(p => p.Id == id, ct);
        return partner is null ? NotFound<PartnerDetails>(id) : Result<PartnerDetails>.Ok(await DetailsAsync(db, partner, ct));
    }

    /// <summary>Looks a partner up by the id the customer's own system uses.</summary>
    public async Task<Result<PartnerDetails>> GetByExternalIdAsync(string externalId, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadPartners) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = externalId.Trim();
        var partner = await db.Partners.AsNoTracking().Include(p => p.DefaultProject).FirstOrDefaultAsync(p => p.ExternalId == key, ct);
        return partner is null
            ? Result<PartnerDetails>.NotFound($"No partner has external ID \"{key}\".")
            : Result<PartnerDetails>.Ok(await DetailsAsync(db, partner, ct));
    }

    /// <summary>
    /// Creates a partner; with a project, its first link (with a generated code) is created in the
    /// same transaction. Nothing is saved unless everything is valid.
    /// </summary>
    public async Task<Result<PartnerDetails>> CreateAsync(CreatePartnerInput input, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.EditPartners) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var externalId = Normalize(input.ExternalId);
        var v = new Validation()
            .Required(input.Name, nameof(CreatePartnerInput.Name), "Name", Partner.NameMaxLength)
            .Optional(externalId, nameof(CreatePartnerInput.ExternalId), "External ID", Partner.ExternalIdMaxLength)
            .Check(Enum.IsDefined(input.Status), nameof(CreatePartnerInput.Status), "Status must be Active or Inactive.");
        await CheckExternalIdFreeAsync(db, v, externalId, null, ct);
        await CheckProjectUsableAsync(db, v, input.ProjectId, nameof(CreatePartnerInput.ProjectId), ct);
        if (!v.IsValid)
        {
            return v.ToResult<PartnerDetails>();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var name = input.Name!.Trim();
        var partner = new Partner
        {
            Name = name,
            ExternalId = externalId,
            Status = input.Status,
            DefaultProjectId = input.ProjectId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Partners.Add(partner);
        ReferralLink? link = null;
        if (input.ProjectId is not null)
        {
            var code = ReferralCode.Generate();
            link = new ReferralLink { Partner = partner, Code = code, CodeKey = ReferralCode.ToKey(code), ProjectId = input.ProjectId, CreatedAt = now, UpdatedAt = now };
            db.ReferralLinks.Add(link);
        }

        // A lost race for the external id is the rules' Duplicate (a generated code clash is astronomically unlikely).
        return await Edit.SaveAsync(db, Rules, partner, ct);
    }

    /// <summary>Edits a partner's details; <paramref name="version"/> is the version the editor read.</summary>
    public async Task<Result<PartnerDetails>> UpdateAsync(int id, UpdatePartnerInput input, long version, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.EditPartners) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Edit.UpdateAsync(db, Rules, id, version, async (partner, v) =>
        {
            var externalId = Normalize(input.ExternalId);
            v.Required(input.Name, nameof(UpdatePartnerInput.Name), "Name", Partner.NameMaxLength)
                .Optional(externalId, nameof(UpdatePartnerInput.ExternalId), "External ID", Partner.ExternalIdMaxLength)
                .Check(Enum.IsDefined(input.Status), nameof(UpdatePartnerInput.Status), "Status must be Active or Inactive.");
            await CheckExternalIdFreeAsync(db, v, externalId, id, ct);
            if (input.DefaultProjectId != partner.DefaultProjectId)
            {
                await CheckProjectUsableAsync(db, v, input.DefaultProjectId, nameof(UpdatePartnerInput.DefaultProjectId), ct);
            }

            if (v.IsValid)
            {
                partner.Name = input.Name!.Trim();
                partner.ExternalId = externalId;
                partner.Status = input.Status;
                partner.DefaultProjectId = input.DefaultProjectId;
            }

            return null;
        }, ct);
    }

    /// <summary>Activates or deactivates a partner (the grid's status cell, the API's activate/deactivate).</summary>
    public Task<Result<PartnerDetails>> SetStatusAsync(int id, PartnerStatus status, long? version, CancellationToken ct = default) =>
        PatchAsync(id, version, async (db, partner, v) =>
        {
            v.Check(Enum.IsDefined(status), nameof(UpdatePartnerInput.Status), "Status must be Active or Inactive.");
            partner.Status = status;
            await Task.CompletedTask;
        }, ct);

    /// <summary>Changes the project applied to the partner's future links.</summary>
    public Task<Result<PartnerDetails>> SetDefaultProjectAsync(int id, int? projectId, long? version, CancellationToken ct = default) =>
        PatchAsync(id, version, async (db, partner, v) =>
        {
            if (projectId != partner.DefaultProjectId)
            {
                await CheckProjectUsableAsync(db, v, projectId, nameof(UpdatePartnerInput.DefaultProjectId), ct);
            }

            partner.DefaultProjectId = projectId;
        }, ct);

    /// <summary>Deletes a partner that was never used, with its links; a used partner can only be deactivated.</summary>
    public async Task<Result<bool>> DeleteAsync(int id, long? version, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.EditPartners) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var partner = await db.Partners.AsNoTracking().Include(p => p.DefaultProject).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (partner is null)
        {
            return NotFound<bool>(id);
        }

        if (version is not null && partner.Version != version)
        {
            return Result<bool>.Conflict("This partner was changed by someone else in the meantime. Reload it and try again.");
        }

        var details = await DetailsAsync(db, partner, ct);
        if (details.WasUsed)
        {
            return Result<bool>.Conflict(details.DeleteBlockedReason!);
        }

        var rule = await db.RewardRuleSets.AsNoTracking()
            .Where(s => (s.Scope == RewardScope.Partner && s.ScopeId == id)
                || (s.Scope == RewardScope.Link && db.ReferralLinks.Any(l => l.Id == s.ScopeId && l.PartnerId == id)))
            .Select(s => s.Name)
            .FirstOrDefaultAsync(ct);
        if (rule is not null)
        {
            return Result<bool>.Conflict($"Reward rule set \"{rule}\" applies to this partner or one of its links: change its scope or delete it first.");
        }

        try
        {
            // Memberships are derived rows; the links and the partner are deleted through the context, so the
            // audit trail records each, and the partner's version is checked by its concurrency token.
            await db.PartnerProjects.Where(m => m.PartnerId == id).ExecuteDeleteAsync(ct);
            db.ReferralLinks.RemoveRange(await db.ReferralLinks.Where(l => l.PartnerId == id).ToListAsync(ct));
            partner.DefaultProject = null;
            db.Partners.Remove(partner);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Result<bool>.Conflict("This partner was changed by someone else in the meantime. Reload it and try again.");
            }

            // Clicks have no foreign keys: a click recorded after the check above (its batch held the
            // links until it committed, so the delete waited for it) shows up now; undo everything then.
            if (await clickCounts.CountAsync(db, id, ct: ct) > 0)
            {
                return Result<bool>.Conflict("This partner has recorded clicks; its history must be kept, so it can only be deactivated.");
            }

            await tx.CommitAsync(ct);
            return Result<bool>.Ok(true);
        }
        catch (Exception e) when (DbErrors.IsForeignKeyViolation(e))
        {
            // A referral or conversion arrived between the check and the delete.
            return Result<bool>.Conflict("This partner has recorded activity; its history must be kept, so it can only be deactivated.");
        }
    }

    private const int ScanThreshold = 10_000;

    /// <param name="asSets">
    /// Express project and search filters as "id in (matches from their indexes)"; otherwise as
    /// per-row probes, which suit a walk along the sort index.
    /// </param>
    internal static IQueryable<Partner> Filter(AppDbContext db, IPartnerSearch search, PartnerQuery query, bool asSets = true)
    {
        var q = db.Partners.AsNoTracking();
        if (query.Status is { } status)
        {
            q = q.Where(p => p.Status == status);
        }

        if (!string.IsNullOrWhiteSpace(query.ExternalId))
        {
            var externalId = query.ExternalId.Trim();
            q = q.Where(p => p.ExternalId == externalId);
        }

        if (!string.IsNullOrWhiteSpace(query.Name))
        {
            var (from, to) = PrefixRange(Partner.ToSearchKey(query.Name));
            q = q.Where(p => string.Compare(p.NameSearch, from) >= 0 && string.Compare(p.NameSearch, to) < 0);
        }

        if (query.ProjectId is { } projectId)
        {
            if (asSets)
            {
                var members = db.PartnerProjects.Where(m => m.ProjectId == projectId).Select(m => m.PartnerId);
                q = q.Where(p => members.Contains(p.Id));
            }
            else
            {
                q = q.Where(p => db.PartnerProjects.Any(m => m.ProjectId == projectId && m.PartnerId == p.Id));
            }
        }

        if (!string.IsNullOrWhiteSpace(query.Search) && query.Search.Trim() is { Length: >= PartnerSearch.MinLength } anywhere)
        {
            // A part of a word anywhere, by the database's trigram index.
            var matches = search.Matching(db, anywhere);
            q = q.Where(p => matches.Contains(p.Id));
        }
        else if (!string.IsNullOrWhiteSpace(query.Search))
        {
            // One or two characters have no trigram: the names and external ids they begin, by prefix ranges on their
            // indexes. Not link codes: a letter begins a thirty-sixth of every random code, which is noise, not a match.
            var term = query.Search.Trim();
            var (nameFrom, nameTo) = PrefixRange(Partner.ToSearchKey(term));
            var (extFrom, extTo) = PrefixRange(term);
            if (asSets)
            {
                var matches = db.Partners.Where(p => string.Compare(p.NameSearch, nameFrom) >= 0 && string.Compare(p.NameSearch, nameTo) < 0).Select(p => p.Id)
                    .Union(db.Partners.Where(p => string.Compare(p.ExternalId, extFrom) >= 0 && string.Compare(p.ExternalId, extTo) < 0).Select(p => p.Id));
                q = q.Where(p => matches.Contains(p.Id));
            }
            else
            {
                // Probed row by row along the sort's index: "|| ''" keeps the planner from collecting both ranges
                // by their own indexes (and then sorting them all) instead.
                q = q.Where(p => (string.Compare(p.NameSearch + "", nameFrom) >= 0 && string.Compare(p.NameSearch + "", nameTo) < 0)
                    || (string.Compare(p.ExternalId + "", extFrom) >= 0 && string.Compare(p.ExternalId + "", extTo) < 0));
            }
        }

        return q;
    }

    /// <summary>
    /// How many partners a one- or two-letter search finds, without putting the two prefix ranges' ids together
    /// (a letter can match a tenth of the partners, and sorting their union took most of 190 ms at a million):
    /// the names in range, plus the external ids in range whose name is not.
    /// </summary>
    private static async Task<int> CountPrefixMatchesAsync(AppDbContext db, string term, CancellationToken ct)
    {
        var (nameFrom, nameTo) = PrefixRange(Partner.ToSearchKey(term));
        var (extFrom, extTo) = PrefixRange(term);
        var byName = await db.Partners.CountAsync(p => string.Compare(p.NameSearch, nameFrom) >= 0 && string.Compare(p.NameSearch, nameTo) < 0, ct);
        var byExternalId = await db.Partners.CountAsync(p => string.Compare(p.ExternalId, extFrom) >= 0 && string.Compare(p.ExternalId, extTo) < 0
            && !(string.Compare(p.NameSearch, nameFrom) >= 0 && string.Compare(p.NameSearch, nameTo) < 0), ct);
        return byName + byExternalId;
    }

    // The upper bound is the highest code point (U+10FFFF), so text continuing with any character, emoji included, is in range.
    private static (string From, string To) PrefixRange(string prefix) => (prefix, prefix + char.ConvertFromUtf32(0x10FFFF));

    private async Task<Result<PartnerDetails>> PatchAsync(int id, long? version, Func<AppDbContext, Partner, Validation, Task> change, CancellationToken ct)
    {
        if (await currentUser.DeniedAsync(Permissions.EditPartners) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Edit.UpdateAsync<Partner, PartnerDetails>(db, Rules, id, version, async (partner, v) =>
        {
            await change(db, partner, v);
            return null;
        }, ct);
    }

    /// <summary>
    /// How partners are edited: the answer is read on the same context, and the project memberships
    /// (links' projects and the default project) are kept in step in the same transaction.
    /// </summary>
    private EditRules<Partner, PartnerDetails> Rules => _rules ??= new()
    {
        Noun = "Partner",
        Read = DetailsAsync,
        Touch = partner => partner.UpdatedAt = clock.GetUtcNow().UtcDateTime,
        AfterSave = (db, partner, ct) => PartnerMembership.RefreshAsync(db, partner.Id, ct),
        Duplicate = async (partner, ct) => ExternalIdTaken<PartnerDetails>(partner.ExternalId ?? "", await OwnerOfExternalIdAsync(dbFactory, partner.ExternalId, ct)),
    };

    private EditRules<Partner, PartnerDetails>? _rules;

    private static async Task CheckExternalIdFreeAsync(AppDbContext db, Validation v, string? externalId, int? selfId, CancellationToken ct)
    {
        if (externalId is null || v.Errors.ContainsKey(nameof(CreatePartnerInput.ExternalId)))
        {
            return;
        }

        var owner = await db.Partners.AsNoTracking()
            .Where(p => p.ExternalId == externalId && p.Id != selfId)
            .Select(p => new { p.Id, p.Name })
            .FirstOrDefaultAsync(ct);
        if (owner is not null)
        {
            v.Conflict(nameof(CreatePartnerInput.ExternalId), ExternalIdMessage(externalId, owner.Name, owner.Id));
        }
    }

    /// <summary>A project may receive new partners and links only when it exists and is not archived.</summary>
    internal static async Task CheckProjectUsableAsync(AppDbContext db, Validation v, int? projectId, string field, CancellationToken ct)
    {
        if (projectId is null)
        {
            return;
        }

        var project = await db.Projects.AsNoTracking().Where(p => p.Id == projectId).Select(p => new { p.Name, p.Status }).FirstOrDefaultAsync(ct);
        if (project is null)
        {
            v.Add(field, $"Project {projectId} does not exist.");
        }
        else if (project.Status == ProjectStatus.Archived)
        {
            v.Add(field, $"Project \"{project.Name}\" is archived and accepts no new partners or links.");
        }
    }

    private static async Task<(int Id, string Name)?> OwnerOfExternalIdAsync(IDbContextFactory<AppDbContext> factory, string? externalId, CancellationToken ct)
    {
        if (externalId is null)
        {
            return null;
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var owner = await db.Partners.AsNoTracking().Where(p => p.ExternalId == externalId).Select(p => new { p.Id, p.Name }).FirstOrDefaultAsync(ct);
        return owner is null ? null : (owner.Id, owner.Name);
    }

    private static string ExternalIdMessage(string externalId, string ownerName, int ownerId) =>
        $"External ID \"{externalId}\" is already used by partner {ownerName} (#{ownerId}).";

    private static Result<T> ExternalIdTaken<T>(string externalId, (int Id, string Name)? owner)
    {
        var message = owner is { } o ? ExternalIdMessage(externalId, o.Name, o.Id) : $"External ID \"{externalId}\" is already used.";
        return Result<T>.Conflict(message, errors: new Dictionary<string, string> { [nameof(CreatePartnerInput.ExternalId)] = message });
    }

    private static Result<T> NotFound<T>(int id) => Result<T>.NotFound($"Partner {id} does not exist.");

    private static string? Normalize(string? externalId) =>
        string.IsNullOrWhiteSpace(externalId) ? null : externalId.Trim();

    private async Task<PartnerDetails> DetailsAsync(AppDbContext db, Partner partner, CancellationToken ct)
    {
        var rows = await ToRowsAsync(db, [partner], ct);
        return new PartnerDetails(rows[0], await clickCounts.CountAsync(db, partner.Id, ct: ct));
    }

    // Link counts and memberships for one page of partners, in two small indexed queries.
    internal static async Task<IReadOnlyList<PartnerRow>> ToRowsAsync(AppDbContext db, IReadOnlyList<Partner> partners, CancellationToken ct)
    {
        if (partners.Count == 0)
        {
            return [];
        }

        var ids = partners.Select(p => p.Id).ToList();
        var linkProjects = await db.ReferralLinks.AsNoTracking()
            .Where(l => ids.Contains(l.PartnerId))
            .GroupBy(l => new { l.PartnerId, l.ProjectId, ProjectName = l.Project!.Name })
            .Select(g => new { g.Key.PartnerId, g.Key.ProjectId, g.Key.ProjectName, Count = g.Count() })
            .ToListAsync(ct);

        // Partners come with their default project loaded; links bring the names of theirs.
        var names = new Dictionary<int, string>();
        foreach (var x in linkProjects.Where(x => x.ProjectId != null))
        {
            names[x.ProjectId!.Value] = x.ProjectName;
        }

        foreach (var p in partners.Where(p => p.DefaultProject is not null))
        {
            names[p.DefaultProject!.Id] = p.DefaultProject.Name;
        }

        var missing = partners.Where(p => p.DefaultProjectId is { } d && !names.ContainsKey(d)).Select(p => p.DefaultProjectId!.Value).Distinct().ToList();
        if (missing.Count > 0)
        {
            foreach (var project in await db.Projects.AsNoTracking().Where(p => missing.Contains(p.Id)).Select(p => new { p.Id, p.Name }).ToListAsync(ct))
            {
                names[project.Id] = project.Name;
            }
        }

        return partners.Select(p =>
        {
            var mine = linkProjects.Where(x => x.PartnerId == p.Id).ToList();
            var member = mine.Where(x => x.ProjectId != null).Select(x => x.ProjectId!.Value);
            if (p.DefaultProjectId is { } d)
            {
                member = member.Append(d);
            }

            var projects = member.Distinct()
                .Where(names.ContainsKey)
                .Select(pid => new ProjectRef(pid, names[pid]))
                .OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
                .ToList();
            var defaultProject = p.DefaultProjectId is { } dp && names.TryGetValue(dp, out var dn) ? new ProjectRef(dp, dn) : null;
            return new PartnerRow(p.Id, p.Name, p.ExternalId, p.Status, defaultProject, projects, mine.Sum(x => x.Count), p.CreatedAt, p.UpdatedAt, p.Version);
        }).ToList();
    }
}
