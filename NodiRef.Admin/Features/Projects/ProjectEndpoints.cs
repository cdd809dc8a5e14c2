namespace NodiRef.Admin.Features.Projects;

public sealed record ProjectDto(int Id, string Name, string LandingUrl, ProjectStatus Status, DateTime CreatedAt, DateTime UpdatedAt, long Version)
{
    public static ProjectDto From(ProjectRow p) => new(p.Id, p.Name, p.LandingUrl, p.Status, p.CreatedAt, p.UpdatedAt, p.Version);
}

public sealed record CreateProjectRequest(string? Name, string? LandingUrl);

public sealed record UpdateProjectRequest(Optional<string?> Name, Optional<string?> LandingUrl, long? Version);

/// <summary>REST mapping of projects: <c>/api/projects</c>.</summary>
public static class ProjectEndpoints
{
    public static readonly ListSpec Spec = new(
        Filters: ["status", "name"],
        Sorts: [nameof(Project.Name), nameof(Project.Status), nameof(Project.CreatedAt), nameof(Project.UpdatedAt)],
        Includes: []);

    public static void MapProjectEndpoints(this RouteGroupBuilder api)
    {
        var projects = api.MapGroup("/projects").WithTags("Projects");
        projects.MapGet("/", ListAsync).WithName("ListProjects").WithSummary("List projects")
            .WithListQuery(Spec).Produces<ApiList<ProjectDto>>().ProducesValidationProblem();
        projects.MapGet("/{id:int}", GetAsync).WithName("GetProject").WithSummary("Get a project")
            .Produces<ApiOne<ProjectDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        projects.MapPost("/", CreateAsync).WithName("CreateProject").WithSummary("Create a project")
            .WithIdempotencyKey().Produces<ApiOne<ProjectDto>>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        projects.MapPatch("/{id:int}", UpdateAsync).WithName("UpdateProject").WithSummary("Change a project's name or landing URL")
            .WithIdempotencyKey().Produces<ApiOne<ProjectDto>>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        projects.MapPost("/{id:int}/archive", (int id, HttpContext http, ProjectService service, CancellationToken ct) => SetStatusAsync(id, ProjectStatus.Archived, http, service, ct))
            .WithName("ArchiveProject").WithSummary("Archive a project: it keeps its history but accepts no new links or events")
            .WithIdempotencyKey().Produces<ApiOne<ProjectDto>>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        projects.MapPost("/{id:int}/restore", (int id, HttpContext http, ProjectService service, CancellationToken ct) => SetStatusAsync(id, ProjectStatus.Active, http, service, ct))
            .WithName("RestoreProject").WithSummary("Restore an archived project")
            .WithIdempotencyKey().Produces<ApiOne<ProjectDto>>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static Task<IResult> ListAsync(HttpContext http, ProjectService service, CancellationToken ct) =>
        ApiLists.HandleAsync(http, Spec,
            (query, v) => new ProjectQuery(ApiFilters.Enum<ProjectStatus>(query, "status", v), query.Filter("name")),
            service.ListAsync, ProjectDto.From, ct);

    private static async Task<IResult> GetAsync(int id, HttpContext http, ProjectService service, CancellationToken ct)
    {
        var parameters = ListQuery.Parse(http.Request.Query, Spec with { Filters = [], Sorts = [] });
        if (!parameters.Succeeded)
        {
            return ApiResponses.Refused(parameters);
        }

        var result = await service.GetAsync(id, ct);
        return result.Succeeded ? ApiResponses.One(ProjectDto.From(result.Value!), http, result.Value!.Version) : ApiResponses.Problem(result);
    }

    private static async Task<IResult> CreateAsync(CreateProjectRequest body, HttpContext http, ProjectService service, CancellationToken ct)
    {
        var result = await service.CreateAsync(new ProjectInput(body.Name, body.LandingUrl), ct);
        return result.Succeeded
            ? ApiResponses.Created(ProjectDto.From(result.Value!), $"{ApiRoutes.Prefix}/projects/{result.Value!.Id}", http, result.Value.Version)
            : ApiResponses.Problem(result);
    }

    private static Task<IResult> UpdateAsync(int id, UpdateProjectRequest body, HttpContext http, ProjectService service, CancellationToken ct) =>
        ApiEdits.PatchAsync(http, body.Version, ct => service.GetAsync(id, ct),
            (p, version, ct) => service.UpdateAsync(id, new ProjectInput(body.Name.Or(p.Name), body.LandingUrl.Or(p.LandingUrl)), version, ct),
            ProjectDto.From, p => p.Version, ct);

    private static async Task<IResult> SetStatusAsync(int id, ProjectStatus status, HttpContext http, ProjectService service, CancellationToken ct)
    {
        var current = await service.GetAsync(id, ct);
        if (!current.Succeeded)
        {
            return ApiResponses.Problem(current);
        }

        var result = await service.SetStatusAsync(id, status, current.Value!.Version, ct);
        return result.Succeeded ? ApiResponses.One(ProjectDto.From(result.Value!), http, result.Value!.Version) : ApiResponses.Problem(result);
    }
}
