namespace NodiRef.Admin.Features.Projects;

public sealed record ProjectRow(
    int Id,
    string Name,
    string LandingUrl,
    ProjectStatus Status,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    long Version);

public sealed record ProjectInput(string? Name, string? LandingUrl);

public sealed record ProjectQuery(ProjectStatus? Status = null, string? Search = null) : PageRequest;

/// <summary>The one way to read and change projects.</summary>
public sealed class ProjectService(AppDbFactory dbFactory, CurrentUser currentUser, TimeProvider clock)
{
    /// <summary>A page of projects, filtered and sorted in SQL.</summary>
    public async Task<Result<Page<ProjectRow>>> ListAsync(ProjectQuery query, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadProjects) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.Projects.AsNoTracking();
        if (query.Status is { } status)
        {
            q = q.Where(p => p.Status == status);
        }

        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim().ToLowerInvariant();
            q = q.Where(p => p.Name.ToLower().Contains(term));
        }

        var desc = query.Sort?.Descending ?? false;
        IOrderedQueryable<Project> ordered = (query.Sort?.Field ?? nameof(Project.Name)) switch
        {
            nameof(Project.CreatedAt) => desc ? q.OrderByDescending(p => p.CreatedAt) : q.OrderBy(p => p.CreatedAt),
            nameof(Project.UpdatedAt) => desc ? q.OrderByDescending(p => p.UpdatedAt) : q.OrderBy(p => p.UpdatedAt),
            nameof(Project.Status) => desc ? q.OrderByDescending(p => p.Status) : q.OrderBy(p => p.Status),
            _ => desc ? q.OrderByDescending(p => p.Name) : q.OrderBy(p => p.Name),
        };

        var total = await q.CountAsync(ct);
        var items = await ordered.ThenBy(p => p.Id).Skip(query.Skip).Take(query.Take).Select(ToRow).ToListAsync(ct);
        return Result<Page<ProjectRow>>.Ok(new Page<ProjectRow>(items, total));
    }

    /// <summary>Every project as (id, name), for selects; archived ones only when asked.</summary>
    public async Task<IReadOnlyList<ProjectOption>> OptionsAsync(bool includeArchived = false, CancellationToken ct = default)
    {
        if (!await currentUser.HasAsync(Permissions.ReadProjects))
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Projects.AsNoTracking()
            .Where(p => includeArchived || p.Status == ProjectStatus.Active)
            .OrderBy(p => p.Name)
            .Select(p => new ProjectOption(p.Id, p.Name, p.Status))
            .ToListAsync(ct);
    }

    public async Task<Result<ProjectRow>> GetAsync(int id, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.ReadProjects) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Projects.AsNoTracking().Where(p => p.Id == id).Select(ToRow).FirstOrDefaultAsync(ct);
        return row is null ? Result<ProjectRow>.NotFound($"Project {id} does not exist.") : Result<ProjectRow>.Ok(row);
    }

    public async Task<Result<ProjectRow>> CreateAsync(ProjectInput input, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.EditProjects) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var v = new Validation();
        await ValidateAsync(db, v, input, null, ct);
        if (!v.IsValid)
        {
            return v.ToResult<ProjectRow>();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var project = new Project
        {
            Name = input.Name!.Trim(),
            LandingUrl = input.LandingUrl!.Trim(),
            Status = ProjectStatus.Active,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Projects.Add(project);
        return await Edit.SaveAsync(db, Rules, project, ct);
    }

    public async Task<Result<ProjectRow>> UpdateAsync(int id, ProjectInput input, long version, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.EditProjects) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Edit.UpdateAsync(db, Rules, id, version, async (project, v) =>
        {
            await ValidateAsync(db, v, input, id, ct);
            if (v.IsValid)
            {
                project.Name = input.Name!.Trim();
                project.LandingUrl = input.LandingUrl!.Trim();
            }

            return null;
        }, ct);
    }

    /// <summary>Archive (no new links or events) or restore a project.</summary>
    public async Task<Result<ProjectRow>> SetStatusAsync(int id, ProjectStatus status, long version, CancellationToken ct = default)
    {
        if (await currentUser.DeniedAsync(Permissions.EditProjects) is { } denied)
        {
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Edit.UpdateAsync<Project, ProjectRow>(db, Rules, id, version, (project, v) =>
        {
            if (v.Check(Enum.IsDefined(status), nameof(Project.Status), "Status must be Active or Archived.").IsValid)
            {
                project.Status = status;
            }

            return Task.FromResult<Result<ProjectRow>?>(null);
        }, ct);
    }

    private static async Task ValidateAsync(AppDbContext db, Validation v, ProjectInput input, int? id, CancellationToken ct)
    {
        v.Required(input.Name, nameof(ProjectInput.Name), "Name", Project.NameMaxLength)
            .Required(input.LandingUrl, nameof(ProjectInput.LandingUrl), "Landing URL", ReferralLink.TargetUrlMaxLength);
        if (!string.IsNullOrWhiteSpace(input.LandingUrl) && !WebUrl.IsValid(input.LandingUrl.Trim()))
        {
            v.Add(nameof(ProjectInput.LandingUrl), "Landing URL must be an absolute http:// or https:// URL.");
        }

        if (!string.IsNullOrWhiteSpace(input.Name))
        {
            var name = input.Name.Trim();
            if (await db.Projects.AsNoTracking().AnyAsync(p => p.Name == name && p.Id != id, ct))
            {
                v.Conflict(nameof(ProjectInput.Name), NameTaken(name));
            }
        }
    }

    private static string NameTaken(string name) => $"A project named \"{name}\" already exists.";

    private EditRules<Project, ProjectRow> Rules => _rules ??= new()
    {
        Noun = "Project",
        Read = (_, project, _) => Task.FromResult(Map(project)),
        Touch = project => project.UpdatedAt = clock.GetUtcNow().UtcDateTime,
        Duplicate = (project, _) => Task.FromResult(Result<ProjectRow>.Conflict(NameTaken(project.Name), errors: new Dictionary<string, string> { [nameof(ProjectInput.Name)] = NameTaken(project.Name) })),
    };

    private EditRules<Project, ProjectRow>? _rules;

    private static ProjectRow Map(Project p) => new(p.Id, p.Name, p.LandingUrl, p.Status, p.CreatedAt, p.UpdatedAt, p.Version);

    private static readonly System.Linq.Expressions.Expression<Func<Project, ProjectRow>> ToRow =
        p => new ProjectRow(p.Id, p.Name, p.LandingUrl, p.Status, p.CreatedAt, p.UpdatedAt, p.Version);
}

public sealed record ProjectOption(int Id, string Name, ProjectStatus Status);
