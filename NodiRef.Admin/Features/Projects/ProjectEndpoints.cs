using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace NodiRef.Admin.Features.Projects;

public sealed record ProjectDto(int Id, string Name, string LandingUrl, ProjectStatus Status, DateTime CreatedAt, DateTime UpdatedAt, long Version) : IVersionedDto
{
    public static ProjectDto From(ProjectRow p) => new(p.Id, p.Name, p.LandingUrl, p.Status, p.CreatedAt, p.UpdatedAt, p.Version);
}

public sealed record CreateProjectRequest(string? Name, string? LandingUrl);

public sealed record UpdateProjectRequest(Optional<string?> Name, Optional<string?> LandingUrl, long? Version);

/// <summary>GET /api/projects: its filters, sort fields and includes.</summary>
[ListSorts(nameof(Project.Name), nameof(Project.Status), nameof(Project.CreatedAt), nameof(Project.UpdatedAt))]
public sealed record ProjectFilters : IListFilters<ProjectQuery>
{
    [FromQuery(Name = "filter[status]")] public Filter<ProjectStatus>? Status { get; init; }

    [FromQuery(Name = "filter[name]")] public string? Name { get; init; }

    public ProjectQuery ToQuery(Validation errors) => new(Status?.Value, Name);
}

/// <summary>REST mapping of projects: <c>/api/projects</c>.</summary>
public static class ProjectEndpoints
{
    public static void MapProjectEndpoints(this RouteGroupBuilder api)
    {
        var projects = api.MapGroup("/projects").WithTags("Projects");
        projects.MapGet("/", ListAsync).WithName("ListProjects").WithSummary("List projects").ProducesValidationProblem();
        projects.MapGet("/{id:int}", GetAsync).WithName("GetProject").WithSummary("Get a project").ProducesProblem(StatusCodes.Status404NotFound);
        projects.MapPost("/", CreateAsync).WithName("CreateProject").WithSummary("Create a project")
            .WithIdempotencyKey().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        projects.MapPatch("/{id:int}", UpdateAsync).WithName("UpdateProject").WithSummary("Change a project's name or landing URL")
            .WithIdempotencyKey().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        projects.MapPost("/{id:int}/archive", (int id, ProjectService service, CancellationToken ct) => SetStatusAsync(id, ProjectStatus.Archived, service, ct))
            .WithName("ArchiveProject").WithSummary("Archive a project: it keeps its history but accepts no new links or events")
            .WithIdempotencyKey().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        projects.MapPost("/{id:int}/restore", (int id, ProjectService service, CancellationToken ct) => SetStatusAsync(id, ProjectStatus.Active, service, ct))
            .WithName("RestoreProject").WithSummary("Restore an archived project")
            .WithIdempotencyKey().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static Task<Results<Ok<ApiList<ProjectDto>>, ProblemHttpResult>> ListAsync([AsParameters] ProjectFilters filters, HttpContext http, ProjectService service, CancellationToken ct) =>
        ApiLists.ListAsync(http, filters, service.ListAsync, ProjectDto.From, ct);

    private static Task<Results<Ok<ApiOne<ProjectDto>>, ProblemHttpResult>> GetAsync(int id, HttpContext http, ProjectService service, CancellationToken ct) =>
        ApiLists.OneAsync(http, ListSpec.Of<ProjectFilters>(), ct => service.GetAsync(id, ct), (p, _) => ProjectDto.From(p), ct);

    private static async Task<Results<Created<ApiOne<ProjectDto>>, ProblemHttpResult>> CreateAsync(CreateProjectRequest body, ProjectService service, CancellationToken ct) =>
        ApiResponses.Created(await service.CreateAsync(new ProjectInput(body.Name, body.LandingUrl), ct), ProjectDto.From, p => $"{ApiRoutes.Prefix}/projects/{p.Id}");

    private static Task<Results<Ok<ApiOne<ProjectDto>>, ProblemHttpResult>> UpdateAsync(int id, UpdateProjectRequest body, HttpContext http, ProjectService service, CancellationToken ct) =>
        ApiEdits.PatchAsync(http, body.Version, ct => service.GetAsync(id, ct),
            (p, version, ct) => service.UpdateAsync(id, new ProjectInput(body.Name.Or(p.Name), body.LandingUrl.Or(p.LandingUrl)), version, ct),
            ProjectDto.From, p => p.Version, ct);

    private static async Task<Results<Ok<ApiOne<ProjectDto>>, ProblemHttpResult>> SetStatusAsync(int id, ProjectStatus status, ProjectService service, CancellationToken ct)
    {
        var current = await service.GetAsync(id, ct);
        return ApiResponses.One(current.Succeeded ? await service.SetStatusAsync(id, status, current.Value!.Version, ct) : current, ProjectDto.From);
    }
}
